import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { ChannelName } from '../../core/messages.ts';
import type { Composition } from '../../core/outbox/outbox-worker.ts';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type { Broadcast, BroadcastOrigin, BroadcastTranslation } from '../../core/ports/broadcasts.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { DeliveryJob, DeliveryOutcome } from '../../core/ports/outbox.port.ts';
import type { Organisation } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { Glossary } from '../../core/ports/translator.port.ts';
import { fillPlaceholders, type TranslationService } from '../../core/translation/translation-service.ts';
import type { SendResult } from '../../core/ports/channel.port.ts';
import { broadcastFrame, framedText, type BroadcastFrame } from './broadcast-words.ts';
import { glossaryOf } from './glossary.ts';

/** What a new broadcast needs. */
export interface NewBroadcast {
  /** Given when the broadcast comes from something redelivered (a channel post, a replayed effect): created once. */
  readonly id?: string;
  readonly orgId: string;
  readonly text: string;
  readonly sourceLang: string | null;
  readonly audience: Audience;
  readonly origin: BroadcastOrigin;
  /** Nothing is sent before this time; now when absent. */
  readonly scheduledAt?: Date;
  /** Texts per language that a person reviewed (and maybe edited): sent as they are, never machine-translated again. */
  readonly reviewed?: ReadonlyMap<string, string>;
}

/** One language of a draft under review: what the machine made of it, and that read back in the reviewer's language. */
export interface DraftLanguage {
  readonly lang: string;
  readonly recipients: number;
  /** The text recipients would read (placeholders kept), or the original when it is not translated. */
  readonly text: string;
  /** Why the text stays as written, when it does. */
  readonly untranslated: string | null;
  /** The translation read back into the reviewer's language, for languages they cannot read (null when the same or not possible). */
  readonly back: string | null;
}

/** What the broadcast service is built from. */
export interface BroadcastServiceDeps {
  readonly store: Store;
  readonly translation: TranslationService;
  readonly text: TextRenderer;
  /** The bot's words worded for a channel (SMS: short variants, no emoji that would cost UCS-2). */
  readonly textFor?: (channel: ChannelName) => TextRenderer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Told when deliveries become due, to wake the dispatcher. */
  readonly onReady?: () => void;
}

/** Why: a translator out of quota may come back; retry a language a few times, then send the source. */
const TRANSLATION_RETRIES = 5;
const TRANSLATION_RETRY_MS = 30_000;

interface Prepared {
  readonly broadcast: Broadcast;
  readonly org: Organisation;
  translations: Map<string, BroadcastTranslation>;
  /** The bot's own words around the text, per channel and language (rendered once, not once per recipient). */
  readonly frames: Map<string, BroadcastFrame>;
}

/**
 * Translated broadcasts: creates them, prepares them when due (one translation per audience
 * language, then one outbox row per recipient), and words each recipient's copy.
 */
export class BroadcastService {
  private readonly prepared = new Map<string, Prepared>();
  private readonly translationFailures = new Map<string, { count: number; retryAt: number }>();
  /** Why: concurrent sends of one language must share one translation request, not each make one. */
  private readonly translating = new Map<string, Promise<void>>();

  constructor(private readonly deps: BroadcastServiceDeps) {}

  /** Records a broadcast; it is sent at its time by `tick`. Returns it with its audience size. */
  async create(input: NewBroadcast): Promise<{ broadcast: Broadcast; recipients: number; created: boolean }> {
    const now = this.deps.clock.now();
    const existing = input.id ? await this.deps.store.broadcasts.get(input.orgId, input.id) : null;
    if (existing) return { broadcast: existing, recipients: await this.deps.store.contacts.countAudience(input.orgId, existing.audience), created: false };
    const broadcast: Broadcast = {
      id: input.id ?? this.deps.ids.newId(),
      orgId: input.orgId,
      text: input.text,
      sourceLang: input.sourceLang,
      audience: input.audience,
      origin: input.origin,
      status: 'scheduled',
      scheduledAt: (input.scheduledAt ?? now).toISOString(),
      createdAt: now.toISOString(),
    };
    const reviewed = new Map([...(input.reviewed ?? new Map<string, string>())].map(([lang, text]) => [lang, { kind: 'translated', text, by: 'reviewed' } as const]));
    await this.deps.store.broadcasts.create(broadcast, reviewed);
    const recipients = await this.deps.store.contacts.countAudience(input.orgId, input.audience);
    this.deps.logger.info({ broadcast: broadcast.id, origin: input.origin, recipients }, 'broadcast created');
    return { broadcast, recipients, created: true };
  }

