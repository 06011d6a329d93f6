import type { Json, JsonObject } from '../../../core/dialog/json.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import { RELAY_OVER, type Relay } from '../../../core/ports/relays.port.ts';
import { derivedId, otherOf, RELAY_MESSAGES_KEPT, RELAY_SILENCE_MS, sideOf, type RelayKit } from './relay-kit.ts';
import { RELAY_SIGNALS } from './relay-names.ts';

/** What a flow asks for: contact with someone about a subject. */
export interface RelayRequest {
  readonly subjectKind: string;
  readonly subjectId: string;
  readonly toPersonId: string;
  /** The requester's first words, relayed with the request. */
  readonly intro?: string | null;
  /** Opened at once, without the receiver's accept (a recruiter writing to an applicant). */
  readonly open?: boolean;
  /** The flow's own facts about the pair for its request text (a rounded distance), never a place. */
  readonly context?: Readonly<Record<string, string | number>> | null;
}

/** How a request ended: a relay to enter or wait for, or why there is none. */
export type RequestOutcome =
  | { readonly kind: 'requested' | 'opened' | 'exists'; readonly relayId: string; readonly peer: string }
  | { readonly kind: 'blocked' | 'suspended' | 'self' | 'gone' };

/**
 * Opens a relay, or asks the receiver first. Idempotent by `effectId` (a replay finds the same
 * relay and tells nobody twice). A block either way or a suspension refuses it without saying who.
 */
export async function requestRelay(kit: RelayKit, effectId: string, from: Person, request: RelayRequest): Promise<RequestOutcome> {
  const { store } = kit;
  if (!kit.deps.subjects.has(request.subjectKind)) throw new Error(`no relay subject kind ${request.subjectKind} registered`);
  if (request.toPersonId === from.id) return { kind: 'self' };
  const to = await store.people.get(request.toPersonId);
  if (!to) return { kind: 'gone' };
  if ((await store.relays.isSuspended(from.id)) || (await store.relays.isSuspended(to.id))) return { kind: 'suspended' };
  if (await store.relays.isBlockedEitherWay(from.id, to.id)) return { kind: 'blocked' };
  const subject = { kind: request.subjectKind, id: request.subjectId };
  const id = derivedId('r', effectId);
  const live = await store.relays.findLive(from.id, to.id, subject);
  if (live && live.id !== id) return { kind: 'exists', relayId: live.id, peer: to.firstName };
  const now = kit.now();
  const at = now.toISOString();
  const relay = await store.relays.create({
    id,
    subject,
    requesterId: from.id,
    receiverId: to.id,
    status: request.open ? 'open' : 'requested',
    intro: request.intro?.trim() || null,
    context: request.context ?? null,
    createdAt: at,
    updatedAt: at,
    lastMessageAt: at,
    closesAt: new Date(now.getTime() + RELAY_SILENCE_MS).toISOString(),
    endedBy: null,
    requesterSeenAt: at,
    // Opened at once: the intro is unread for the receiver until they open the relay.
    receiverSeenAt: request.open ? new Date(0).toISOString() : at,
    requesterAnswered: false,
    receiverAnswered: false,
  });
  if (relay.status === 'open' && relay.intro) {
    // Opened at once: the first words are a message like any other, read when the receiver opens it.
    await store.relays.addMessage({ id: `${id}:intro`, relayId: id, fromPersonId: from.id, text: relay.intro, lang: from.lang, shownText: relay.intro, shownLang: from.lang, held: false, at }, RELAY_MESSAGES_KEPT);
  }
  const header = await kit.header(relay, to.lang);
  await kit.notify(to, RELAY_SIGNALS.request, `${id}:request`, { relayId: id }, (lang) =>
    kit.t(lang, relay.status === 'open' ? 'nudgeOpened' : 'nudgeRequest', { name: from.firstName, subject: header }),
  );
  kit.deps.logger.info({ relay: id, kind: subject.kind, open: relay.status === 'open' }, 'relay requested');
  return { kind: relay.status === 'open' ? 'opened' : 'requested', relayId: id, peer: to.firstName };
}

/**
 * The receiver's answer to a request: accept opens the relay (the requester is told and can
 * write), decline tells the requester kindly. Applies once, whoever answers twice.
 */
