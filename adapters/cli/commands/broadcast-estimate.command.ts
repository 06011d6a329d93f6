import { z } from 'zod';
import { loadLocales } from '../../../bots/locales.ts';
import { estimateSmsBroadcast } from '../../../bots/broadcast/sms-estimate.ts';
import { LANGUAGE_CODES } from '../../../core/i18n/languages.ts';
import { createVariantTextRenderer } from '../../../core/i18n/text-renderer.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { TranslationService } from '../../../core/translation/translation-service.ts';
import { libreTranslateFromConfig } from '../../libretranslate/libretranslate.translator.ts';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { orgCodeSchema, requiredText } from './fields.ts';
import { formatTable } from './table.ts';

const argsSchema = z.object({
  org: orgCodeSchema,
  text: requiredText().trim().min(1, 'is required').max(4000, 'must be at most 4000 characters'),
  lang: z.enum(['auto', ...LANGUAGE_CODES]).default('auto'),
  tags: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(/[;,|]/).map((t) => t.trim()).filter(Boolean) : [])),
});

/**
 * `broadcast:estimate`: the SMS segments and cost of a broadcast before it is sent, per
 * language, at SMS_PRICE_PER_SEGMENT. Translates as the server would (and fills the cache).
 */
export const broadcastEstimateCommand: CliCommand = {
  summary: 'SMS segments and cost of a broadcast, per language, before sending it',
  usage: '--org <code> --text "<message>" [--lang fr|auto] [--tags a;b]',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, { options: { org: { type: 'string' }, text: { type: 'string' }, lang: { type: 'string' }, tags: { type: 'string' } } }, argsSchema);
    if (!args.ok) return fail(args.error);
    const { org: code, text, lang, tags } = args.value;
    const store = await ctx.store();
    const org = await store.organisations.findByCode(code);
    if (!org) return fail(`no organisation with code "${code}"`);
    const { config } = ctx;
    const primary = config.DEEPL_AUTH_KEY ? (await import('../../deepl/deepl.translator.ts')).deeplTranslatorFromConfig(config) : null;
    const translation = new TranslationService({ primary, secondary: libreTranslateFromConfig(config), cache: store.translations, clock: ctx.clock, logger: silentLogger });
    const estimate = await estimateSmsBroadcast(
      { store, translation, smsWords: createVariantTextRenderer(loadLocales(), 'sms'), pricePerSegment: config.SMS_PRICE_PER_SEGMENT, currency: config.SMS_PRICE_CURRENCY },
      org,
      text,
      lang === 'auto' ? null : lang,
      tags.length > 0 ? { type: 'tags', tags } : { type: 'all' },
    );
    const rows = estimate.languages.map((l) => [l.lang, String(l.recipients), l.encoding, String(l.segmentsEach), String(l.segments), l.cost.toFixed(3)]);
    ctx.print(...formatTable(['lang', 'recipients', 'encoding', 'segments/copy', 'segments', `cost (${estimate.currency})`], rows));
    ctx.print(`total: ${estimate.total.recipients} SMS recipient(s), ${estimate.total.segments} segment(s), ${estimate.total.cost.toFixed(3)} ${estimate.currency} at ${estimate.pricePerSegment} per segment`);
    return ok;
  },
};