  /** Translates a text for a preview, exactly as recipients in those languages would read it. */
  async preview(org: Organisation, text: string, langs: readonly string[]): Promise<Map<string, string>> {
    const results = await this.deps.translation.translateTemplate({ text, source: null, targets: langs, glossary: glossaryOf(org) });
    const out = new Map<string, string>();
    for (const lang of langs) {
      const result = results.get(lang);
      const body = result && result.kind !== 'failed' ? result.text : text;
      out.set(lang, fillPlaceholders(body, { firstName: this.deps.text(lang, 'broadcast:sampleName') }));
    }
    return out;
  }

  /**
   * A draft for review: its text in every language of the audience as it would be sent (with
   * `{{firstName}}` kept), each read back into `readerLang` so a person can check languages they
   * cannot read. Nothing is stored but the translation cache.
   */
  async draft(org: Organisation, text: string, audience: Audience, readerLang: string): Promise<DraftLanguage[]> {
    const langs = await this.deps.store.contacts.audienceLanguages(org.id, audience);
    const targets = [...langs.keys()].sort();
    const results = await this.deps.translation.translateTemplate({ text, source: null, targets, glossary: glossaryOf(org) });
    return Promise.all(
      targets.map(async (lang) => {
        const result = results.get(lang);
        const translated = result?.kind === 'translated' ? result.text : null;
        const untranslated = result === undefined ? 'gave-up' : result.kind === 'translated' ? null : result.kind === 'source' ? result.reason : 'gave-up';
        let back: string | null = null;
        if (translated !== null && lang !== readerLang) {
          const read = (await this.deps.translation.translateTemplate({ text: translated, source: lang, targets: [readerLang], glossary: null })).get(readerLang);
          back = read?.kind === 'translated' ? read.text : null;
        }
        return { lang, recipients: langs.get(lang) ?? 0, text: translated ?? text, untranslated: untranslated === 'same-language' ? null : untranslated, back };
      }),
    );
  }

