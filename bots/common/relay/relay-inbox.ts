import type { Json, JsonObject } from '../../../core/dialog/json.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import type { Relay } from '../../../core/ports/relays.port.ts';
import type { ContactDetail } from './contact-details.ts';
import { otherOf, sideOf, type RelayKit } from './relay-kit.ts';
import { RELAY_SIGNAL_NAMES, RELAY_SIGNALS } from './relay-names.ts';
import { requestText } from './relay-requests.ts';

const NONE: JsonObject = { kind: 'none' };

/**
 * What a relay signal means for the person now, worded in their language, for the inbox
 * dialog: a request to accept, a message to open, an ending (with "Did it work out?"), or a
 * held message to confirm. `none` when it no longer applies (answered, or already read).
 */
export async function inboxView(kit: RelayKit, person: Person, signal: { name: string; payload: { relayId: string; messageId?: string | undefined } }, currentRelayId: string | null): Promise<Json> {
  const relay = await kit.store.relays.get(signal.payload.relayId);
  const side = relay ? sideOf(relay, person.id) : null;
  if (!relay || !side) return signal.name === RELAY_SIGNALS.ended ? { kind: 'ended', text: kit.t(person.lang, 'over.left'), ask: 'no', here: currentRelayId === signal.payload.relayId ? 'yes' : 'no' } : NONE;
  const lang = person.lang;
  const other = await kit.person(otherOf(relay, person.id));
  const name = other?.firstName ?? kit.t(lang, 'someone');
  const subject = await kit.header(relay, lang);
  const base = { relayId: relay.id };
  switch (signal.name) {
    case RELAY_SIGNALS.request:
      if (side !== 'receiver') return NONE;
      if (relay.status === 'requested') return { ...base, kind: 'request', text: await requestText(kit, relay, lang, name, subject) };
      if (relay.status === 'open' && relay.id !== currentRelayId) return { ...base, kind: 'message', text: kit.t(lang, 'nudgeOpened', { name, subject }) };
      return NONE;
    case RELAY_SIGNALS.accepted:
      return relay.status === 'open' && relay.id !== currentRelayId ? { ...base, kind: 'message', text: kit.t(lang, 'nudgeAccepted', { name, subject }) } : NONE;
    case RELAY_SIGNALS.message:
      return relay.status === 'open' && relay.id !== currentRelayId ? { ...base, kind: 'message', text: kit.t(lang, 'nudgeMessage', { name, subject }) } : NONE;
    case RELAY_SIGNALS.ended:
      return endedView(kit, relay, person, name, subject, currentRelayId);
    case RELAY_SIGNALS.held: {
      const message = signal.payload.messageId ? await kit.store.relays.getMessage(signal.payload.messageId) : null;
      if (!message?.held || message.fromPersonId !== person.id) return NONE;
      const detail = (signal.payload as { detail?: ContactDetail }).detail ?? 'phone';
      return { ...base, kind: 'held', messageId: message.id, text: kit.t(lang, `held.${detail}`) };
    }
    default:
      return NONE;
  }
}

function endedView(kit: RelayKit, relay: Relay, person: Person, name: string, subject: string, currentRelayId: string | null): Json {
  const lang = person.lang;
  const here = relay.id === currentRelayId ? 'yes' : 'no';
  const answered = sideOf(relay, person.id) === 'requester' ? relay.requesterAnswered : relay.receiverAnswered;
  const key = { declined: 'nudgeDeclined', closed: 'nudgeClosed', left: 'nudgeLeft', ended: 'nudgeEnded' }[relay.status as 'declined' | 'closed' | 'left' | 'ended'];
  if (!key) return { kind: 'none' };
  // Asked once, only of a relay that was open: a declined request has nothing to tell.
  const ask = relay.status !== 'declined' && relay.status !== 'left' && !answered && relay.endedBy !== person.id ? 'yes' : 'no';
  return { relayId: relay.id, kind: 'ended', text: kit.t(lang, key, { name, subject }), ask, here };
}

/** The first relay signal among the notifications kept while the person was away (for the menu). */
export function firstRelayNews(items: readonly { id: string; name: string; payload: Record<string, unknown> }[]): Json {
  const item = items.find((i) => RELAY_SIGNAL_NAMES.includes(i.name) && typeof i.payload['relayId'] === 'string');
  if (!item) return NONE;
  return { kind: 'signal', signal: { name: item.name, id: item.id, payload: item.payload as JsonObject } };
}
