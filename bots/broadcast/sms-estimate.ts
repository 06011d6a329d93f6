import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { BroadcastTranslation } from '../../core/ports/broadcasts.port.ts';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type { Organisation } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { measureSms, smsFriendly, type SmsEncoding } from '../../core/text/sms-segments.ts';
import type { TranslationService } from '../../core/translation/translation-service.ts';
import { broadcastFrame, framedText } from './broadcast-words.ts';
import { glossaryOf } from './glossary.ts';

/** What an SMS broadcast will cost in one language. */
export interface SmsLanguageEstimate {
  readonly lang: string;
  readonly recipients: number;
  readonly encoding: SmsEncoding;
  /** Segments of one recipient's copy. */
  readonly segmentsEach: number;
  readonly segments: number;
  readonly cost: number;
  /** The copy as a recipient in this language reads it (first name as a sample). */
  readonly text: string;
}

/** The estimate of a broadcast's SMS part, per language and in all. */
export interface SmsEstimate {
  readonly pricePerSegment: number;
  readonly currency: string;
  readonly languages: readonly SmsLanguageEstimate[];
  readonly total: { readonly recipients: number; readonly segments: number; readonly cost: number };
}

/** What the estimate needs. */
export interface SmsEstimateDeps {
  readonly store: Store;
  readonly translation: TranslationService;
  /** The bot's words as SMS says them (the `_sms` variants). */
  readonly smsWords: TextRenderer;
  readonly pricePerSegment: number;
  readonly currency: string;
}

/** Rounds money to a tenth of a cent, enough for an estimate without float noise. */
const money = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Segments and cost of a broadcast to the audience's SMS contacts, per language, before it is
 * sent: each language's copy is translated (the result is cached, so the broadcast sends the same
 * words), framed and folded exactly as the outbox sends it, and measured. A `{{firstName}}` is
 * counted with the language's sample name; a name longer than it may add a segment.
 */
export async function estimateSmsBroadcast(deps: SmsEstimateDeps, org: Organisation, text: string, sourceLang: string | null, audience: Audience): Promise<SmsEstimate> {
  const langs = await deps.store.contacts.audienceLanguages(org.id, audience, 'sms');
  const targets = [...langs.keys()].sort();
  const results = targets.length > 0 ? await deps.translation.translateTemplate({ text, source: sourceLang, targets, glossary: glossaryOf(org) }) : new Map();
  const languages = targets.map((lang): SmsLanguageEstimate => {
    const result = results.get(lang);
    // A language that fails now is retried at send time, then sent as written with a note: counted as that.
    const translation: BroadcastTranslation = !result || result.kind === 'failed' ? { kind: 'source', text, reason: 'gave-up' } : result.kind === 'translated' ? { kind: 'translated', text: result.text, by: result.by } : result;
    const copy = smsFriendly(framedText(broadcastFrame(deps.smsWords, lang, org.name, translation), translation.text, deps.smsWords(lang, 'broadcast:sampleName')));
    const { encoding, segments } = measureSms(copy);
    const recipients = langs.get(lang) ?? 0;
    return { lang, recipients, encoding, segmentsEach: segments, segments: segments * recipients, cost: money(segments * recipients * deps.pricePerSegment), text: copy };
  });
  const segments = languages.reduce((n, l) => n + l.segments, 0);
  return {
    pricePerSegment: deps.pricePerSegment,
    currency: deps.currency,
    languages,
    total: { recipients: languages.reduce((n, l) => n + l.recipients, 0), segments, cost: money(segments * deps.pricePerSegment) },
  };
}
