import { describe, expect, it } from 'vitest';
import type { Address } from '../../../core/messages.ts';
import type { DeliveryJob } from '../../../core/ports/outbox.port.ts';
import { drain, importContacts, importRow, newOrg, sentToAll } from './broadcast-fixtures.ts';
import { phoneId, uid, type StoreUnderTest } from './fixtures.ts';

const minutes = (from: Date, n: number): Date => new Date(from.getTime() + n * 60_000);

/** The job of a contact among claimed jobs. */
function jobOf(jobs: readonly DeliveryJob[], contactId: string | undefined): DeliveryJob {
  const job = jobs.find((j) => j.contactId === contactId);
  if (!job) throw new Error('expected a job for the contact');
  return job;
}

/** The outbox, part 3 of 3: outcomes, retries, statistics and reply routing. */
export function outboxSettleContract(store: StoreUnderTest): void {
  describe('outbox: settle', () => {
    const t = new Date('2030-04-01T10:00:00.000Z');
    const lease = minutes(t, 60);

    it('records final outcomes once: never claimed again, no longer open, counted by status', async () => {
      await drain(store(), 'whatsapp-cloud');
      const org = await newOrg(store());
      const contacts = await importContacts(store(), org.id, [importRow(), importRow(), importRow(), importRow()], t);
      const { broadcast } = await sentToAll(store(), org.id, t);
      const jobs = await store().outbox.claim('whatsapp-cloud', 'bulk', t, 10, lease);
      expect(jobs).toHaveLength(4);
      expect(await store().outbox.openBroadcasts()).toContain(broadcast.id);

      await store().outbox.settle([{ id: jobOf(jobs, contacts[0]?.id).id, outcome: { status: 'sent', platformMessageId: `wamid.${uid()}` } }], minutes(t, 1));
      await store().outbox.settle([{ id: jobOf(jobs, contacts[1]?.id).id, outcome: { status: 'unreachable', reason: 'blocked' } }], minutes(t, 1));
      await store().outbox.settle([{ id: jobOf(jobs, contacts[2]?.id).id, outcome: { status: 'dead', reason: 'too-many-attempts' } }], minutes(t, 1));
      await store().outbox.settle([{ id: jobOf(jobs, contacts[3]?.id).id, outcome: { status: 'skipped', reason: 'no-address' } }], minutes(t, 1));

      expect((await store().outbox.stats(broadcast.id)).byStatus).toEqual({ sent: 1, unreachable: 1, dead: 1, skipped: 1 });
      expect(await store().outbox.openCount(broadcast.id)).toBe(0);
      expect(await store().outbox.anyOpen(broadcast.id)).toBe(false);
      expect(await store().outbox.openBroadcasts()).not.toContain(broadcast.id);
      expect(await store().outbox.claim('whatsapp-cloud', 'bulk', minutes(t, 24 * 60), 10, minutes(t, 25 * 60))).toEqual([]);
    });

    it('erases an address\'s rows of both lanes, sent, open and held, and no one else\'s', async () => {
      await drain(store(), 'whatsapp-cloud');
      const org = await newOrg(store());
      const [person, bystander] = await importContacts(store(), org.id, [importRow(), importRow()], t);
      if (!person?.address || !bystander?.address) throw new Error('fixture imported');
      const { broadcast } = await sentToAll(store(), org.id, t);
      const reply = (to: Address, n: number) => ({ id: `reply:${uid()}:${n}`, kind: 'reply' as const, to, reply: { lang: 'fr', message: { type: 'text' as const, text: 'Merci' } }, inboundAt: null });
      // The person's later replies wait behind the first (pending); the bystander's is held.
      const [sent, next, last, other] = [reply(person.address, 0), reply(person.address, 1), reply(person.address, 2), reply(bystander.address, 0)];
      await store().outbox.enqueue([sent, next, last, other], t);
      const claimed = await store().outbox.claim('whatsapp-cloud', 'interactive', t, 10, lease);
      expect(claimed.map((j) => j.id).sort()).toEqual([sent.id, other.id].sort());
      await store().outbox.settle(
        [
          { id: sent.id, outcome: { status: 'sent', platformMessageId: `wamid.${uid()}` } },
          { id: other.id, outcome: { status: 'held', reason: 'outside-window', expiresAt: minutes(t, 60) } },
        ],
        t,
      );
      const bulk = await store().outbox.claim('whatsapp-cloud', 'bulk', t, 10, lease);
      await store().outbox.settle([{ id: jobOf(bulk, person.id).id, outcome: { status: 'held', reason: 'outside-window', expiresAt: minutes(t, 60) } }], t);

      expect(await store().outbox.eraseAddress(person.address)).toBe(4);

      expect(await store().outbox.statusOf([sent.id, next.id, last.id, other.id])).toEqual(new Map([[other.id, 'held']]));
      expect((await store().outbox.stats(broadcast.id)).total).toBe(1);
      expect(await store().outbox.release(person.address, t)).toBe(0);
      expect(await store().outbox.release(bystander.address, t)).toBe(1);
    });

    it('keeps a sent message\'s id (without its words), so that enqueuing it again sends nothing more; a week later it is gone', async () => {
      await drain(store(), 'telegram');
      const to: Address = { channel: 'telegram', id: uid() };
      const row = { id: `relay-msg:${uid()}:to`, kind: 'relay' as const, to, reply: { lang: 'fr', message: { type: 'text' as const, text: 'Léa : je peux passer samedi' } }, inboundAt: null };
      await store().outbox.enqueue([row], t);
      const claimed = await store().outbox.claim('telegram', 'interactive', t, 1000, lease);
      expect(claimed.map((j) => j.id)).toContain(row.id);
      await store().outbox.settle([{ id: row.id, outcome: { status: 'sent', platformMessageId: '77' } }], t);

      // A replayed effect (its store write failed after the send) enqueues the same row again.
      await store().outbox.enqueue([row], minutes(t, 2));
      expect((await store().outbox.claim('telegram', 'interactive', minutes(t, 2), 1000, minutes(t, 62))).map((j) => j.id)).not.toContain(row.id);
      expect(await store().outbox.statusOf([row.id])).toEqual(new Map([[row.id, 'sent']]));

      await store().outbox.expire(minutes(t, 8 * 24 * 60));
      expect(await store().outbox.statusOf([row.id])).toEqual(new Map());
    });

    it('never lets a worker whose lease ran out undo an outcome recorded since', async () => {
      await drain(store(), 'messenger');
      const org = await newOrg(store());
      await importContacts(store(), org.id, [importRow({ channel: 'messenger', address: { channel: 'messenger', id: uid() } })], t);
      const { broadcast } = await sentToAll(store(), org.id, t);
      const [stale] = await store().outbox.claim('messenger', 'bulk', t, 10, minutes(t, 1));
      // The first worker stalls past its lease; a second one takes the delivery over and sends it.
      const [fresh] = await store().outbox.claim('messenger', 'bulk', minutes(t, 2), 10, minutes(t, 3));
      expect(fresh?.id).toBe(stale?.id);
      await store().outbox.settle([{ id: fresh!.id, outcome: { status: 'sent', platformMessageId: 'm-1' } }], minutes(t, 2));
      await store().outbox.settle([{ id: stale!.id, outcome: { status: 'retry', at: minutes(t, 5), reason: 'transient', countsAsAttempt: true } }], minutes(t, 4));
      expect(await store().outbox.openCount(broadcast.id)).toBe(0);
      expect(await store().outbox.anyOpen(broadcast.id)).toBe(false);
      expect((await store().outbox.stats(broadcast.id)).byStatus).toEqual({ sent: 1 });
    });

    it('puts a retried delivery back to pending until its time, counting the attempt only when asked', async () => {
      await drain(store(), 'telegram');
      const org = await newOrg(store());
      const [counted, free] = await importContacts(
        store(),
        org.id,
        [importRow({ channel: 'telegram', address: { channel: 'telegram', id: uid() } }), importRow({ channel: 'telegram', address: { channel: 'telegram', id: uid() } })],
        t,
      );
      const { broadcast } = await sentToAll(store(), org.id, t);
      const jobs = await store().outbox.claim('telegram', 'bulk', t, 10, lease);
      const retryAt = minutes(t, 30);

      await store().outbox.settle([{ id: jobOf(jobs, counted?.id).id, outcome: { status: 'retry', at: retryAt, reason: 'rate-limited', countsAsAttempt: true } }], minutes(t, 1));
      await store().outbox.settle([{ id: jobOf(jobs, free?.id).id, outcome: { status: 'retry', at: retryAt, reason: 'translation-pending', countsAsAttempt: false } }], minutes(t, 1));

      expect((await store().outbox.stats(broadcast.id)).byStatus).toEqual({ pending: 2 });
      expect(await store().outbox.openCount(broadcast.id)).toBe(2);
      expect(await store().outbox.anyOpen(broadcast.id)).toBe(true);
      expect(await store().outbox.claim('telegram', 'bulk', minutes(t, 29), 10, lease)).toEqual([]);
      const again = await store().outbox.claim('telegram', 'bulk', retryAt, 10, minutes(t, 90));
      expect(again).toHaveLength(2);
      expect(jobOf(again, counted?.id)).toEqual({ ...jobOf(jobs, counted?.id), attempts: 1 });
      expect(jobOf(again, free?.id)).toEqual({ ...jobOf(jobs, free?.id), attempts: 0 });

      await store().outbox.settle([{ id: jobOf(again, counted?.id).id, outcome: { status: 'retry', at: retryAt, reason: 'timeout', countsAsAttempt: true } }], minutes(t, 31));
      const third = await store().outbox.claim('telegram', 'bulk', minutes(t, 31), 10, minutes(t, 90));
      expect(third.map((j) => [j.contactId, j.attempts])).toEqual([[counted?.id, 2]]);
    });

    it('counts deliveries by status, by language and by channel', async () => {
      await drain(store(), 'whatsapp-cloud');
      await drain(store(), 'telegram');
      const org = await newOrg(store());
      const telegram = (): Address => ({ channel: 'telegram', id: uid() });
      const [ar1, ar2, uk, fa] = await importContacts(
        store(),
        org.id,
        [
          importRow({ lang: 'ar' }),
          importRow({ lang: 'ar' }),
          importRow({ lang: 'uk', channel: 'telegram', address: telegram() }),
          importRow({ lang: 'fa', channel: 'telegram', address: telegram() }),
        ],
        t,
      );
      const { broadcast } = await sentToAll(store(), org.id, t);
      const jobs = [...(await store().outbox.claim('whatsapp-cloud', 'bulk', t, 10, lease)), ...(await store().outbox.claim('telegram', 'bulk', t, 10, lease))];

      await store().outbox.settle([{ id: jobOf(jobs, ar1?.id).id, outcome: { status: 'sent', platformMessageId: null } }], t);
      await store().outbox.settle([{ id: jobOf(jobs, ar2?.id).id, outcome: { status: 'dead', reason: 'permanent' } }], t);
      await store().outbox.settle([{ id: jobOf(jobs, uk?.id).id, outcome: { status: 'sent', platformMessageId: '42' } }], t);
      await store().outbox.settle([{ id: jobOf(jobs, fa?.id).id, outcome: { status: 'retry', at: minutes(t, 5), reason: 'timeout', countsAsAttempt: true } }], t);

      expect(await store().outbox.stats(broadcast.id)).toEqual({
        total: 4,
        byStatus: { sent: 2, dead: 1, pending: 1 },
        byLang: { ar: { sent: 1, dead: 1 }, uk: { sent: 1 }, fa: { pending: 1 } },
        byChannel: { 'whatsapp-cloud': { sent: 1, dead: 1 }, telegram: { sent: 1, pending: 1 } },
      });
      expect(await store().outbox.openCount(broadcast.id)).toBe(1);
      expect(await store().outbox.anyOpen(broadcast.id)).toBe(true);
      expect(await store().outbox.openBroadcasts()).toContain(broadcast.id);
    });

    it('moves a rerouted delivery to the other channel once, keeping where it fell back from', async () => {
      await drain(store(), 'whatsapp-cloud');
      await drain(store(), 'sms');
      const org = await newOrg(store());
      const phone = phoneId();
      const [contact] = await importContacts(store(), org.id, [importRow({ phone, lang: 'fr' })], t);
      const { broadcast } = await sentToAll(store(), org.id, t);
      const [onWhatsapp] = await store().outbox.claim('whatsapp-cloud', 'bulk', t, 10, lease);
      const sms: Address = { channel: 'sms', id: `+${phone}` };
      const reason = 'fallback from whatsapp-cloud: not-on-channel';
      await store().outbox.settle([{ id: onWhatsapp!.id, outcome: { status: 'rerouted', to: sms, from: 'whatsapp-cloud', reason } }], minutes(t, 1));
      expect(await store().outbox.claim('whatsapp-cloud', 'bulk', minutes(t, 2), 10, minutes(t, 60))).toEqual([]);
      const [bySms] = await store().outbox.claim('sms', 'bulk', minutes(t, 1), 10, minutes(t, 60));
      expect(bySms).toMatchObject({ id: onWhatsapp!.id, contactId: contact?.id, channel: 'sms', address: sms, attempts: 0, partsSent: 0, fallbackFrom: 'whatsapp-cloud' });
      // Once only: a second reroute of the same row is not recorded.
      await store().outbox.settle([{ id: bySms!.id, outcome: { status: 'rerouted', to: { channel: 'telegram', id: '1' }, from: 'sms', reason } }], minutes(t, 2));
      expect(await store().outbox.claim('telegram', 'bulk', minutes(t, 3), 10, minutes(t, 60))).toEqual([]);
      await store().outbox.settle([{ id: bySms!.id, outcome: { status: 'sent', platformMessageId: 'SM1' } }], minutes(t, 2));
      expect(await store().outbox.stats(broadcast.id)).toEqual({ total: 1, byStatus: { sent: 1 }, byLang: { fr: { sent: 1 } }, byChannel: { sms: { sent: 1 } }, byFallback: { 'whatsapp-cloud>sms': 1 } });
    });

    it('finds the latest broadcast sent to an address after a time, in whichever organisation', async () => {
      await drain(store(), 'whatsapp-cloud');
      const [a, b] = [await newOrg(store()), await newOrg(store())];
      const phone = phoneId();
      const address: Address = { channel: 'whatsapp-cloud', id: phone };
      await importContacts(store(), a.id, [importRow({ phone })], t);
      const [inB] = await importContacts(store(), b.id, [importRow({ phone })], t);
      const { broadcast: fromA } = await sentToAll(store(), a.id, t);
      const { broadcast: fromB } = await sentToAll(store(), b.id, t);
      const { broadcast: failed } = await sentToAll(store(), a.id, t);
      const jobs = await store().outbox.claim('whatsapp-cloud', 'bulk', t, 10, lease);
      const of = (broadcastId: string): string => jobs.find((j) => j.broadcastId === broadcastId)?.id ?? '';

      await store().outbox.settle([{ id: of(fromA.id), outcome: { status: 'sent', platformMessageId: null } }], minutes(t, 1));
      await store().outbox.settle([{ id: of(fromB.id), outcome: { status: 'sent', platformMessageId: null } }], minutes(t, 2));
      await store().outbox.settle([{ id: of(failed.id), outcome: { status: 'dead', reason: 'permanent' } }], minutes(t, 5));

      expect(await store().outbox.lastDeliveredTo(address, t)).toEqual({ orgId: b.id, broadcastId: fromB.id, contactId: inB?.id });
      expect(await store().outbox.lastDeliveredTo(address, minutes(t, 3))).toBeNull();
      expect(await store().outbox.lastDeliveredTo({ channel: 'whatsapp-web', id: phone }, t)).toBeNull();
      expect(await store().outbox.lastDeliveredTo({ channel: 'whatsapp-cloud', id: phoneId() }, t)).toBeNull();
    });
  });
}
