import { createHash } from 'node:crypto';
import type { EngineInput, TextRenderer } from '../../../core/dialog/engine-env.ts';
import type { JsonObject } from '../../../core/dialog/json.ts';
import { TranslationError } from '../../../core/errors.ts';
import { LANGUAGES } from '../../../core/i18n/languages.ts';
import type { Address, ChannelName } from '../../../core/messages.ts';
import { preferredAddress } from '../../../core/pipeline/freshest-address.ts';
import type { Clock, IdGenerator } from '../../../core/ports/clock.port.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import type { NewOutboxMessage, OutboxKind } from '../../../core/ports/outbox.port.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import type { Relay } from '../../../core/ports/relays.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';
import type { TranslationService } from '../../../core/translation/translation-service.ts';
import type { RelayPresence } from './relay-presence.ts';
import type { RelaySubjects } from './relay-subjects.ts';

/** A relay closes after this long without messages (both sides are told). */
export const RELAY_SILENCE_MS = 14 * 24 * 3_600_000;
/** Messages kept per relay: enough for "original" and a report's evidence, no more. */
export const RELAY_MESSAGES_KEPT = 20;
/** Why: after this long a translator still failing should not keep a person's words from arriving. */
export const TRANSLATION_PATIENCE_MS = 2 * 60_000;

/** What every part of the relay is built from (wired once, in the composition root). */
export interface RelayDeps {
  readonly store: Store;
  readonly translation: TranslationService;
  readonly text: TextRenderer;
  readonly subjects: RelaySubjects;
  readonly presence: RelayPresence;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Queues messages in the outbox and wakes its worker. */
  readonly send: (messages: readonly NewOutboxMessage[]) => Promise<void>;
  /** Moves another person's conversation (the pipeline's signal), durably. */
  readonly signal: (to: Address, id: string, input: EngineInput) => Promise<void>;
  /** A channel's messaging window (24 h on WhatsApp and Messenger), or null when it has none. */
  readonly windowMs: (channel: ChannelName) => number | null;
  /** Over relays are deleted this long after their last activity (default 183 days). */
  readonly retentionMs?: number;
}

/** A person's side of a relay. */
export type Side = 'requester' | 'receiver';

/** The side a person is on, or null when they are not in this relay. */
export function sideOf(relay: Relay, personId: string): Side | null {
  if (relay.requesterId === personId) return 'requester';
  if (relay.receiverId === personId) return 'receiver';
  return null;
}

/** The other person's id (null once they left). */
export function otherOf(relay: Relay, personId: string): string | null {
  return relay.requesterId === personId ? relay.receiverId : relay.requesterId;
}

/** A short stable id derived from another (an effect id): replays make the same one. */
export function derivedId(prefix: string, from: string): string {
  return `${prefix}${createHash('sha256').update(from).digest('base64url').slice(0, 18)}`;
}

/** Helpers shared by the relay's parts: people, addresses, words, notices. */
export class RelayKit {
  constructor(readonly deps: RelayDeps) {}

  get store(): Store {
    return this.deps.store;
  }

  now(): Date {
    return this.deps.clock.now();
  }

  t(lang: string, key: string, params: Readonly<Record<string, string | number>> = {}): string {
    return this.deps.text(lang, `common:relay.${key}`, params);
  }

  /** The subject's header in a language; a neutral word when the flow no longer knows it. */
  async header(relay: Relay, lang: string): Promise<string> {
    const kind = this.deps.subjects.get(relay.subject.kind);
    return (await kind?.header(relay.subject.id, lang)) ?? this.t(lang, 'subjectGone');
  }

  async person(id: string | null): Promise<Person | null> {
    return id === null ? null : this.store.people.get(id);
  }

  /** Where a person reads best: the channel they chose first, else the identity they last wrote from. */
  async addressOf(person: Person): Promise<Address | null> {
    return preferredAddress(person, this.store);
  }

  /**
   * A person's words in the reader's language, at the moment they are sent: translated (never
   * cached: "forget" must leave no copy), or as written with a note naming the language when no
   * translator covers it. Throws a TranslationError while the translator fails, so that the
   * effect is tried again, until `patience` runs out: then the words go as written, with the note.
   */
  async inReaderLanguage(text: string, from: string, to: string, writtenAt: Date): Promise<string> {
    if (from === to) return text;
    const result = (await this.deps.translation.translateTemplate({ text, source: from, targets: [to], glossary: null, cache: false })).get(to);
    if (result?.kind === 'translated') return result.text;
    // Only an outage is worth waiting for; a language pair no translator takes never will be.
    const transient = result?.kind === 'failed' && (result.error.kind === 'unavailable' || result.error.kind === 'rate-limited');
    if (transient && this.now().getTime() - writtenAt.getTime() < TRANSLATION_PATIENCE_MS) {
      throw new TranslationError('relay translation failed; it will be tried again', 'unavailable', { cause: result?.kind === 'failed' ? result.error : undefined });
    }
    const name = LANGUAGES.find((l) => l.code === from)?.nativeName ?? from;
    return `${text}\n${this.t(to, 'untranslated', { lang: name })}`;
  }

  /** One outbox row of text for a person at an address. */
  row(id: string, kind: Exclude<OutboxKind, 'broadcast' | 'template-notice'>, to: Address, lang: string, text: string): NewOutboxMessage {
    return { id, kind, to, reply: { lang, message: { type: 'text', text } }, inboundAt: null };
  }

  /**
   * Tells a person something about a relay through their own conversation (a signal, so they
   * can answer it there); when their conversation would only keep it for the menu (they are
   * away or busy elsewhere), also a short notice so they know at once. `nudge` words it.
   */
  async notify(person: Person, name: string, id: string, payload: JsonObject, nudge: (lang: string) => string): Promise<void> {
    const to = await this.addressOf(person);
    if (!to) return;
    const shown = await this.deps.presence.accepts(to, name, this.now());
    await this.deps.signal(to, id, { kind: 'signal', name, id, payload });
    if (!shown) await this.deps.send([this.row(`${id}:nudge`, 'notice', to, person.lang, `${nudge(person.lang)}\n${this.t(person.lang, 'typeMenu')}`)]);
  }
}
