import type { Json } from '../../../core/dialog/json.ts';
import { normalizeAnswer } from '../../../core/dialog/normalize-answer.ts';
import { LANGUAGES } from '../../../core/i18n/languages.ts';
import type { Address } from '../../../core/messages.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import type { Relay, RelayMessage } from '../../../core/ports/relays.port.ts';
import { contactDetailIn } from './contact-details.ts';
import { otherOf, RELAY_MESSAGES_KEPT, RELAY_SILENCE_MS, sideOf, type RelayKit } from './relay-kit.ts';
import { RELAY_SIGNALS } from './relay-names.ts';

/** What happened to words typed in a relay, for the writer. */
export type SayOutcome = 'relayed' | 'held' | 'original' | 'not-open' | 'ignored';

/** Whether the text is the word "original" in one of our languages (or its `#` control). */
export function asksOriginal(kit: RelayKit, text: string): boolean {
  const folded = normalizeAnswer(text.replace(/^#/, ''));
  return folded === 'original' || LANGUAGES.some((l) => normalizeAnswer(kit.t(l.code, 'words.original')) === folded);
}

/**
 * A person's words for the other side of a relay. Held when they hold a phone number, an e-mail
 * address or a link (the writer is asked first); "original" shows the original of the last
 * message received instead. `messageId` derives from the effect, so a replay relays nothing twice.
 */
export async function sayInRelay(kit: RelayKit, messageId: string, from: Person, at: Address, relayId: string, text: string): Promise<SayOutcome> {
  const relay = await kit.store.relays.get(relayId);
  if (!relay || !sideOf(relay, from.id)) return 'ignored';
  if (asksOriginal(kit, text)) {
    await showOriginal(kit, relay, from, at, messageId);
    return 'original';
  }
  if (relay.status !== 'open') {
    await kit.deps.send([kit.row(`${messageId}:closed`, 'notice', at, from.lang, kit.t(from.lang, relay.status === 'requested' ? 'stillWaiting' : 'notOpen'))]);
    return 'not-open';
  }
  const stored = await kit.store.relays.getMessage(messageId);
  if (stored?.held) return 'held';
  const detail = contactDetailIn(text);
  const now = kit.now().toISOString();
  if (!stored && detail) {
    await kit.store.relays.addMessage({ id: messageId, relayId, fromPersonId: from.id, text, lang: from.lang, shownText: null, shownLang: null, held: true, at: now }, RELAY_MESSAGES_KEPT);
    const signal = `${messageId}:held`;
    await kit.deps.signal(at, signal, { kind: 'signal', name: RELAY_SIGNALS.held, id: signal, payload: { relayId, messageId, detail } });
    return 'held';
  }
  // Stored before it is translated: its time is when it was written, however long DeepL is down.
  const message: RelayMessage = stored ?? { id: messageId, relayId, fromPersonId: from.id, text, lang: from.lang, shownText: null, shownLang: null, held: false, at: now };
  if (!stored) await kit.store.relays.addMessage(message, RELAY_MESSAGES_KEPT);
  await deliver(kit, relay, message, from, at);
  return 'relayed';
}

/** The writer's answer to "Send it anyway?": the held message goes, or is deleted. */
export async function answerHeld(kit: RelayKit, messageId: string, from: Person, at: Address, send: boolean): Promise<Json> {
  const message = await kit.store.relays.getMessage(messageId);
  if (!message || message.fromPersonId !== from.id || !message.held) return { done: 'gone' };
  if (!send) {
    await kit.store.relays.discardMessage(messageId);
    return { done: 'discarded' };
  }
  const relay = await kit.store.relays.get(message.relayId);
  if (!relay || relay.status !== 'open') return { done: 'closed' };
  await deliver(kit, relay, message, from, at);
  return { done: 'sent' };
}

/**
 * Sends one message to the other side, in their language, to the channel they last wrote
 * from: the words themselves when they are reading this relay, else a short notice about it
 * (once, until they open it). The writer is told when the reader is outside a channel's
 * 24-hour window (the outbox holds the message until they are back).
 */
async function deliver(kit: RelayKit, relay: Relay, message: RelayMessage, from: Person, at: Address): Promise<void> {
  const reader = await kit.person(otherOf(relay, from.id));
  if (!reader) return;
  const to = await kit.addressOf(reader);
  const now = kit.now();
  const shown = await kit.inReaderLanguage(message.text, message.lang, reader.lang, new Date(message.at));
  const earlier = (await kit.store.relays.messages(relay.id, RELAY_MESSAGES_KEPT)).filter((m) => m.id !== message.id);
  await kit.store.relays.releaseMessage(message.id, shown, reader.lang, now);
  await kit.store.relays.transition(relay.id, ['open'], { lastMessageAt: now.toISOString(), closesAt: new Date(now.getTime() + RELAY_SILENCE_MS).toISOString() }, now);
  if (!to) return;
  const readerSeen = sideOf(relay, reader.id) === 'requester' ? relay.requesterSeenAt : relay.receiverSeenAt;
  if (await kit.deps.presence.talkingIn(to, relay.id, now)) {
    const header = await kit.header(relay, reader.lang);
    await kit.deps.send([kit.row(`${message.id}:to`, 'relay', to, reader.lang, `${kit.t(reader.lang, 'fromHeader', { name: from.firstName, subject: header })}\n${shown}`)]);
    await kit.store.relays.transition(relay.id, ['open'], sideOf(relay, reader.id) === 'requester' ? { requesterSeenAt: now.toISOString() } : { receiverSeenAt: now.toISOString() }, now);
  } else if (!earlier.some((m) => m.fromPersonId === from.id && m.at > readerSeen)) {
    // The first unread message rings; the next ones wait with it until the reader opens the relay.
    const header = await kit.header(relay, reader.lang);
    await kit.notify(reader, RELAY_SIGNALS.message, `${message.id}:ring`, { relayId: relay.id }, (lang) => kit.t(lang, 'nudgeMessage', { name: from.firstName, subject: header }));
  }
  await tellIfAway(kit, relay, message, from, at, reader, to, earlier);
}

/** "It will arrive when they are back": once per absence of the reader, not at every message. */
async function tellIfAway(kit: RelayKit, relay: Relay, message: RelayMessage, from: Person, at: Address, reader: Person, to: Address, earlier: readonly RelayMessage[]): Promise<void> {
  const windowMs = kit.deps.windowMs(to.channel);
  if (windowMs === null) return;
  const last = (await kit.store.reach.get(to))?.lastInboundAt ?? null;
  const now = kit.now().getTime();
  if (last !== null && now - last.getTime() < windowMs) return;
  const since = last?.getTime() ?? 0;
  if (earlier.some((m) => m.fromPersonId === from.id && Date.parse(m.at) > since && Date.parse(m.at) >= now - windowMs)) return;
  await kit.deps.send([kit.row(`${message.id}:away`, 'notice', at, from.lang, kit.t(from.lang, 'readerAway', { name: reader.firstName }))]);
  kit.deps.logger.info({ relay: relay.id, channel: to.channel }, 'relayed message waits for the reader to come back');
}

/** The original words of the last message the person received in this relay, in their words around it. */
export async function originalText(kit: RelayKit, relay: Relay, person: Person): Promise<string> {
  const last = (await kit.store.relays.messages(relay.id, RELAY_MESSAGES_KEPT)).filter((m) => m.fromPersonId !== person.id).at(-1);
  if (!last) return kit.t(person.lang, 'noOriginal');
  const lang = LANGUAGES.find((l) => l.code === last.lang)?.nativeName ?? last.lang;
  return kit.t(person.lang, 'originalText', { lang, text: last.text });
}

async function showOriginal(kit: RelayKit, relay: Relay, person: Person, at: Address, replyId: string): Promise<void> {
  await kit.deps.send([kit.row(`${replyId}:original`, 'notice', at, person.lang, await originalText(kit, relay, person))]);
}
