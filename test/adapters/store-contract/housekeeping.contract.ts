import { describe, expect, it } from 'vitest';
import type { Session } from '../../../core/dialog/session.ts';
import { addressKey, type Address } from '../../../core/messages.ts';
import type { ConversationRecord } from '../../../core/ports/conversation-store.port.ts';
import { personWith, sessionFor, uid, type StoreUnderTest } from './fixtures.ts';

/** Housekeeping: strangers' idle conversations go, everyone else's stay. */
export function housekeepingContract(store: StoreUnderTest): void {
  describe('housekeeping', () => {
    // Dates before every other contract test's, so that this prune touches only its own rows.
    const old = '2001-01-01T00:00:00.000Z';
    const before = new Date('2001-06-01T00:00:00.000Z');
    const recent = '2001-12-01T00:00:00.000Z';
    const at = (): Address => ({ channel: 'webchat', id: `stranger-${uid()}` });
    const record = (session: Session, work: Partial<Omit<ConversationRecord, 'session'>> = {}): ConversationRecord => ({ session, effects: [], outgoing: [], inputs: [], seen: [], ...work });
    const picker = (updatedAt = old): Session => ({ ...sessionFor('language'), lang: null, updatedAt });

    it("deletes strangers' conversations idle at the language picker, with their reach records, and nothing else", async () => {
      const s = store();
      const stranger = at();
      const chose = at();
      const known = at();
      const fresh = at();
      await s.conversations.save(addressKey(stranger), record(picker()), null, null);
      await s.reach.recordInbound(stranger, new Date(old), null);
      await s.conversations.save(addressKey(chose), record({ ...sessionFor('privacy'), lang: 'fa', updatedAt: old }), null, null);
      await s.conversations.save(addressKey(known), record(picker()), null, null);
      await s.people.create(personWith({ identities: [known] }));
      await s.conversations.save(addressKey(fresh), record(picker(recent)), null, null);

      expect(await s.housekeeping.pruneStrangers(before, 100)).toBe(1);
      expect(await s.conversations.load(addressKey(stranger))).toBeNull();
      expect(await s.reach.get(stranger)).toBeNull();
      for (const kept of [chose, known, fresh]) expect(await s.conversations.load(addressKey(kept))).not.toBeNull();
      expect(await s.housekeeping.pruneStrangers(before, 100)).toBe(0);
    });

    it('deletes at most `limit` per call', async () => {
      const s = store();
      const strangers = [at(), at(), at()];
      for (const a of strangers) await s.conversations.save(addressKey(a), record(picker()), null, null);
      expect(await s.housekeeping.pruneStrangers(before, 2)).toBe(2);
      expect(await s.housekeeping.pruneStrangers(before, 2)).toBe(1);
    });

    it('keeps a stranger\'s conversation while work is pending (a wake-up, an effect, a message to send, an input)', async () => {
      const s = store();
      const due = at();
      const effect = at();
      const outgoing = at();
      const input = at();
      const seenOnly = at();
      await s.conversations.save(addressKey(due), record(picker()), null, new Date(old));
      await s.conversations.save(addressKey(effect), record(picker(), { effects: [{ id: 'e1', type: 'x', payload: {}, task: false, attempts: 1, dueAt: old }] }), null, null);
      await s.conversations.save(addressKey(outgoing), record(picker(), { outgoing: [{ id: 'o1', to: outgoing, reply: { lang: 'en', message: { type: 'text', text: 'Hello' } }, inboundAt: old }] }), null, null);
      await s.conversations.save(addressKey(input), record(picker(), { inputs: [{ id: 'i1', input: { kind: 'timer', id: 't1' } }] }), null, null);
      // Seen marks are no work: only proof of what was processed.
      await s.conversations.save(addressKey(seenOnly), record(picker(), { seen: [{ mark: 'm', at: old }] }), null, null);

      expect(await s.housekeeping.pruneStrangers(before, 100)).toBe(1);
      expect(await s.conversations.load(addressKey(seenOnly))).toBeNull();
      for (const kept of [due, effect, outgoing, input]) expect(await s.conversations.load(addressKey(kept))).not.toBeNull();
    });
  });
}
