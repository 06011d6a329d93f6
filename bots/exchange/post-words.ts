import { cleanFreeText } from '../../core/text/people-text.ts';
import { contactDetailIn } from '../common/relay/contact-details.ts';

/** Longest description kept, in characters. */
export const MAX_DESCRIPTION = 300;
/** Longest "in return" text kept. */
export const MAX_IN_RETURN = 120;

/** A poster's words as checked: kept (cleaned), or why they are asked again. */
export type CheckedWords = { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'emojiOnly' } | { readonly kind: 'tooLong' } | { readonly kind: 'contact' };

/**
 * Checks a poster's free text. Emoji alone (🔧👍) are kindly refused: they say little, and a
 * translator returns them as they are, so a reader in another language learns nothing.
 */
export function checkWords(raw: string, max: number): CheckedWords {
  const text = cleanFreeText(raw).trim();
  if ([...text].length > max) return { kind: 'tooLong' };
  if (!/[\p{L}\p{N}]/u.test(text)) return { kind: 'emojiOnly' };
  // Why refused, not held as in a relay: everyone nearby reads a post, and answers come through us.
  if (contactDetailIn(text) !== null) return { kind: 'contact' };
  return { kind: 'ok', text };
}

const DAY_MS = 86_400_000;

/** Whole days between a time and now (0 today). */
export function daysSince(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / DAY_MS));
}

/** A day as people of this language write it ("31 décembre"), in UTC so every process agrees. */
export function dayOf(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(iso));
}
