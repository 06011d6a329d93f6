/**
 * Personalisation placeholders (`{{firstName}}`) in people's words, and how they survive machine
 * translation. The template is translated once per language; each recipient's values are filled
 * in afterwards, per recipient, with `fillPlaceholders`.
 *
 * Two protections, chosen per target language:
 * - `markup`: the translator handles XML tags (DeepL with tag_handling=xml), so `{{name}}`
 *   becomes `<x id="name"/>` and the literal text is XML-escaped.
 * - `tokens`: the translator only takes plain text (DeepL's text-only languages, LibreTranslate),
 *   so each occurrence becomes a numbered token `⟦1⟧`. Translators usually keep such tokens but
 *   may drop, duplicate or localise them, so the result is verified: every token must come back
 *   exactly once (Persian and Arabic-Indic digits count as the same digits). To stay within one
 *   request per language, the batch also carries the text with its placeholders removed; when the
 *   tokens did not survive, that translation is used and the placeholders are put in front as a
 *   greeting (`{{firstName}}, …`), so the recipient's name still appears, at the start.
 */

/** `{{name}}` with an identifier inside, spaces around it tolerated. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** A placeholder tag as DeepL returns it: `<x id="n"/>`, `<x id="n" />` or `<x id="n"></x>`. */
const TAG = /<x\s+id\s*=\s*"([^"]*)"\s*(?:\/>|>\s*<\/x>)/g;
const ANY_TAG = /<\/?x\b[^>]*>/g;
const HAS_TAG = /<\/?x\b[^>]*>/;
/** A token as sent (`⟦12⟧`), tolerating spaces and Persian or Arabic-Indic digits on the way back. */
const TOKEN = /⟦\s*([0-9\u0660-\u0669\u06F0-\u06F9]+)\s*⟧/g;

/** The names of the placeholders in a text, in order, repeated as often as they occur. */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/**
 * Fills a translated template with one recipient's values. A placeholder without a value is
 * removed, and the spaces and commas it leaves behind are tidied ("Hello , …" -> "Hello, …").
 */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string>>): string {
  let missing = false;
  const filled = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined || value === '') missing = true;
    return value ?? '';
  });
  return missing ? tidy(filled) : filled;
}

/** Collapses the gaps a removed placeholder leaves: double spaces, space before punctuation, a leading comma. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+([,.;:!?،؛؟])/g, '$1')
    .replace(/^[ \t]*[,،][ \t]*/, '')
    .replace(/^[ \t]+|[ \t]+$/g, '');
}

/** One text made ready for a translator, and the way back to a template. */
export interface PreparedText {
  /** What to send, in order (one text, or two in token mode: tokens, then without placeholders). */
  readonly sent: readonly string[];
  /**
   * Turns the translations of `sent` back into a template with `{{name}}` placeholders;
   * `intact` is false when the placeholders did not survive and the greeting fallback was used.
   */
  finish(translated: readonly string[]): { readonly text: string; readonly intact: boolean };
}

/**
 * Prepares a text for a translation batch. `markup` is true when the batch is sent with XML tag
 * handling: then every text of the batch is XML-escaped, with or without placeholders.
 */
export function prepareForTranslation(text: string, markup: boolean): PreparedText {
  if (markup) return prepareAsTags(text);
  if (placeholderNames(text).length === 0) return { sent: [text], finish: ([out]) => ({ text: out ?? '', intact: true }) };
  return prepareAsTokens(text);
}

function prepareAsTags(text: string): PreparedText {
  const expected = countByName(placeholderNames(text));
  let sent = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    sent += escapeXml(text.slice(last, m.index)) + `<x id="${m[1] ?? ''}"/>`;
    last = m.index + m[0].length;
  }
  sent += escapeXml(text.slice(last));
  return {
    sent: [sent],
    finish([out = '']) {
      const found: string[] = [];
      const restored = out.replace(TAG, (_, name: string) => {
        found.push(name);
        return `{{${name}}}`;
      });
      const intact = !HAS_TAG.test(restored) && sameCounts(expected, countByName(found));
      if (intact) return { text: unescapeXml(restored), intact };
      // Why strip and prefix: a lost or doubled tag would drop or repeat a person's name.
      const plain = tidy(unescapeXml(out.replace(ANY_TAG, ' ')));
      return { text: withGreeting(text, plain), intact };
    },
  };
}

function prepareAsTokens(text: string): PreparedText {
  const names: string[] = [];
  const tokenised = text.replace(PLACEHOLDER, (_, name: string) => {
    names.push(name);
    return `⟦${names.length}⟧`;
  });
  const stripped = tidy(text.replace(PLACEHOLDER, ''));
  return {
    sent: stripped === '' ? [tokenised] : [tokenised, stripped],
    finish([out = '', withoutPlaceholders = '']) {
      const seen = new Map<number, number>();
      const restored = out.replace(TOKEN, (whole, digits: string) => {
        const n = Number(asciiDigits(digits));
        seen.set(n, (seen.get(n) ?? 0) + 1);
        const name = names[n - 1];
        return name === undefined ? whole : `{{${name}}}`;
      });
      const intact = seen.size === names.length && names.every((_, i) => seen.get(i + 1) === 1) && !/[⟦⟧]/.test(restored);
      if (intact) return { text: restored, intact };
      return { text: withGreeting(text, withoutPlaceholders), intact };
    },
  };
}

/** `{{a}}, translated` (or `{{a}} {{b}}, translated`): every distinct placeholder of the source first. */
function withGreeting(source: string, translated: string): string {
  const greeting = [...new Set(placeholderNames(source))].map((n) => `{{${n}}}`).join(' ');
  return translated === '' ? greeting : `${greeting}, ${translated}`;
}

function countByName(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts;
}

function sameCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

function asciiDigits(digits: string): string {
  return digits.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d{1,7});/g, (whole, n: string) => codePoint(Number(n), whole))
    .replace(/&#x([0-9a-fA-F]{1,6});/g, (whole, n: string) => codePoint(parseInt(n, 16), whole))
    .replace(/&amp;/g, '&');
}

function codePoint(n: number, otherwise: string): string {
  return n <= 0x10ffff ? String.fromCodePoint(n) : otherwise;
}
