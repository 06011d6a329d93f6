import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { Address } from '../../core/messages.ts';
import type { ChannelSender, SendResult } from '../../core/ports/channel.port.ts';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { TranslationService } from '../../core/translation/translation-service.ts';

/** Replies count as answers to a broadcast for this long after it was delivered. */
const REPLY_WINDOW_MS = 7 * 24 * 3_600_000;

/** What the reply desk is built from. */
export interface ReplyDeskDeps {
  readonly store: Store;
  readonly translation: TranslationService;
  readonly text: TextRenderer;
  /** The sender of a channel, when it runs. */
  readonly senderFor: (channel: Address['channel']) => ChannelSender | undefined;
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

  /**
   * Files a person's message as a reply to the last broadcast they received, if any in the
   * last week. Returns the organisation and the person's language, or null when there is none.
   */
  async receive(address: Address, text: string, personLang: string | null): Promise<{ orgName: string; lang: string } | null> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const last = await store.outbox.lastDeliveredTo(address, new Date(now.getTime() - REPLY_WINDOW_MS));
    if (!last) return null;
    const [contact, org] = await Promise.all([store.contacts.get(last.orgId, last.contactId), store.organisations.get(last.orgId)]);
    if (!contact || !org) return null;
    const lang = personLang ?? contact.lang;
    const translated = await this.translate(text, lang, org.lang);
    await store.inbox.add({
      id: this.deps.ids.newId(),
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
      const staff = this.deps.senderFor('telegram');
      const t = (key: string, params: Record<string, string>) => this.deps.text(org.lang, key, params);
      const body = t('broadcast:staffForward', { name: contact.firstName, lang, text: translated ?? text });
      const original = translated === null ? '' : `\n${t('broadcast:staffOriginal', { text })}`;
      const result = await staff?.send({ channel: 'telegram', id: org.staffChatId }, { type: 'text', text: body + original });
      if (result && result.status !== 'delivered') this.deps.logger.warn({ status: result.status }, 'reply not forwarded to the staff chat');
    }
    this.deps.logger.info({ org: org.id, broadcast: last.broadcastId }, 'reply to a broadcast filed');
    return { orgName: org.name, lang };
  }

  /** Sends an organisation's answer to one of its contacts, translated into the contact's language. */
  async answer(orgId: string, contactId: string, text: string): Promise<SendResult | null> {
    const { store, clock } = this.deps;
    const [contact, org] = await Promise.all([store.contacts.get(orgId, contactId), store.organisations.get(orgId)]);
    if (!contact || !org) return null;
    const person = contact.personId ? await store.people.get(contact.personId) : null;
    const lang = person?.lang ?? contact.lang;
    const translated = await this.translate(text, org.lang, lang);
    const sender = contact.address ? this.deps.senderFor(contact.address.channel) : undefined;
    const body = `${this.deps.text(lang, 'broadcast:answerHeader', { org: org.name })}\n${translated ?? text}`;
    // Why two reasons: an NGO fixes a missing address in its data, a channel that is off on the server.
    const result: SendResult = !contact.address
      ? { status: 'unreachable', reason: 'unknown-address' }
      : !sender
        ? { status: 'unreachable', reason: 'channel-not-configured' }
        : await sender.send(contact.address, { type: 'text', text: body });
    await store.inbox.add({
      id: this.deps.ids.newId(),
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
    return result;
  }

  /** People's words, translated once; null when no translation was needed or possible. */
  private async translate(text: string, from: string, to: string): Promise<string | null> {
    if (from === to) return null;
    // Never cached: these are people's own words, and "forget me" must leave no trace of them.
    const result = (await this.deps.translation.translateTemplate({ text, source: from, targets: [to], glossary: null, cache: false })).get(to);
    return result?.kind === 'translated' ? result.text : null;
  }
}
