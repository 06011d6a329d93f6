import type { Address } from '../messages.ts';
import type { PeopleStore, Person } from '../ports/people.port.ts';
import type { ReachStore } from '../ports/reach.port.ts';

/**
 * The identity a person last wrote from: where a message to them has the best chance to be read
 * now (and, on WhatsApp or Messenger, to fall inside the 24-hour window). Ties and identities
 * that never wrote keep the given order.
 */
export async function freshestAddress(identities: readonly Address[], reach: ReachStore): Promise<Address | null> {
  let best: Address | null = null;
  let bestAt = -Infinity;
  for (const identity of identities) {
    const at = (await reach.get(identity))?.lastInboundAt.getTime() ?? -Infinity;
    if (best === null || at > bestAt) [best, bestAt] = [identity, at];
  }
  return best;
}

/**
 * Where a message from someone else goes: the person's identity on the channel they chose first
 * (their choice beats our guess), else the one they last wrote from. Among several identities
 * on the chosen channel, the freshest.
 */
export async function preferredAddress(
  person: Pick<Person, 'id' | 'identities'>,
  store: { readonly people: Pick<PeopleStore, 'channelOrder'>; readonly reach: ReachStore },
): Promise<Address | null> {
  for (const channel of await store.people.channelOrder(person.id)) {
    const on = person.identities.filter((identity) => identity.channel === channel);
    if (on.length > 0) return freshestAddress(on, store.reach);
  }
  return freshestAddress(person.identities, store.reach);
}
