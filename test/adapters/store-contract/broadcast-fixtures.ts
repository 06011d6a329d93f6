/** Fixtures for the broadcast side of the Store contract: organisations, contacts, broadcasts, jobs. */
import type { Address, ChannelName } from '../../../core/messages.ts';
import type { Broadcast } from '../../../core/ports/broadcasts.port.ts';
import type { Contact, ContactImport } from '../../../core/ports/contacts.port.ts';
import type { DeliveryJob } from '../../../core/ports/outbox.port.ts';
import type { Organisation } from '../../../core/ports/people.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';
import { orgWith, personWith, phoneId, uid } from './fixtures.ts';

/**
 * Deliveries materialized at this time are never due for the claim tests, which all claim
 * before {@link DRAIN_NOW}: tests that only count deliveries use it so their rows stay put.
 */
export const LATER = new Date('2200-01-01T00:00:00.000Z');

/** A claim at this time takes every delivery a claim test may have left behind. */
export const DRAIN_NOW = new Date('2199-12-31T00:00:00.000Z');

/** Creates and returns a fresh organisation. */
export async function newOrg(store: Store, overrides: Partial<Organisation> = {}): Promise<Organisation> {
  const org = orgWith(overrides);
  await store.organisations.create(org);
  return org;
}

/** One import row reached on WhatsApp Cloud at its own phone; override what the test is about. */
export function importRow(overrides: Partial<ContactImport> = {}): ContactImport {
  const phone = overrides.phone ?? phoneId();
  return {
    firstName: 'Amina',
    phone,
    lang: 'ar',
    channel: 'whatsapp-cloud',
    address: { channel: 'whatsapp-cloud', id: phone },
    tags: [],
    ...overrides,
  };
}

/** An id generator that remembers what it handed out, in order. */
export function recordingIds(): { readonly next: () => string; readonly given: string[] } {
  const given: string[] = [];
  return {
    given,
    next: () => {
      const id = uid();
      given.push(id);
      return id;
    },
  };
}

/** Imports rows into an organisation and returns the contacts created, in row order. */
export async function importContacts(store: Store, orgId: string, rows: readonly ContactImport[], at: Date): Promise<Contact[]> {
  const ids = recordingIds();
  const result = await store.contacts.importMany(orgId, rows, ids.next, at);
  if (result.created !== rows.length) throw new Error(`fixture expected ${rows.length} new contacts, got ${result.created}`);
  const contacts = await Promise.all(ids.given.map((id) => store.contacts.get(orgId, id)));
  return contacts.map((c) => {
    if (!c) throw new Error('an imported contact is missing');
    return c;
  });
}

/** A person who joins an organisation in chat at `address`; returns the person's id and the contact. */
export async function joinedContact(
  store: Store,
  orgId: string,
  address: Address,
  at: Date,
  person: { readonly lang?: string; readonly firstName?: string } = {},
): Promise<{ personId: string; contact: Contact }> {
  const created = personWith({ identities: [address], lang: person.lang ?? 'fa', firstName: person.firstName ?? 'Reza' });
  await store.people.create(created);
  const contact = await store.contacts.join(
    orgId,
    { personId: created.id, firstName: created.firstName, phone: null, lang: created.lang, channel: address.channel, address, tags: [] },
    uid(),
    at,
  );
  return { personId: created.id, contact };
}

/** A scheduled broadcast of an organisation; override what the test is about. */
export function broadcastWith(orgId: string, overrides: Partial<Broadcast> = {}): Broadcast {
  return {
    id: uid(),
    orgId,
    text: 'Distribution de repas demain à 10 h, {firstName} !',
    sourceLang: 'fr',
    audience: { type: 'all' },
    origin: 'api',
    status: 'scheduled',
    scheduledAt: '2025-04-01T10:00:00.000Z',
    createdAt: '2025-04-01T09:00:00.000Z',
    ...overrides,
  };
}

/** Creates a broadcast to an organisation's whole audience and materializes it at `at`. */
export async function sentToAll(store: Store, orgId: string, at: Date): Promise<{ broadcast: Broadcast; created: number }> {
  const broadcast = broadcastWith(orgId);
  await store.broadcasts.create(broadcast);
  const created = await store.outbox.materialize(broadcast.id, orgId, broadcast.audience, at);
  return { broadcast, created };
}

/**
 * Settles as skipped every delivery of a channel that a claim test left due, so that the next
 * claim test sees only its own jobs (claims are global to a channel, and the suite may share
 * one database).
 */
export async function drain(store: Store, channel: ChannelName): Promise<void> {
  const lease = new Date(DRAIN_NOW.getTime() + 60_000);
  for (let round = 0; round < 100; round++) {
    const jobs = await store.outbox.claim(channel, 'bulk', DRAIN_NOW, 500, lease);
    if (jobs.length === 0) return;
    for (const job of jobs) await store.outbox.settle([{ id: job.id, outcome: { status: 'skipped', reason: 'contract-drain' } }], DRAIN_NOW);
  }
  throw new Error('the outbox did not drain');
}

/** Job ids, sorted, for comparing sets of claimed jobs. */
export const jobIds = (jobs: readonly DeliveryJob[]): string[] => jobs.map((j) => j.id).sort();

/** Sorted by id, for comparing sets of contacts or jobs whatever order an adapter returns them in. */
export function byId<T extends { readonly id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
