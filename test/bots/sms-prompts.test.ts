import { describe, expect, it } from 'vitest';
import { loadLocales } from '../../bots/locales.ts';
import { createVariantTextRenderer } from '../../core/i18n/text-renderer.ts';
import { LANGUAGE_CODES } from '../../core/i18n/languages.ts';
import { measureSms, smsFriendly } from '../../core/text/sms-segments.ts';

/** Keys the bot never sends by SMS: the web page's own words, relay control words, command lists. */
const NOT_SMS = [/^common:webchat\./, /^common:relayWords\./, /^common:commands\./];
/** Said only where a channel receives no news (the terminal chat; SMS receives news), or to a staff chat on Telegram. */
const NEVER_ON_SMS = new Set(['broadcast:joinNoNews', 'broadcast:staffForward']);
/** Languages an SMS carries in GSM-7 once typography is folded (the others are UCS-2: 70 a segment). */
const GSM_LANGS = new Set(['en', 'fr', 'es', 'so', 'tr']);

const resources = loadLocales() as Record<string, Record<string, Record<string, unknown>>>;
const smsWords = createVariantTextRenderer(resources, 'sms');

/** Every text key of the bot, as `ns:key` (nested objects flattened), without the `_sms` variants themselves. */
function textKeys(): string[] {
  const keys: string[] = [];
  const walk = (ns: string, prefix: string, table: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(table)) {
      const key = `${prefix}${k}`;
      if (typeof v === 'string' && !k.endsWith('_sms')) keys.push(`${ns}:${key}`);
      else if (v && typeof v === 'object' && !Array.isArray(v)) walk(ns, `${key}.`, v as Record<string, unknown>);
    }
  };
  for (const [ns, table] of Object.entries(resources['en'] ?? {})) walk(ns, '', table);
  return keys.filter((k) => !NOT_SMS.some((re) => re.test(k)) && !NEVER_ON_SMS.has(k));
}

describe('every text the bot can send by SMS, in every language', () => {
  const keys = textKeys();
  const rows = LANGUAGE_CODES.flatMap((lang) =>
    keys.map((key) => {
      const text = smsFriendly(smsWords(lang, key, { firstName: 'Amina', orgName: 'Secours', count: 2 }));
      const hasVariant = smsWords(lang, key) !== createVariantTextRenderer(resources, 'none')(lang, key);
      return { lang, key, text, hasVariant, ...measureSms(text) };
    }),
  );

  it('lists them with their segment counts', () => {
    const lines = rows.map((r) => `${r.lang.padEnd(3)}${r.key.padEnd(34)}${r.encoding.padEnd(6)}${String(r.units).padStart(4)} units ${r.segments} seg${r.hasVariant ? '  (_sms)' : ''}`);
    console.log(`${rows.length} SMS texts\n${lines.join('\n')}`);
    const byCount = new Map<number, number>();
    for (const r of rows) byCount.set(r.segments, (byCount.get(r.segments) ?? 0) + 1);
    console.log(Object.fromEntries([...byCount].map(([n, count]) => [`${n} segment(s)`, count])));
    expect(rows.length).toBeGreaterThan(500);
  });

  // The first picker names the ten languages in their own scripts: UCS-2 whatever we do.
  it('fits each in at most two segments, and the Latin-script languages in GSM-7', () => {
    expect(rows.filter((r) => r.segments > 2).map((r) => `${r.lang} ${r.key}: ${r.segments}`)).toEqual([]);
    expect(rows.filter((r) => GSM_LANGS.has(r.lang) && r.encoding !== 'GSM-7' && r.key !== 'common:pickLanguageFirst').map((r) => `${r.lang} ${r.key}`)).toEqual([]);
  });

  it('fits every short SMS variant of a Latin-script language in one segment', () => {
    const variants = rows.filter((r) => r.hasVariant && GSM_LANGS.has(r.lang) && r.key !== 'common:pickLanguageFirst');
    expect(variants.length).toBeGreaterThanOrEqual(25);
    expect(variants.filter((r) => r.segments > 1).map((r) => `${r.lang} ${r.key}: ${r.units}`)).toEqual([]);
  });
});
