import { describe, expect, it } from 'vitest';
import type { Address } from '../../../core/messages.ts';
import type { DeliveryJob } from '../../../core/ports/outbox.port.ts';
import { broadcastWith, drain, importContacts, importRow, joinedContact, LATER, newOrg, sentToAll } from './broadcast-fixtures.ts';
import { uid, type StoreUnderTest } from './fixtures.ts';

/** The outbox, part 1 of 3: materializing a broadcast into one pending delivery per recipient. */
export function outboxContract(store: StoreUnderTest): void {
  describe('outbox: materialize', () => {
    const t = new Date('2030-02-01T10:00:00.000Z');
    const lease = new Date('2030-02-01T11:00:00.000Z');

    it('makes one pending delivery per audience member, worded from the linked person when there is one', async () => {
      await drain(store(), 'telegram');
      await drain(store(), 'whatsapp-cloud');
      const org = await newOrg(store());
      const [amina, unsubscribed, unreachable, oksana] = await importContacts(
        store(),
        org.id,
        [
          importRow({ firstName: 'Amina', lang: 'ar' }),
          importRow(),
          importRow(),
          importRow({ firstName: 'Oksana', lang: 'uk', channel: 'telegram', address: null }),
        ],
        t,
      );
      if (!amina || !unsubscribed?.address || !unreachable || !oksana) throw new Error('fixture imported');
      await store().contacts.unsubscribeAddress(unsubscribed.address, t);
      await store().contacts.markUnreachable(unreachable.id, 'blocked', t);
      const rezaAddress: Address = { channel: 'telegram', id: uid() };
      const reza = await joinedContact(store(), org.id, rezaAddress, t, { lang: 'fa', firstName: 'Reza' });
      await store().people.update(reza.personId, { lang: 'ti', firstName: 'Rezaa' }, t);
      const stopped = await joinedContact(store(), org.id, { channel: 'telegram', id: uid() }, t);
      await store().people.update(stopped.personId, { subscribed: false }, t);
      const other = await newOrg(store());
      await importContacts(store(), other.id, [importRow()], t);

      const { broadcast, created } = await sentToAll(store(), org.id, t);

      expect(created).toBe(3);
      const job = (contactId: string, fields: Partial<DeliveryJob>): DeliveryJob => ({
        id: expect.any(String) as unknown as string,
        kind: 'broadcast',
        lane: 'bulk',
        reply: null,
        partsSent: 0,
        inboundAt: null,
        final: false,
        fallbackFrom: null,
        broadcastId: broadcast.id,
        orgId: org.id,
        contactId,
        channel: 'telegram',
        address: null,
        lang: 'ar',
        firstName: 'Amina',
        attempts: 0,
        ...fields,
      });
      const telegram = await store().outbox.claim('telegram', 'bulk', t, 10, lease);
      expect([...telegram].sort((a, b) => (a.firstName < b.firstName ? -1 : 1))).toEqual([
        job(oksana.id, { lang: 'uk', firstName: 'Oksana' }),
        job(reza.contact.id, { lang: 'ti', firstName: 'Rezaa', address: rezaAddress }),
      ]);
      expect(await store().outbox.claim('whatsapp-cloud', 'bulk', t, 10, lease)).toEqual([
        job(amina.id, { channel: 'whatsapp-cloud', address: amina.address }),
      ]);
      expect(new Set([...telegram.map((j) => j.id)]).size).toBe(2);
    });

    it('makes nothing more when materialized again, and only the newcomers after an import', async () => {
      const org = await newOrg(store());
      await importContacts(store(), org.id, [importRow(), importRow()], LATER);
      const { broadcast, created } = await sentToAll(store(), org.id, LATER);
      expect(created).toBe(2);

      expect(await store().outbox.materialize(broadcast.id, org.id, broadcast.audience, LATER)).toBe(0);
      expect((await store().outbox.stats(broadcast.id)).total).toBe(2);

      await importContacts(store(), org.id, [importRow()], LATER);
      expect(await store().outbox.materialize(broadcast.id, org.id, broadcast.audience, LATER)).toBe(1);
      expect(await store().outbox.materialize(broadcast.id, org.id, broadcast.audience, LATER)).toBe(0);
      expect((await store().outbox.stats(broadcast.id)).total).toBe(3);
    });

    it('makes concurrent materializations of one broadcast add up to one delivery per contact', async () => {
      const org = await newOrg(store());
      await importContacts(store(), org.id, Array.from({ length: 6 }, () => importRow()), LATER);
      const broadcast = broadcastWith(org.id);
      await store().broadcasts.create(broadcast);

      const made = await Promise.all(Array.from({ length: 4 }, () => store().outbox.materialize(broadcast.id, org.id, broadcast.audience, LATER)));

      expect(made.reduce((a, b) => a + b, 0)).toBe(6);
      expect((await store().outbox.stats(broadcast.id)).total).toBe(6);
    });

    it('reaches only the contacts with any of the audience’s tags', async () => {
      const org = await newOrg(store());
      await importContacts(
        store(),
        org.id,
        [importRow({ tags: ['lyon'] }), importRow({ tags: ['famille', 'lyon'] }), importRow({ tags: ['emploi'] }), importRow()],
        LATER,
      );
      const broadcast = broadcastWith(org.id, { audience: { type: 'tags', tags: ['lyon', 'emploi'] } });
      await store().broadcasts.create(broadcast);

      expect(await store().outbox.materialize(broadcast.id, org.id, broadcast.audience, LATER)).toBe(3);
      expect((await store().outbox.stats(broadcast.id)).total).toBe(3);
    });

    it('counts new deliveries as pending by language and channel, and they keep the broadcast open', async () => {
      const org = await newOrg(store());
      await importContacts(
        store(),
        org.id,
        [importRow({ lang: 'ar' }), importRow({ lang: 'ar' }), importRow({ lang: 'uk', channel: 'telegram', address: null })],
        LATER,
      );
      const { broadcast } = await sentToAll(store(), org.id, LATER);

      expect(await store().outbox.stats(broadcast.id)).toEqual({
        total: 3,
        byStatus: { pending: 3 },
        byLang: { ar: { pending: 2 }, uk: { pending: 1 } },
        byChannel: { 'whatsapp-cloud': { pending: 2 }, telegram: { pending: 1 } },
      });
      expect(await store().outbox.openCount(broadcast.id)).toBe(3);
      expect(await store().outbox.openBroadcasts()).toContain(broadcast.id);
    });

    it('has nothing for a broadcast without deliveries', async () => {
      const org = await newOrg(store());
      const { broadcast, created } = await sentToAll(store(), org.id, LATER);
      expect(created).toBe(0);
      expect(await store().outbox.stats(broadcast.id)).toEqual({ total: 0, byStatus: {}, byLang: {}, byChannel: {} });
      expect(await store().outbox.openCount(broadcast.id)).toBe(0);
      expect(await store().outbox.openBroadcasts()).not.toContain(broadcast.id);
      expect(await store().outbox.stats(uid())).toEqual({ total: 0, byStatus: {}, byLang: {}, byChannel: {} });
    });
  });
}
