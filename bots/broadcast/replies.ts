import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { Address, ChannelName } from '../../core/messages.ts';
import { preferredAddress } from '../../core/pipeline/freshest-address.ts';
import type { DeliveryStatus, NewOutboxMessage } from '../../core/ports/outbox.port.ts';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { fillPlaceholders, type TranslationService } from '../../core/translation/translation-service.ts';

/** Replies count as answers to a broadcast for this long after it was delivered. */
const REPLY_WINDOW_MS = 7 * 24 * 3_600_000;

/** What the reply desk is built from. */
export interface ReplyDeskDeps {
  readonly store: Store;
  readonly translation: TranslationService;
  readonly text: TextRenderer;
  /** The bot's words worded for a channel (SMS: short variants). */
  readonly textFor?: (channel: ChannelName) => TextRenderer;
  /** Queues messages in the outbox and wakes its worker. */
  readonly send: (messages: readonly NewOutboxMessage[]) => Promise<void>;
  /** Whether a sender runs for the channel (an answer to a channel that is off would wait forever). */
  readonly reaches: (channel: Address['channel']) => boolean;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/**
 * Carries words between an organisation and the people it broadcasts to, each side reading
 * their own language: replies go to the organisation's inbox (and its Telegram staff chat),
 * answers go to the person on their channel.
 */
export class ReplyDesk {
  constructor(private readonly deps: ReplyDeskDeps) {}

  /** The organisation whose broadcast this address received in the last week, if any: what a reply would answer. */
  async recentOrg(address: Address): Promise<{ orgName: string } | null> {
    const { store, clock } = this.deps;
    const last = await store.outbox.lastDeliveredTo(address, new Date(clock.now().getTime() - REPLY_WINDOW_MS));
    const org = last ? await store.organisations.get(last.orgId) : null;
    return org ? { orgName: org.name } : null;
  }

  /**
   * Files a person's message as a reply to the last broadcast they received, if any in the
   * last week. Returns the organisation and the person's language, or null when there is none.
   * `id` makes it idempotent: filing the same reply again (a replayed effect) adds nothing.
   */
  async receive(id: string, address: Address, text: string, personLang: string | null): Promise<{ orgName: string; lang: string } | null> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const last = await store.outbox.lastDeliveredTo(address, new Date(now.getTime() - REPLY_WINDOW_MS));
    if (!last) return null;
    const [contact, org] = await Promise.all([store.contacts.get(last.orgId, last.contactId), store.organisations.get(last.orgId)]);
    if (!contact || !org) return null;
    const lang = personLang ?? contact.lang;
    const translated = await this.translate(text, lang, org.lang);
    await store.inbox.add({
      id,
      orgId: org.id,
      contactId: contact.id,
      direction: 'in',
      broadcastId: last.broadcastId,
      text,
      lang,
      translatedText: translated,
      translatedLang: translated === null ? null : org.lang,
      at: now.toISOString(),
    });
    if (org.staffChatId) {
      const t = (key: string, params: Record<string, string>) => this.deps.text(org.lang, key, params);
      const body = t('broadcast:staffForward', { name: contact.firstName, lang, text: translated ?? text });
      const original = translated === null ? '' : `\n${t('broadcast:staffOriginal', { text })}`;
      await this.deps.send([
        { id: `${id}:staff`, kind: 'notice', to: { channel: 'telegram', id: org.staffChatId }, reply: { lang: org.lang, message: { type: 'text', text: body + original } }, inboundAt: null, orgId: org.id },
      ]);
    }
    this.deps.logger.info({ org: org.id, broadcast: last.broadcastId }, 'reply to a broadcast filed');
    return { orgName: org.name, lang };
  }

  /**
   * Queues an organisation's answer to one of its contacts, translated into the contact's language
   * and personalised, to the identity they last wrote from. It waits in the outbox when the person
   * is outside a messaging window, and arrives when they write again. Null for an unknown contact.
   */
  async answer(
    orgId: string,
    contactId: string,
    text: string,
    /** The translation a person previewed (and maybe corrected): sent as it is. */
    reviewed?: string,
    /** Makes the answer idempotent (a form sent twice): the same key queues and files it once. */
    key?: string,
  ): Promise<{ readonly id: string; readonly status: DeliveryStatus } | { readonly status: 'unreachable'; readonly reason: 'unknown-address' | 'channel-not-configured' } | null> {
    const { store, clock } = this.deps;
    const [contact, org] = await Promise.all([store.contacts.get(orgId, contactId), store.organisations.get(orgId)]);
    if (!contact || !org) return null;
    const person = contact.personId ? await store.people.get(contact.personId) : null;
    const lang = person?.lang ?? contact.lang;
    const translated = reviewed ?? (await this.translate(text, org.lang, lang));
    const body = fillPlaceholders(translated ?? text, { firstName: person?.firstName ?? contact.firstName });
    const to = (person ? await preferredAddress(person, store) : null) ?? contact.address;
    // Why two reasons: an NGO fixes a missing address in its data, a channel that is off on the server.
    if (!to) return { status: 'unreachable', reason: 'unknown-address' };
    if (!this.deps.reaches(to.channel)) return { status: 'unreachable', reason: 'channel-not-configured' };
    const id = `answer:${key ?? this.deps.ids.newId()}`;
    const message = `${(this.deps.textFor?.(to.channel) ?? this.deps.text)(lang, 'broadcast:answerHeader', { org: org.name })}\n${body}`;
    await this.deps.send([{ id, kind: 'answer', to, reply: { lang, message: { type: 'text', text: message } }, inboundAt: null, orgId, contactId }]);
    await store.inbox.add({
      id,
      orgId,
      contactId,
      direction: 'out',
      broadcastId: null,
      text,
      lang: org.lang,
      translatedText: translated,
      translatedLang: translated === null ? null : lang,
      at: clock.now().toISOString(),
    });
    return { id, status: 'pending' };
  }

  /**
   * What an answer would read like for this contact: their language and the translation (null
   * when none is needed or possible). Null for an unknown contact.
   */
  async previewAnswer(orgId: string, contactId: string, text: string): Promise<{ readonly lang: string; readonly translated: string | null } | null> {
    const { store } = this.deps;
    const [contact, org] = await Promise.all([store.contacts.get(orgId, contactId), store.organisations.get(orgId)]);
    if (!contact || !org) return null;
    const person = contact.personId ? await store.people.get(contact.personId) : null;
    const lang = person?.lang ?? contact.lang;
    return { lang, translated: await this.translate(text, org.lang, lang) };
  }

  /** People's words, translated once; null when no translation was needed or possible. */
  private async translate(text: string, from: string, to: string): Promise<string | null> {
    if (from === to) return null;
    // Never cached: these are people's own words, and "forget me" must leave no trace of them.
    const result = (await this.deps.translation.translateTemplate({ text, source: from, targets: [to], glossary: null, cache: false })).get(to);
    return result?.kind === 'translated' ? result.text : null;
  }
}