  /**
   * Prepares every due broadcast: translates it once per audience language, creates the outbox
   * rows, then marks it sending; and marks finished broadcasts done. Safe to run in several
   * processes: each step is idempotent or a compare-and-set.
   */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    for (const broadcast of await this.deps.store.broadcasts.due(now, 10)) {
      try {
        await this.prepare(broadcast);
      } catch (error) {
        this.deps.logger.error({ broadcast: broadcast.id, err: error instanceof Error ? error.name : 'unknown' }, 'broadcast preparation failed');
      }
    }
    for (const broadcast of await this.deps.store.broadcasts.inStatus('sending', 50)) {
      if (!(await this.deps.store.outbox.anyOpen(broadcast.id)) && (await this.deps.store.broadcasts.transition(broadcast.id, 'sending', 'done'))) {
        this.prepared.delete(broadcast.id);
        this.deps.logger.info({ broadcast: broadcast.id }, 'broadcast done');
      }
    }
  }

  private async prepare(broadcast: Broadcast): Promise<void> {
    const org = await this.deps.store.organisations.get(broadcast.orgId);
    if (!org) throw new Error('broadcast of an unknown organisation');
    const langs = [...(await this.deps.store.contacts.audienceLanguages(broadcast.orgId, broadcast.audience)).keys()];
    const stored = await this.deps.store.broadcasts.translations(broadcast.id);
    await this.translate(broadcast, org, langs.filter((l) => !stored.has(l)));
    const created = await this.deps.store.outbox.materialize(broadcast.id, broadcast.orgId, broadcast.audience, this.deps.clock.now());
    if (await this.deps.store.broadcasts.transition(broadcast.id, 'scheduled', 'sending')) {
      this.deps.logger.info({ broadcast: broadcast.id, deliveries: created, languages: langs.length }, 'broadcast sending');
      this.deps.onReady?.();
    }
  }

  /** Translates into the given languages and stores what succeeded; failures are retried later. */
  private async translate(broadcast: Broadcast, org: Organisation, langs: readonly string[]): Promise<void> {
    if (langs.length === 0) return;
    const glossary: Glossary | null = glossaryOf(org);
    const results = await this.deps.translation.translateTemplate({ text: broadcast.text, source: broadcast.sourceLang, targets: langs, glossary });
    for (const lang of langs) {
      const result = results.get(lang);
      const key = `${broadcast.id}:${lang}`;
      if (!result || result.kind === 'failed') {
        const failures = (this.translationFailures.get(key)?.count ?? 0) + 1;
        if (failures >= TRANSLATION_RETRIES) {
          await this.deps.store.broadcasts.saveTranslation(broadcast.id, lang, { kind: 'source', text: broadcast.text, reason: 'gave-up' });
          this.translationFailures.delete(key);
        } else {
          const retryAt = this.deps.clock.now().getTime() + TRANSLATION_RETRY_MS * 2 ** (failures - 1);
          this.translationFailures.set(key, { count: failures, retryAt });
        }
        this.deps.logger.warn({ broadcast: broadcast.id, lang, kind: result?.kind === 'failed' ? result.error.kind : 'missing', failures }, 'translation failed');
        continue;
      }
      this.translationFailures.delete(key);
      const translation: BroadcastTranslation = result.kind === 'translated' ? { kind: 'translated', text: result.text, by: result.by } : result;
      await this.deps.store.broadcasts.saveTranslation(broadcast.id, lang, translation);
    }
  }

  /** Words one recipient's copy: header, their translation with their first name, a reply hint. */
  async compose(job: DeliveryJob): Promise<Composition> {
    const { broadcastId, orgId } = job;
    if (!broadcastId || !orgId) return { outcome: { status: 'dead', reason: 'not a broadcast row' } };
    let prepared = this.prepared.get(broadcastId);
    if (!prepared) {
      const broadcast = (await this.deps.store.broadcasts.get(orgId, broadcastId))!;
      const org = (await this.deps.store.organisations.get(orgId))!;
      prepared = { broadcast, org, translations: await this.deps.store.broadcasts.translations(broadcastId), frames: new Map() };
      this.prepared.set(broadcastId, prepared);
    }
    let translation = prepared.translations.get(job.lang);
    if (!translation) {
      const key = `${broadcastId}:${job.lang}`;
      const failure = this.translationFailures.get(key);
      const now = this.deps.clock.now().getTime();
      if (!failure || failure.retryAt <= now) {
        const entry = prepared;
        let pending = this.translating.get(key);
        if (!pending) {
          pending = this.translate(entry.broadcast, entry.org, [job.lang])
            .then(async () => {
              entry.translations = await this.deps.store.broadcasts.translations(broadcastId);
            })
            .finally(() => this.translating.delete(key));
          this.translating.set(key, pending);
        }
        await pending;
        translation = prepared.translations.get(job.lang);
      }
      if (!translation) {
        const retryAt = this.translationFailures.get(key)?.retryAt ?? now + TRANSLATION_RETRY_MS;
        return { outcome: { status: 'retry', at: new Date(retryAt), reason: 'translation-pending', countsAsAttempt: false } };
      }
    }
    const frameKey = `${job.channel}:${job.lang}:${translation.kind === 'source' ? translation.reason : 'translated'}`;
    let frame = prepared.frames.get(frameKey);
    if (!frame) {
      frame = broadcastFrame(this.deps.textFor?.(job.channel) ?? this.deps.text, job.lang, prepared.org.name, translation);
      prepared.frames.set(frameKey, frame);
    }
    return { message: { type: 'text', text: framedText(frame, translation.text, job.firstName) } };
  }

  /**
   * Remembers for good that a contact cannot be reached (blocked, not on the channel), and that
   * one who said STOP to the carrier (the word never reached us) wants no more news.
   */
  async settled(job: DeliveryJob, outcome: DeliveryOutcome, result: SendResult | null): Promise<void> {
    if (outcome.status !== 'unreachable' || result?.status !== 'unreachable' || !job.contactId) return;
    if (result.reason === 'opted-out' && job.address) await this.deps.store.contacts.unsubscribeAddress(job.address, this.deps.clock.now());
    if (result.reason === 'blocked' || result.reason === 'deleted' || result.reason === 'not-on-channel') {
      await this.deps.store.contacts.markUnreachable(job.contactId, result.reason, this.deps.clock.now());
    }
  }
}
