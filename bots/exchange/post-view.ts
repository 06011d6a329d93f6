import type { Json } from '../../core/dialog/json.ts';
import type { ExchangePost } from '../../core/ports/exchange.port.ts';
import { roundedDistance } from '../common/places/coarse-place.ts';
import { categoryKey } from './categories.ts';
import { daysSince } from './post-words.ts';

/** Renders the bot's own words. */
export type Text = (lang: string, key: string, params?: Readonly<Record<string, Json>>) => string;

/** A post's words in the reader's language, and whether they could be translated. */
export interface ReaderWords {
  readonly description: string | null;
  readonly inReturn: string | null;
  readonly untranslated: boolean;
}

/** The "in return" line of a post: a gift, what the poster asks (offers) or offers (needs). */
export function inReturnLine(text: Text, lang: string, post: ExchangePost, inReturn: string | null): string | null {
  if (post.gift) return text(lang, 'exchange:isGift');
  if (inReturn === null) return null;
  return text(lang, post.kind === 'offer' ? 'exchange:inReturnAsks' : 'exchange:inReturnOffers', { text: inReturn });
}

/** How long ago, from the post's last renewal. */
export function postedAgo(text: Text, lang: string, post: ExchangePost, now: Date): string {
  const days = daysSince(post.renewedAt, now);
  if (days === 0) return text(lang, 'exchange:postedToday');
  if (days === 1) return text(lang, 'exchange:postedYesterday');
  return text(lang, 'exchange:postedDaysAgo', { count: days });
}

/** A distance as said: "about 2 km", "less than 1 km". */
export function distanceText(text: Text, lang: string, km: number): string {
  const rounded = roundedDistance(km);
  return text(lang, rounded.key, rounded);
}

/**
 * One search result, as the reader sees it: category, distance, the words (translated), what
 * in return, the poster's first name and how long ago. Never a phone number, a handle or a place.
 */
export function resultText(text: Text, lang: string, n: number, hit: { post: ExchangePost; km: number; firstName: string; words: ReaderWords }, now: Date): string {
  const { post, words } = hit;
  const lines = [text(lang, 'exchange:resultHead', { n, category: text(lang, categoryKey(post.category)), distance: distanceText(text, lang, hit.km) })];
  if (words.description !== null) lines.push(`“${words.description}”`);
  const inReturn = inReturnLine(text, lang, post, words.inReturn);
  if (inReturn !== null) lines.push(inReturn);
  if (words.untranslated && (words.description !== null || words.inReturn !== null)) lines.push(text(lang, 'exchange:notTranslated'));
  lines.push(text(lang, 'exchange:by', { name: hit.firstName, ago: postedAgo(text, lang, post, now) }));
  return lines.join('\n');
}
