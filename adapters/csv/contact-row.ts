import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { normalizeAnswer } from '../../core/dialog/normalize-answer.ts';
import { LANGUAGE_CODES, LANGUAGES } from '../../core/i18n/languages.ts';
import type { ContactImport } from '../../core/ports/contacts.port.ts';
import { FIRST_NAME_PATTERN, MAX_FIRST_NAME, TAG_PATTERN } from '../../core/text/people-text.ts';
import { addressFor, IMPORT_CHANNELS, type ImportChannel } from './contact-address.ts';

/** The columns of a contacts file by canonical name, the name rejection reasons use. */
export const CONTACT_COLUMNS = ['first_name', 'phone', 'language', 'channel', 'tags'] as const;
/** One of {@link CONTACT_COLUMNS}. */
export type ContactColumn = (typeof CONTACT_COLUMNS)[number];

/** Header names accepted per column, compared after {@link headerKey} (case, accents, spaces, "_" ignored). */
const HEADER_NAMES: Readonly<Record<ContactColumn, readonly string[]>> = {
  first_name: ['firstname', 'prenom', 'givenname'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile'],
  language: ['language', 'lang', 'langue'],
  channel: ['channel', 'canal'],
  tags: ['tags', 'tag', 'etiquettes'],
};
const OPTIONAL: ReadonlySet<ContactColumn> = new Set(['tags']);

const MAX_TAG = 40;
const MAX_TAGS = 20;

/** Which field of a record holds each column. */
export type ColumnIndex = ReadonlyMap<ContactColumn, number>;

function headerKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Maps a header record to column positions; other columns are ignored. */
export function mapHeader(header: readonly string[]): { ok: true; index: ColumnIndex } | { ok: false; reason: string } {
  const index = new Map<ContactColumn, number>();
  for (const [position, name] of header.entries()) {
    const key = headerKey(name);
    const column = CONTACT_COLUMNS.find((c) => HEADER_NAMES[c].includes(key));
    if (!column) continue;
    if (index.has(column)) return { ok: false, reason: `column ${column} appears twice` };
    index.set(column, position);
  }
  const missing = CONTACT_COLUMNS.filter((c) => !OPTIONAL.has(c) && !index.has(c));
  if (missing.length > 0) return { ok: false, reason: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  return { ok: true, index };
}

/** Whether a value is a country a phone number can default to ("FR", "de"). */
export function toCountryCode(value: string): CountryCode | null {
  const upper = value.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : null;
}

// Every code, English name, native name and alias of a language, folded as people type them.
const LANGUAGE_BY_NAME = new Map(
  LANGUAGES.flatMap((l) => [l.code, l.nativeName, l.englishName, ...l.aliases].map((name) => [normalizeAnswer(name), l.code] as const)),
);

function languageOf(value: string): string | null {
  const exact = LANGUAGE_BY_NAME.get(normalizeAnswer(value));
  if (exact) return exact;
  // A locale tag ("fr-FR", "ar_SY") names its language first.
  const locale = /^([a-z]{2,3})[-_][a-z0-9]{2,8}$/i.exec(value);
  return locale ? (LANGUAGE_BY_NAME.get(locale[1]!.toLowerCase()) ?? null) : null;
}

function channelOf(value: string): ImportChannel | null {
  const name = value.toLowerCase().replace(/[\s_]+/g, '-');
  // Plain "whatsapp" means the official Cloud API: the channel meant for broadcasts at scale.
  if (name === 'whatsapp') return 'whatsapp-cloud';
  return (IMPORT_CHANNELS as readonly string[]).includes(name) ? (name as ImportChannel) : null;
}

type Ctx = z.core.$RefinementCtx;

/** Records a problem with a field; reasons are fixed words, never the value (personal data). */
function problem(ctx: Ctx, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: undefined });
  return z.NEVER;
}

function rowSchema(defaultCountry: CountryCode | undefined) {
  return z.object({
    first_name: z.string().transform((v, ctx) => {
      if (!v) return problem(ctx, 'missing');
      if (/\p{Cc}/u.test(v)) return problem(ctx, 'contains a line break or control character');
      if ([...v].length > MAX_FIRST_NAME) return problem(ctx, `longer than ${MAX_FIRST_NAME} characters`);
      // The same rule as sign-up: the name fills {{firstName}} in broadcasts and is exported.
      if (!FIRST_NAME_PATTERN.test(v)) return problem(ctx, 'must be letters (no digits, symbols or formatting characters)');
      return v;
    }),
    phone: z.string().transform((v, ctx) => {
      if (!v) return problem(ctx, 'missing');
      // "00" is the international prefix in most of Europe, Africa and the Middle East.
      const international = v.replace(/^00/, '+');
      if (!defaultCountry && !international.startsWith('+')) return problem(ctx, 'missing country code (start with +)');
      const number = parsePhoneNumberFromString(defaultCountry ? v : international, defaultCountry);
      if (!number?.isValid()) return problem(ctx, 'not a valid phone number');
      return number.number;
    }),
    language: z.string().transform((v, ctx) => {
      if (!v) return problem(ctx, 'missing');
      return languageOf(v) ?? problem(ctx, `not supported (use one of ${LANGUAGE_CODES.join(', ')})`);
    }),
    channel: z.string().transform((v, ctx) => {
      if (!v) return problem(ctx, 'missing');
      return channelOf(v) ?? problem(ctx, `must be one of ${IMPORT_CHANNELS.join(', ')}`);
    }),
    tags: z.string().transform((v, ctx) => {
      // ";" and "|" separate tags; "," and line breaks too inside a quoted cell (or a ";" file).
      const tags = [...new Set(v.split(/[;|,\r\n]/).map((t) => t.trim()).filter(Boolean))];
      if (tags.some((t) => [...t].length > MAX_TAG)) return problem(ctx, `a tag is longer than ${MAX_TAG} characters`);
      if (tags.some((t) => !TAG_PATTERN.test(t))) return problem(ctx, 'a tag must start with a letter or digit and hold no formatting characters');
      if (tags.length > MAX_TAGS) return problem(ctx, `more than ${MAX_TAGS} tags`);
      return tags;
    }),
  });
}

/** A checked row, or the reason it was refused (`column: problem`, several joined by "; "). */
export type RowOutcome = { readonly ok: true; readonly contact: ContactImport } | { readonly ok: false; readonly reason: string };

/** Validates and normalises the rows of one file: phones to E.164, languages to codes, addresses derived. */
export function contactRowChecker(index: ColumnIndex, defaultCountry?: CountryCode): (fields: readonly string[]) => RowOutcome {
  const schema = rowSchema(defaultCountry);
  return (fields) => {
    const row = Object.fromEntries(CONTACT_COLUMNS.map((c) => [c, (index.has(c) ? fields[index.get(c)!] : undefined) ?? '']));
    // A file saved in a legacy encoding (Windows-1252) decodes with U+FFFD: refuse rather than store mangled names.
    if (Object.values(row).some((v) => v.includes('\uFFFD'))) return { ok: false, reason: 'row: not UTF-8 text' };
    const parsed = schema.safeParse(row);
    if (parsed.success) {
      const { first_name, phone, language, channel, tags } = parsed.data;
      return { ok: true, contact: { firstName: first_name, phone, lang: language, channel, address: addressFor(channel, phone), tags } };
    }
    const byColumn = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const column = String(issue.path[0] ?? 'row');
      if (!byColumn.has(column)) byColumn.set(column, issue.message);
    }
    return { ok: false, reason: [...byColumn].map(([column, message]) => `${column}: ${message}`).join('; ') };
  };
}