export async function decideRequest(kit: RelayKit, relayId: string, person: Person, accept: boolean): Promise<void> {
  const relay = await kit.store.relays.get(relayId);
  if (!relay || relay.receiverId !== person.id) return;
  const now = kit.now();
  const patch = accept
    ? { status: 'open' as const, lastMessageAt: now.toISOString(), closesAt: new Date(now.getTime() + RELAY_SILENCE_MS).toISOString(), receiverSeenAt: now.toISOString() }
    : { status: 'declined' as const, endedBy: person.id };
  const changed = await kit.store.relays.transition(relayId, ['requested'], patch, now);
  if (!changed) return;
  const requester = await kit.person(changed.requesterId);
  if (!requester) return;
  const header = await kit.header(changed, requester.lang);
  await kit.notify(requester, accept ? RELAY_SIGNALS.accepted : RELAY_SIGNALS.ended, `${relayId}:${accept ? 'accepted' : 'declined'}`, { relayId }, (lang) =>
    kit.t(lang, accept ? 'nudgeAccepted' : 'nudgeDeclined', { name: person.firstName, subject: header }),
  );
}

/** A relay as one of its two people sees it when they open it; `kind` drives the dialog. */
export async function viewRelay(kit: RelayKit, relayId: string, person: Person): Promise<JsonObject> {
  const relay = await kit.store.relays.get(relayId);
  const side = relay ? sideOf(relay, person.id) : null;
  if (!relay || !side) return { kind: 'gone' };
  const other = await kit.person(otherOf(relay, person.id));
  const lang = person.lang;
  const subject = await kit.header(relay, lang);
  const base = { relayId, subject, peer: other?.firstName ?? kit.t(lang, 'someone') };
  if (relay.status === 'requested') {
    if (side === 'requester') return { ...base, kind: 'outgoing' };
    return { ...base, kind: 'incoming', request: await requestText(kit, relay, lang, base.peer, subject) };
  }
  if (RELAY_OVER.includes(relay.status)) {
    const answered = side === 'requester' ? relay.requesterAnswered : relay.receiverAnswered;
    const ask = relay.status !== 'declined' && relay.status !== 'left' && !answered && relay.endedBy !== person.id;
    return { ...base, kind: 'over', notice: `common:relay.over.${relay.status}`, ask: ask ? 'yes' : 'no' };
  }
  const unread = await unreadFor(kit, relay, person);
  return { ...base, kind: 'open', ...(unread ? { unread } : {}) };
}

/** The receiver's request sentence: the flow's own ("would like to answer your offer"), else generic, with the intro. */
export async function requestText(kit: RelayKit, relay: Relay, lang: string, requesterName: string, header: string): Promise<string> {
  const own = await kit.deps.subjects.get(relay.subject.kind)?.requestText?.(relay, lang, requesterName, header);
  const sentence = own ?? kit.t(lang, 'requestGeneric', { name: requesterName, subject: header });
  if (!relay.intro) return sentence;
  const requester = await kit.person(relay.requesterId);
  const intro = await kit.inReaderLanguage(relay.intro, requester?.lang ?? lang, lang, new Date(relay.createdAt));
  return `${sentence}\n«${intro}»`;
}

/**
 * Messages the person has not read yet (they came while the person was elsewhere), each in
 * the person's language, translated now; they count as read from here on.
 */
async function unreadFor(kit: RelayKit, relay: Relay, person: Person): Promise<string | null> {
  const side = sideOf(relay, person.id);
  const seenAt = side === 'requester' ? relay.requesterSeenAt : relay.receiverSeenAt;
  const other = await kit.person(otherOf(relay, person.id));
  const messages = (await kit.store.relays.messages(relay.id, RELAY_MESSAGES_KEPT)).filter((m) => m.fromPersonId !== person.id && m.at > seenAt);
  const now = kit.now();
  await kit.store.relays.transition(relay.id, ['open'], side === 'requester' ? { requesterSeenAt: now.toISOString() } : { receiverSeenAt: now.toISOString() }, now);
  if (messages.length === 0) return null;
  const lines: string[] = [];
  for (const m of messages) lines.push(`${other?.firstName ?? ''}: ${m.shownLang === person.lang && m.shownText ? m.shownText : await kit.inReaderLanguage(m.text, m.lang, person.lang, new Date(m.at))}`);
  return lines.join('\n');
}

/** "My conversations": a person's relays as options, the most recent first. */
export async function listRelays(kit: RelayKit, person: Person): Promise<Json> {
  const relays = await kit.store.relays.listFor(person.id, 10);
  const options: JsonObject[] = [];
  for (const relay of relays) {
    const other = await kit.person(otherOf(relay, person.id));
    const subject = await kit.header(relay, person.lang);
    const state = kit.t(person.lang, `state.${relay.status === 'requested' ? (relay.requesterId === person.id ? 'outgoing' : 'incoming') : relay.status}`);
    options.push({ id: relay.id, label: `${other?.firstName ?? kit.t(person.lang, 'someone')} · ${subject}`, description: state });
  }
  return { count: options.length, options };
}
