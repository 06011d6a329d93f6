/**
 * How many SMS segments a text takes (3GPP TS 23.038). A text written only with the GSM-7
 * alphabet goes 160 characters in one SMS, 153 per part once split (the rest of each part
 * carries the concatenation header); a character of the extension table (€ [ ] { } ...) costs
 * two. Any other character (Arabic, Persian, Tigrinya, Cyrillic, emoji) switches the whole text
 * to UCS-2: 70 UTF-16 units in one SMS, 67 per part. Parts never cut a two-unit character, so
 * the count is made by filling parts as the phone does, not by dividing.
 */

/** The GSM 03.38 default alphabet (ESC excluded: it only introduces the extension table). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: each is sent as ESC + a character, so it counts two septets. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

/** The encoding an SMS is sent in. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** A text measured as SMS. */
export interface SmsMeasure {
  readonly encoding: SmsEncoding;
  /** Segments billed (1 for an empty text, as a carrier bills it). */
  readonly segments: number;
  /** Septets (GSM-7) or UTF-16 units (UCS-2). */
  readonly units: number;
}

/** Limits per encoding: one whole SMS, one part of a concatenated SMS. */
export const SMS_LIMITS: Readonly<Record<SmsEncoding, { readonly single: number; readonly part: number }>> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** Whether every character of the text is in the GSM-7 alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false;
  return true;
}

/**
 * Typography that costs a whole encoding: one French no-break space or « turns a 160-character
 * SMS into a 70-character one. Each has a GSM-7 look-alike (what Twilio's Smart Encoding does).
 */
const LOOK_ALIKES: ReadonlyMap<string, string> = new Map([
  ['\u00a0', ' '], ['\u202f', ' '], ['\u2009', ' '], ['\u200b', ''],
  ['«', '"'], ['»', '"'], ['“', '"'], ['”', '"'], ['„', '"'], ['‘', "'"], ['’', "'"], ['‚', "'"],
  ['…', '...'], ['–', '-'], ['—', '-'], ['‑', '-'], ['•', '-'], ['·', '-'], ['ç', 'Ç'], ['â', 'a'], ['ê', 'e'], ['î', 'i'], ['ô', 'o'], ['û', 'u'],
  ['ë', 'e'], ['ï', 'i'], ['á', 'a'], ['í', 'i'], ['ó', 'o'], ['ú', 'u'], ['Ê', 'E'], ['È', 'E'], ['À', 'A'], ['Â', 'A'], ['Ô', 'O'], ['Î', 'I'], ['Á', 'A'], ['Í', 'I'], ['Ó', 'O'], ['Ú', 'U'], ['Û', 'U'], ['Ë', 'E'], ['Ï', 'I'],
  ['ş', 's'], ['Ş', 'S'], ['ğ', 'g'], ['Ğ', 'G'], ['ı', 'i'], ['İ', 'I'],
]);

/** Emoji and their joiners, selectors and keycaps, with the space after them. */
const EMOJI = /(?:[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0F\u200D\u20E3])+ ?/gu;

/**
 * The text as an SMS sends it best: without emoji and with GSM-7 look-alikes for its typography when that makes
 * the whole text GSM-7 (Latin-script languages: French, Spanish, Somali, Turkish without its own
 * letters), unchanged otherwise (Arabic, Cyrillic and Ethiopic go as UCS-2 and keep everything).
 */
export function smsFriendly(text: string): string {
  if (isGsm7(text)) return text;
  // Decorations (💬 🔔 ✅) go too: an old phone shows a box, and one costs the whole encoding.
  const plain = text.replace(EMOJI, '').replace(/^ +| +$/gm, '');
  const folded = [...plain].map((ch) => LOOK_ALIKES.get(ch) ?? ch).join('');
  return isGsm7(folded) ? folded : text;
}

/** The encoding, segments and units of a text sent as one SMS message. */
export function measureSms(text: string): SmsMeasure {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const costs = [...text].map((ch) => (encoding === 'GSM-7' ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length));
  const units = costs.reduce((a, b) => a + b, 0);
  const { single, part } = SMS_LIMITS[encoding];
  if (units <= single) return { encoding, segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > part) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding, segments, units };
}

/** Segments of a text sent as one SMS message. */
export function smsSegments(text: string): number {
  return measureSms(text).segments;
}
