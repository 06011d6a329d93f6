import { describe, expect, it } from 'vitest';
import { addressKey, type Address } from '../../../core/messages.ts';
import { personWith, sessionFor, uid, type StoreUnderTest } from './fixtures.ts';

/** Housekeeping: strangers' idle conversations go, everyone else's stay. */
export function housekeepingContract(store: StoreUnderTest): void {
  describe('housekeeping', () => {
    // Dates before every other contract test's, so that this prune touches only its own rows.
    const old = '2001-01-01T00:00:00.000Z';
    const before = new Date('2001-06-01T00:00:00.000Z');
    const recent = '2001-12-01T00:00:00.000Z';
    const at = (): Address => ({ channel: 'webchat', id: `stranger-${uid()}` });

    it("deletes strangers' conversations idle at the language picker, with their reach records, and nothing else", async () => {
      const s = store();
      const stranger = at();
      const chose = at();
      const known = at();
      const fresh = at();
      await s.conversations.save(addressKey(stranger), { ...sessionFor('language'), lang: null, updatedAt: old }, null);
      await s.reach.recordInbound(stranger, new Date(old), null);
      await s.conversations.save(addressKey(chose), { ...sessionFor('privacy'), lang: 'fa', updatedAt: old }, null);
      await s.conversations.save(addressKey(known), { ...sessionFor('language'), lang: null, updatedAt: old }, null);
      await s.people.create(personWith({ identities: [known] }));
      await s.conversations.save(addressKey(fresh), { ...sessionFor('language'), lang: null, updatedAt: recent }, null);

      expect(await s.housekeeping.pruneStrangers(before, 100)).toBe(1);
      expect(await s.conversations.load(addressKey(stranger))).toBeNull();
      expect(await s.reach.get(stranger)).toBeNull();
      for (const kept of [chose, known, fresh]) expect(await s.conversations.load(addressKey(kept))).not.toBeNull();
      expect(await s.housekeeping.pruneStrangers(before, 100)).toBe(0);
    });

    it('deletes at most `limit` per call', async () => {
      const s = store();
      const strangers = [at(), at(), at()];
      for (const a of strangers) await s.conversations.save(addressKey(a), { ...sessionFor('language'), lang: null, updatedAt: old }, null);
      expect(await s.housekeeping.pruneStrangers(before, 2)).toBe(2);
      expect(await s.housekeeping.pruneStrangers(before, 2)).toBe(1);
    });
  });
}
