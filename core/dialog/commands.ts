import { normalizeAnswer } from './normalize-answer.ts';

/** Commands recognised at any step, in every supported language. */
/**
 * `stop` and `start` are also the carrier keywords of SMS (STOP, START and their local forms):
 * no more news, news again.
 */
export const COMMANDS = ['help', 'menu', 'language', 'stop', 'start', 'forget'] as const;
/** One of {@link COMMANDS}. */
export type Command = (typeof COMMANDS)[number];

/** Tells whether a whole message is a global command. */
export type CommandMatcher = (text: string) => Command | null;

/**
 * Builds a matcher from the words each language uses for each command. A command must be the
 * whole message (after folding), so "stop" is a command but "I can't stop working" is not.
 * Words of every language are accepted, since people mix languages.
 */
export function commandMatcher(words: Readonly<Record<Command, readonly string[]>>): CommandMatcher {
  const byWord = new Map<string, Command>();
  for (const command of COMMANDS) {
    for (const word of words[command]) {
      const folded = normalizeAnswer(word);
      if (folded) byWord.set(folded, command);
    }
  }
  return (text) => byWord.get(normalizeAnswer(text)) ?? null;
}
