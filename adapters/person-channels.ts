import { addressKey, type Address, type ChannelName } from '../core/messages.ts';
import type { DeliveryJob } from '../core/ports/outbox.port.ts';
import type { Store } from '../core/ports/store.port.ts';
import { addressFor } from './csv/contact-address.ts';

/** Channels a phone number reaches without the person writing first, in the order tried. */
const BY_PHONE: readonly ChannelName[] = ['sms', 'whatsapp-cloud'];

/**
 * The channels a person can be reached on, in their order of preference: the identities on the
 * channels they chose (in their order), then the identities they wrote from, the most recent
 * first (where they are most likely to read), then what their phone number reaches (SMS,
 * WhatsApp). Duplicates are dropped.
 */
export async function personChannels(
  store: Pick<Store, 'people' | 'contacts' | 'reach'>,
  job: Pick<DeliveryJob, 'orgId' | 'contactId' | 'address'> & { readonly kind?: DeliveryJob['kind'] },
): Promise<Address[]> {
  const contact = job.orgId && job.contactId ? await store.contacts.get(job.orgId, job.contactId) : null;
  const person = contact?.personId ? await store.people.get(contact.personId) : job.address ? await store.people.findByAddress(job.address) : null;
  const identities = person ? [...person.identities] : [];
  const lastWrote = new Map<string, number>();
  for (const identity of identities) lastWrote.set(addressKey(identity), (await store.reach.get(identity))?.lastInboundAt.getTime() ?? -Infinity);
  const chosen = person ? await store.people.channelOrder(person.id) : [];
  // Channels not chosen rank after every chosen one, in last-wrote order.
  const rank = (a: Address) => (chosen.includes(a.channel) ? chosen.indexOf(a.channel) : chosen.length);
  identities.sort((a, b) => rank(a) - rank(b) || lastWrote.get(addressKey(b))! - lastWrote.get(addressKey(a))!);
  const phone = contact?.phone ?? (job.address?.channel === 'sms' ? job.address.id : null);
  const byPhone = phone ? BY_PHONE.flatMap((channel) => addressFor(channel, phone) ?? []) : [];
  const seen = new Set<string>();
  const channels = [...identities, ...byPhone].filter((a) => !seen.has(addressKey(a)) && seen.add(addressKey(a)));
  if (job.kind !== 'broadcast') return channels;
  // Why: STOP texted from a number (to us, as any contact of any organisation) means no news to
  // that number, even when the broadcast was meant for the same phone on another channel.
  const open: Address[] = [];
  for (const address of channels) if (!(await stoppedAt(store, address))) open.push(address);
  return open;
}

/** Whether news to this address was stopped: a contact there unsubscribed, or the person there. */
async function stoppedAt(store: Pick<Store, 'people' | 'contacts'>, address: Address): Promise<boolean> {
  if ((await store.contacts.findByAddress(address)).some((c) => !c.subscribed)) return true;
  return (await store.people.findByAddress(address))?.subscribed === false;
}

/**
 * The outbox's fallback: the person's first channel, other than the failing one, that runs here
 * and is not down. Null when there is none (the message then waits or fails as it would).
 */
export function fallbackAddress(store: Pick<Store, 'people' | 'contacts' | 'reach'>, usable: (channel: ChannelName) => boolean) {
  return async (job: DeliveryJob): Promise<Address | null> => {
    const channels = await personChannels(store, job);
    return channels.find((a) => a.channel !== job.channel && usable(a.channel)) ?? null;
  };
}
