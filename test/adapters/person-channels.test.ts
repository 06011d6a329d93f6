import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personChannels } from '../../adapters/person-channels.ts';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.ts';
import type { Address } from '../../core/messages.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { importContacts, importRow, newOrg } from './store-contract/broadcast-fixtures.ts';

const t = new Date('2030-04-01T10:00:00.000Z');
const phone = '+33612345678';
const sms: Address = { channel: 'sms', id: phone };
let store: Store;

beforeEach(() => {
  store = openSqliteStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

describe("a person's channels for the outbox's fallback", () => {
  it('leaves out, for news, a number that texted STOP (to any organisation), and keeps it for replies', async () => {
    const ngo = await newOrg(store);
    const [onWhatsapp] = await importContacts(store, ngo.id, [importRow({ phone, address: { channel: 'whatsapp-cloud', id: '33612345678' } })], t);
    const job = { orgId: ngo.id, contactId: onWhatsapp!.id, address: onWhatsapp!.address, kind: 'broadcast' as const };
    expect(await personChannels(store, job)).toContainEqual(sms);

    // The same phone, known by SMS to another organisation, texted STOP there.
    const other = await newOrg(store);
    await importContacts(store, other.id, [importRow({ phone, channel: 'sms', address: sms })], t);
    await store.contacts.unsubscribeAddress(sms, t);

    expect(await personChannels(store, job)).not.toContainEqual(sms);
    expect(await personChannels(store, { ...job, kind: 'reply' })).toContainEqual(sms);
  });
});
