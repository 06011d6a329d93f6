import { readFileSync } from 'node:fs';

/** The sign-in code message in each of the bot's languages (written by hand, like the bot's words). */
export const CODE_MESSAGES = JSON.parse(readFileSync(new URL('./locales/code-message.json', import.meta.url), 'utf8')) as Readonly<Record<string, string>>;

/** The chat message that carries a console sign-in code, in the person's language (English when it has none). */
export function codeMessage(lang: string, code: string): string {
  return (CODE_MESSAGES[lang] ?? CODE_MESSAGES['en']!).replace('{{code}}', code);
}
