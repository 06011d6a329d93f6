import { z } from 'zod';

/**
 * Characters never kept in text from people: C0 and C1 controls except tab and line feed, DEL,
 * the byte-order mark, and the bidi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069) that can make a message or a name display as something else. ZWJ and ZWNJ
 * (U+200D, U+200C) stay: Persian, Pashto and Arabic words need them. So do the plain direction
 * marks (LRM, RLM, ALM), which phones insert in mixed-direction text and which reorder nothing.
 */
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF\u202A-\u202E\u2066-\u2069]/g;

/**
 * Cleans free text from outside (a chat message, an organisation's broadcast) before it is
 * stored or relayed: line endings become `\n`, and unsafe characters (see above) are removed.
 */
export function cleanFreeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, '');
}

/**
 * A first name, wherever it comes from (sign-up, a CSV import): letters of any script, marks,
 * spaces, hyphens, apostrophes, quotes (a nickname) and dots, starting with a letter; ZWNJ/ZWJ inside a word (as in
 * Persian). No digits, links, controls, bidi overrides, or formula prefixes (`=`, `+`, `@`).
 */
export const FIRST_NAME_PATTERN = /^[\p{L}\p{M}][\p{L}\p{M}\u200C\u200D '’".-]*$/u;

/** Longest first name kept, in code points. */
export const MAX_FIRST_NAME = 40;

/** {@link FIRST_NAME_PATTERN} as a zod schema, trimming first. */
export const firstNameSchema = z.string().trim().min(1).max(MAX_FIRST_NAME).regex(FIRST_NAME_PATTERN);

/** A tag an organisation gives contacts: starts with a letter or digit, so never a spreadsheet formula. */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} _.'’/&+-]*$/u;

/**
 * Makes a value safe to open in a spreadsheet: a value starting with `=`, `+`, `-`, `@`, tab
 * or carriage return would be run as a formula (CSV injection), so it gets a leading `'`.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
