import { loadLocales } from './bots/locales.ts';
import { measureSms, smsFriendly } from './core/text/sms-segments.ts';
import { createVariantTextRenderer } from './core/i18n/text-renderer.ts';
const r = loadLocales() as Record<string, Record<string, Record<string, unknown>>>;
const t = createVariantTextRenderer(r, 'sms');
for (const [lang, nss] of Object.entries(r)) for (const [ns, keys] of Object.entries(nss)) for (const [k, v] of Object.entries(keys)) {
  if (typeof v !== 'string' || k.endsWith('_sms')) continue;
  const m = measureSms(smsFriendly(t(lang, `${ns}:${k}`)));
  if (m.segments > 1) console.log(lang, `${ns}:${k}`, m.encoding, m.units, m.segments);
}
