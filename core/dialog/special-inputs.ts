import type { InboundContent } from '../messages.ts';
import { LIST_CHANGED, resolveChoice, type AnswerContext } from './answer-parser.ts';
import type { Command } from './commands.ts';
import type { InputSpec } from './dialog-definition.ts';
import type { EngineEnv } from './engine-env.ts';
import type { JsonObject } from './json.ts';
import { normalizeAnswer } from './normalize-answer.ts';
import { CONTROL_PREFIX, typedControl } from './relay-input.ts';

/** What a message in a relay means; the turn acts on it. */
export type RelayReading =
  /** A control (end, block...): leave the relay with its id. */
  | { readonly kind: 'control'; readonly id: string }
  /** `#` and a global command word: that command. */
  | { readonly kind: 'command'; readonly command: Command }
  /** Words (or a place) for the other side, verbatim. */
  | { readonly kind: 'pass'; readonly relayed: JsonObject }
  /** Something to tell the writer; `reprompt` shows the relay prompt again. */
  | { readonly kind: 'notice'; readonly key: string; readonly reprompt: boolean }
  /** A deep link, or a bare start (the prompt again). */
  | { readonly kind: 'start'; readonly payload: string | undefined };

/**
 * Reads a message in a relay: the person's words go to the other side as written ("2", "stop",
 * a link); only a control leaves (a button, or `#end` and its translations).
 */
export function readRelay(
  content: InboundContent,
  input: Extract<InputSpec, { type: 'relay' }>,
  env: Pick<EngineEnv, 'languages' | 'text' | 'commands' | 'maxAnswerLength'>,
): RelayReading {
  switch (content.type) {
    case 'text': {
      const control = typedControl(content.text, input.controls, env);
      if (control !== null) return { kind: 'control', id: control };
      const trimmed = content.text.trim();
      const command = trimmed.startsWith(CONTROL_PREFIX) ? env.commands(trimmed.slice(CONTROL_PREFIX.length)) : null;
      if (command) return { kind: 'command', command };
      if (trimmed === '') return { kind: 'notice', key: 'common:empty', reprompt: false };
      if (content.text.length > env.maxAnswerLength) return { kind: 'notice', key: 'common:tooLong', reprompt: false };
      return { kind: 'pass', relayed: { type: 'text', text: content.text } };
    }
    case 'location':
      // Why without the point: the event is stored with the session, and a shared pin says where
      // the person is; a flow learns that a place was shared, never where.
      return { kind: 'pass', relayed: { type: 'location' } };
    case 'choice':
      if (input.controls.some((c) => c.id === content.choiceId)) return { kind: 'control', id: content.choiceId };
      return { kind: 'notice', key: LIST_CHANGED, reprompt: true };
    case 'unsupported':
      return { kind: 'notice', key: 'common:relayTextOnly', reprompt: false };
    case 'start':
      return { kind: 'start', payload: content.payload };
  }
}

/** What an answer to a multi-select does: re-prompt with a reason, show the new ticks, or finish. */
export type MultiReading =
  | { readonly kind: 'reject'; readonly key: string }
  | { readonly kind: 'ticked'; readonly picked: readonly string[] }
  | { readonly kind: 'done'; readonly picked: readonly string[] };

/** Reads a multi-select answer: each tap ticks or unticks one option (typed "1 3" several); `done` finishes. */
export function readMulti(content: InboundContent, input: Extract<InputSpec, { type: 'multi' }>, ctx: AnswerContext, picked: readonly string[]): MultiReading {
  const numbers = content.type === 'text' ? normalizeAnswer(content.text).split(' ') : [];
  const ids =
    numbers.length > 1 && numbers.every((n) => /^\d+$/.test(n))
      ? numbers.map((n) => ctx.shown[Number(n) - 1]?.id ?? null)
      : [resolveChoice(content, input, ctx)];
  if (ids.includes('stale')) return { kind: 'reject', key: LIST_CHANGED };
  let now = [...picked];
  let done = false;
  for (const id of ids) {
    if (id === null || id === 'stale') return { kind: 'reject', key: 'common:pickOne' };
    if (id === input.done.id) done = true;
    else now = now.includes(id) ? now.filter((p) => p !== id) : [...now, id];
  }
  if (!done) return { kind: 'ticked', picked: now };
  return now.length < (input.min ?? 1) ? { kind: 'reject', key: 'common:pickOne' } : { kind: 'done', picked: now };
}
