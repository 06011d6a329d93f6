import { describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../core/messages.ts';
import type { ContactImport } from '../../../core/ports/contacts.port.ts';
import { broadcastWith, drain, importContacts, importRow, jobIds, newOrg, sentToAll } from './broadcast-fixtures.ts';
import { uid, type StoreUnderTest } from './fixtures.ts';

/** An import row on a channel whose address is a chat id. */
const on = (channel: ChannelName, overrides: Partial<ContactImport> = {}): ContactImport => importRow({ channel, address: { channel, id: uid() }, ...overrides });

const minutes = (from: Date, n: number): Date => new Date(from.getTime() + n * 60_000);

/** The outbox, part 2 of 3: claiming due deliveries under a lease, safely from several workers. */
export function outboxClaimContract(store: StoreUnderTest): void {
  describe('outbox: claim', () => {
    const t = new Date('2030-03-01T10:00:00.000Z');

    it('claims at most `limit` due pending deliveries of the channel, and marks them sending', async () => {
      await drain(store(), 'webchat');
      await drain(store(), 'messenger');
      const org = await newOrg(store());
      await importContacts(store(), org.id, [on('webchat'), on('webchat'), on('webchat'), on('messenger')], t);
      const { broadcast: now } = await sentToAll(store(), org.id, t);
      const { broadcast: later } = await sentToAll(store(), org.id, minutes(t, 10));
      const lease = minutes(t, 60);

      const first = await store().outbox.claim('webchat', 'bulk', t, 2, lease);

      expect(first).toHaveLength(2);
      for (const job of first) expect(job).toMatchObject({ broadcastId: now.id, channel: 'webchat', attempts: 0 });
      expect((await store().outbox.stats(now.id)).byStatus).toEqual({ sending: 2, pending: 2 });
      expect(await store().outbox.openCount(now.id)).toBe(4);

      const second = await store().outbox.claim('webchat', 'bulk', t, 2, lease);
      expect(second).toHaveLength(1);
      expect(jobIds(first)).not.toContain(second[0]?.id);
      expect(await store().outbox.claim('webchat', 'bulk', t, 2, lease)).toEqual([]);

      const messenger = await store().outbox.claim('messenger', 'bulk', t, 10, lease);
      expect(messenger).toHaveLength(1);
      expect(messenger[0]).toMatchObject({ broadcastId: now.id, channel: 'messenger' });
      expect((await store().outbox.stats(now.id)).byStatus).toEqual({ sending: 4 });

      const due = await store().outbox.claim('webchat', 'bulk', minutes(t, 10), 10, lease);
      expect(due).toHaveLength(3);
      for (const job of due) expect(job.broadcastId).toBe(later.id);
    });

    it('inserts a person\'s rows claimed for the sender only when nothing earlier to them is open, and says which', async () => {
      const to = { channel: 'telegram' as const, id: uid() };
      const row = (n: string, until: Date | null) => ({
        id: `${to.id}.r${n}`,
        kind: 'reply' as const,
        to,
        reply: { lang: 'en', message: { type: 'text' as const, text: `reply ${n}` } },
        inboundAt: null,
        ...(until ? { claimIfFirst: until } : {}),
      });
      const lease = minutes(t, 1);
      // Other tests' rows may be due on the channel too: only this person's are looked at.
      const claimedForThem = async () => (await store().outbox.claim('telegram', 'interactive', t, 1000, lease)).filter((j) => j.address?.id === to.id).map((j) => j.id);

      // Nothing open for the person: both rows of the write are theirs to send, in order.
      expect(await store().outbox.enqueue([row('0', lease), row('1', lease)], t)).toEqual([`${to.id}.r0`, `${to.id}.r1`]);
      expect(await store().outbox.statusOf([`${to.id}.r0`, `${to.id}.r1`])).toEqual(new Map([[`${to.id}.r0`, 'sending'], [`${to.id}.r1`, 'sending']]));
      // Those are still open: the next write waits for the claim, behind them.
      expect(await store().outbox.enqueue([row('2', lease)], t)).toEqual([]);
      expect(await claimedForThem()).toEqual([]);
      // Enqueued again (a replay), a row already there is not claimed a second time.
      expect(await store().outbox.enqueue([row('0', lease)], t)).toEqual([]);
      await store().outbox.settle(
        [
          { id: `${to.id}.r0`, outcome: { status: 'sent', platformMessageId: '1' } },
          { id: `${to.id}.r1`, outcome: { status: 'sent', platformMessageId: '2' } },
        ],
        t,
      );
      expect(await claimedForThem()).toEqual([`${to.id}.r2`]);
      // Without claimIfFirst nothing is claimed, even for a person with nothing open.
      const other = { ...row('9', null), id: `${uid()}.r0`, to: { channel: 'telegram' as const, id: uid() } };
      expect(await store().outbox.enqueue([other], t)).toEqual([]);
    });

    it('claims nothing when nothing is due, and nothing for a limit of zero', async () => {
      await drain(store(), 'cli');
      const org = await newOrg(store());
      await importContacts(store(), org.id, [on('cli')], t);
      await sentToAll(store(), org.id, t);

      expect(await store().outbox.claim('cli', 'bulk', minutes(t, -1), 10, minutes(t, 60))).toEqual([]);
      expect(await store().outbox.claim('cli', 'bulk', t, 0, minutes(t, 60))).toEqual([]);
      expect(await store().outbox.claim('cli', 'bulk', t, 10, minutes(t, 60))).toHaveLength(1);
    });

    it('claims a sending delivery again only once its lease has run out, with its attempts unchanged', async () => {
      await drain(store(), 'messenger');
      const org = await newOrg(store());
      await importContacts(store(), org.id, [on('messenger')], t);
      await sentToAll(store(), org.id, t);

      const [job] = await store().outbox.claim('messenger', 'bulk', t, 10, minutes(t, 5));
      if (!job) throw new Error('expected a job');

      expect(await store().outbox.claim('messenger', 'bulk', minutes(t, 4), 10, minutes(t, 9))).toEqual([]);
      const again = await store().outbox.claim('messenger', 'bulk', minutes(t, 6), 10, minutes(t, 11));
      expect(again).toEqual([job]);
      expect(await store().outbox.claim('messenger', 'bulk', minutes(t, 7), 10, minutes(t, 12))).toEqual([]);
      expect(await store().outbox.claim('messenger', 'bulk', minutes(t, 12), 10, minutes(t, 17))).toEqual([job]);
    });

    it('never hands one delivery to two concurrent claims', async () => {
      await drain(store(), 'whatsapp-web');
      const org = await newOrg(store());
      await importContacts(store(), org.id, Array.from({ length: 20 }, () => on('whatsapp-web')), t);
      const { broadcast } = await sentToAll(store(), org.id, t);
      const lease = minutes(t, 60);

      const batches = await Promise.all(Array.from({ length: 4 }, () => store().outbox.claim('whatsapp-web', 'bulk', t, 10, lease)));
      const rest = await store().outbox.claim('whatsapp-web', 'bulk', t, 100, lease);

      const all = [...batches.flat(), ...rest];
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(10);
      expect(all).toHaveLength(20);
      expect(new Set(all.map((j) => j.id)).size).toBe(20);
      expect(new Set(all.map((j) => j.contactId)).size).toBe(20);
      expect((await store().outbox.stats(broadcast.id)).byStatus).toEqual({ sending: 20 });
    });

    it('claims the deliveries of every organisation’s broadcasts on the channel', async () => {
      await drain(store(), 'webchat');
      const [a, b] = [await newOrg(store()), await newOrg(store())];
      await importContacts(store(), a.id, [on('webchat')], t);
      await importContacts(store(), b.id, [on('webchat')], t);
      const fromA = broadcastWith(a.id);
      const fromB = broadcastWith(b.id);
      for (const broadcast of [fromA, fromB]) {
        await store().broadcasts.create(broadcast);
        await store().outbox.materialize(broadcast.id, broadcast.orgId, broadcast.audience, t);
      }

      const jobs = await store().outbox.claim('webchat', 'bulk', t, 10, minutes(t, 60));

      expect(jobs.map((j) => `${j.orgId}/${j.broadcastId}`).sort()).toEqual([`${a.id}/${fromA.id}`, `${b.id}/${fromB.id}`].sort());
    });
  });
}
