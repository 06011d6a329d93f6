/**
 * Messaging windows and templates. WhatsApp (Cloud API) and Messenger accept free-form messages
 * only within 24 hours of a person's last message; outside it a message is held, not dropped,
 * and released when the person writes again. Where the operator has approved templates, a held
 * message triggers one template notice that asks the person to write back.
 */

/** An approved template: its name and the language code Meta registered it under. */
export interface TemplateRef {
  readonly name: string;
  readonly language: string;
}

/** Which templates exist, per language of ours. */
export interface TemplatePolicy {
  /** "You have a new message from {{1}}. Reply to read it." in this language, if approved. */
  notice(lang: string): TemplateRef | null;
  /** A template whose one body parameter is a broadcast's text, if approved in this language. */
  broadcast(lang: string): TemplateRef | null;
}

/** No templates: held messages wait for the person to write. */
export const noTemplates: TemplatePolicy = { notice: () => null, broadcast: () => null };

/** Whether a free-form message may go now, counting from the latest time the person wrote. */
export function windowOpen(now: Date, windowMs: number, ...wroteAt: readonly (Date | null)[]): boolean {
  const latest = Math.max(...wroteAt.map((d) => d?.getTime() ?? -Infinity));
  return now.getTime() - latest < windowMs;
}

/** Meta's limit on one body parameter of a template. */
export const TEMPLATE_PARAM_MAX = 1024;

/**
 * A text made fit for a template parameter: Meta refuses new lines, tabs and more than four
 * spaces in a row, and parameters longer than the limit (the end is cut at a word, with "…").
 */
export function templateParam(text: string, max = TEMPLATE_PARAM_MAX): string {
  const flat = text
    .replace(/\s*[\r\n\t]+\s*/g, ' · ')
    .replace(/ {2,}/g, ' ')
    .replace(/^( · )+|( · )+$/g, '')
    .trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
