import { describe, expect, it } from 'vitest';
import { addressKey, type Address } from '../../../core/messages.ts';
import { uid, phoneId, type StoreUnderTest } from './fixtures.ts';

/** Reach records: last inbound time and channel reference per address. */
export function reachContract(store: StoreUnderTest): void {
  describe('reach', () => {
    const t1 = new Date('2025-03-01T10:00:00.123Z');
    const t2 = new Date('2025-03-01T11:30:00.456Z');
    const t3 = new Date('2025-03-02T08:00:00.789Z');
    const reference = {
      bot: { id: 'bot-1', name: 'Passerelle' },
      conversation: { id: 'a:1x2y', tenantId: null },
      serviceUrl: 'https://smba.example.com/emea/',
      names: ['ليلى', 'Layla'],
      attempts: 3,
    };

    it('returns null for an address never recorded', async () => {
      expect(await store().reach.get({ channel: 'messenger', id: uid() })).toBeNull();
    });

    it('records the last inbound time with the reference, exactly', async () => {
      const address: Address = { channel: 'messenger', id: uid() };
      await store().reach.recordInbound(address, t1, reference);
      const record = await store().reach.get(address);
      expect(record).toEqual({ lastInboundAt: t1, reference });
      expect(record?.lastInboundAt).toBeInstanceOf(Date);
      expect(JSON.stringify(record?.reference)).toBe(JSON.stringify(reference));
    });

    it('keeps the stored reference when a later message brings none, and replaces it when one does', async () => {
      const address: Address = { channel: 'whatsapp-cloud', id: phoneId() };
      await store().reach.recordInbound(address, t1, reference);
      await store().reach.recordInbound(address, t2, null);
      expect(await store().reach.get(address)).toEqual({ lastInboundAt: t2, reference });

      const replaced = { conversation: { id: 'new' } };
      await store().reach.recordInbound(address, t3, replaced);
      expect(await store().reach.get(address)).toEqual({ lastInboundAt: t3, reference: replaced });
    });

    it('reads when a batch of people last wrote in one call, by address key, leaving out those never seen', async () => {
      const a: Address = { channel: 'whatsapp-cloud', id: phoneId() };
      const b: Address = { channel: 'whatsapp-cloud', id: phoneId() };
      const sameIdOtherChannel: Address = { channel: 'telegram', id: a.id };
      const never: Address = { channel: 'whatsapp-cloud', id: phoneId() };
      await store().reach.recordInbound(a, t1, null);
      await store().reach.recordInbound(b, t2, reference);
      const found = await store().reach.lastInboundAt([a, b, never, sameIdOtherChannel]);
      expect([...found.entries()].sort()).toEqual([
        [addressKey(a), t1],
        [addressKey(b), t2],
      ].sort());
      expect((await store().reach.lastInboundAt([])).size).toBe(0);
    });

    it('stores a null reference when the first message brings none', async () => {
      const address: Address = { channel: 'telegram', id: uid() };
      await store().reach.recordInbound(address, t1, null);
      expect(await store().reach.get(address)).toEqual({ lastInboundAt: t1, reference: null });
    });

    it('keeps channels apart and forgets one address only', async () => {
      const id = uid();
      const telegram: Address = { channel: 'telegram', id };
      const messenger: Address = { channel: 'messenger', id };
      await store().reach.recordInbound(telegram, t1, null);
      await store().reach.recordInbound(messenger, t2, reference);
      expect(await store().reach.get(telegram)).toEqual({ lastInboundAt: t1, reference: null });

      await store().reach.forget(telegram);

      expect(await store().reach.get(telegram)).toBeNull();
      expect(await store().reach.get(messenger)).toEqual({ lastInboundAt: t2, reference });
      await expect(store().reach.forget({ channel: 'webchat', id: uid() })).resolves.toBeUndefined();
    });
  });
}

/** Delivery receipts: states move forward only. */
export function receiptsContract(store: StoreUnderTest): void {
  describe('receipts', () => {
    const at = (minute: number): Date => new Date(Date.UTC(2025, 2, 1, 10, minute, 0, 250));

    it('returns null for a message with no receipt', async () => {
      expect(await store().receipts.get('whatsapp-cloud', `wamid.${uid()}`)).toBeNull();
    });

    it('moves forward through the states and never back', async () => {
      const id = `wamid.${uid()}`;
      await store().receipts.record('whatsapp-cloud', id, 'sent', at(1));
      expect(await store().receipts.get('whatsapp-cloud', id)).toEqual({ status: 'sent', at: at(1) });

      await store().receipts.record('whatsapp-cloud', id, 'delivered', at(2));
      expect(await store().receipts.get('whatsapp-cloud', id)).toEqual({ status: 'delivered', at: at(2) });

      await store().receipts.record('whatsapp-cloud', id, 'sent', at(3));
      expect(await store().receipts.get('whatsapp-cloud', id)).toEqual({ status: 'delivered', at: at(2) });

      await store().receipts.record('whatsapp-cloud', id, 'read', at(4));
      await store().receipts.record('whatsapp-cloud', id, 'delivered', at(5));
      expect(await store().receipts.get('whatsapp-cloud', id)).toEqual({ status: 'read', at: at(4) });
    });

    it('keeps a failure once reported', async () => {
      const id = `wamid.${uid()}`;
      await store().receipts.record('whatsapp-cloud', id, 'sent', at(1));
      await store().receipts.record('whatsapp-cloud', id, 'failed', at(2));
      await store().receipts.record('whatsapp-cloud', id, 'sent', at(3));
      expect(await store().receipts.get('whatsapp-cloud', id)).toEqual({ status: 'failed', at: at(2) });
    });

    it('keeps channels apart', async () => {
      const id = `m-${uid()}`;
      await store().receipts.record('whatsapp-cloud', id, 'read', at(1));
      await store().receipts.record('messenger', id, 'sent', at(2));
      expect(await store().receipts.get('whatsapp-cloud', id)).toEqual({ status: 'read', at: at(1) });
      expect(await store().receipts.get('messenger', id)).toEqual({ status: 'sent', at: at(2) });
    });

    it('ends on the latest state when states for a new message arrive at once', async () => {
      const id = `wamid.${uid()}`;
      await Promise.all([
        store().receipts.record('whatsapp-cloud', id, 'sent', at(1)),
        store().receipts.record('whatsapp-cloud', id, 'read', at(3)),
        store().receipts.record('whatsapp-cloud', id, 'delivered', at(2)),
        store().receipts.record('whatsapp-cloud', id, 'sent', at(1)),
      ]);
      expect(await store().receipts.get('whatsapp-cloud', id)).toEqual({ status: 'read', at: at(3) });
    });
  });
}
