import { describe, expect, it } from 'vitest';
import type { Broadcast, BroadcastTranslation } from '../../../core/ports/broadcasts.port.ts';
import { broadcastWith, newOrg } from './broadcast-fixtures.ts';
import { uid, type StoreUnderTest } from './fixtures.ts';

/** Broadcasts: scoped by organisation, due when their time comes, moved on by compare-and-set. */
export function broadcastsContract(store: StoreUnderTest): void {
  describe('broadcasts', () => {
    const ours = (list: readonly Broadcast[], mine: readonly Broadcast[]): string[] => {
      const ids = new Set(mine.map((b) => b.id));
      return list.filter((b) => ids.has(b.id)).map((b) => b.id);
    };

    it('creates a broadcast that get returns exactly, for its own organisation only', async () => {
      const org = await newOrg(store());
      const other = await newOrg(store());
      const broadcast = broadcastWith(org.id, {
        text: 'غدًا توزيع وجبات، {firstName}\nligne 2 "citée"',
        sourceLang: null,
        audience: { type: 'tags', tags: ['lyon', 'famille'] },
        origin: 'telegram-channel',
      });
      await store().broadcasts.create(broadcast);

      expect(await store().broadcasts.get(org.id, broadcast.id)).toEqual(broadcast);
      expect(await store().broadcasts.get(other.id, broadcast.id)).toBeNull();
      expect(await store().broadcasts.get(org.id, uid())).toBeNull();
    });

    it('lists an organisation’s broadcasts newest first, up to the limit', async () => {
      const org = await newOrg(store());
      const other = await newOrg(store());
      const made = ['2025-04-02', '2025-04-04', '2025-04-01', '2025-04-03'].map((day) =>
        broadcastWith(org.id, { createdAt: `${day}T09:00:00.000Z`, scheduledAt: `${day}T10:00:00.000Z` }),
      );
      for (const b of made) await store().broadcasts.create(b);
      await store().broadcasts.create(broadcastWith(other.id, { createdAt: '2025-04-05T09:00:00.000Z' }));

      const newestFirst = [made[1], made[3], made[0], made[2]];
      expect(await store().broadcasts.list(org.id, 10)).toEqual(newestFirst);
      expect(await store().broadcasts.list(org.id, 2)).toEqual(newestFirst.slice(0, 2));
      expect(await store().broadcasts.list(uid(), 10)).toEqual([]);
    });

    it('gives the scheduled broadcasts whose time has come, oldest first, and no others', async () => {
      const org = await newOrg(store());
      // Dates no other test uses: `due` looks across organisations.
      const at = (minute: number): string => new Date(Date.UTC(1971, 5, 1, 10, minute)).toISOString();
      const late = broadcastWith(org.id, { scheduledAt: at(30) });
      const early = broadcastWith(org.id, { scheduledAt: at(10) });
      const exactlyNow = broadcastWith(org.id, { scheduledAt: at(40) });
      const future = broadcastWith(org.id, { scheduledAt: at(50) });
      const sending = broadcastWith(org.id, { scheduledAt: at(5), status: 'sending' });
      const cancelled = broadcastWith(org.id, { scheduledAt: at(6), status: 'cancelled' });
      const all = [late, early, exactlyNow, future, sending, cancelled];
      for (const b of all) await store().broadcasts.create(b);
      const now = new Date(at(40));

      expect(ours(await store().broadcasts.due(now, 100), all)).toEqual([early.id, late.id, exactlyNow.id]);
      expect(await store().broadcasts.due(new Date(Date.UTC(1971, 5, 1, 10, 20)), 100)).toEqual([early]);
      expect(await store().broadcasts.due(now, 2)).toEqual([early, late]);
    });

    it('lists broadcasts in a status, oldest scheduled first', async () => {
      const org = await newOrg(store());
      const second = broadcastWith(org.id, { status: 'sending', scheduledAt: '2025-04-02T10:00:00.000Z' });
      const first = broadcastWith(org.id, { status: 'sending', scheduledAt: '2025-04-01T10:00:00.000Z' });
      const done = broadcastWith(org.id, { status: 'done', scheduledAt: '2025-03-01T10:00:00.000Z' });
      const scheduled = [broadcastWith(org.id), broadcastWith(org.id)];
      const all = [second, first, done, ...scheduled];
      for (const b of all) await store().broadcasts.create(b);

      expect(ours(await store().broadcasts.inStatus('sending', 10_000), all)).toEqual([first.id, second.id]);
      expect(ours(await store().broadcasts.inStatus('done', 10_000), all)).toEqual([done.id]);
      expect(ours(await store().broadcasts.inStatus('scheduled', 10_000), all).sort()).toEqual(scheduled.map((b) => b.id).sort());
      expect(await store().broadcasts.inStatus('scheduled', 1)).toHaveLength(1);
    });

    it('moves a broadcast on only from the status named, and says whether it did', async () => {
      const org = await newOrg(store());
      const broadcast = broadcastWith(org.id);
      await store().broadcasts.create(broadcast);

      expect(await store().broadcasts.transition(broadcast.id, 'sending', 'done')).toBe(false);
      expect(await store().broadcasts.transition(broadcast.id, 'scheduled', 'sending')).toBe(true);
      expect(await store().broadcasts.transition(broadcast.id, 'scheduled', 'sending')).toBe(false);
      expect(await store().broadcasts.get(org.id, broadcast.id)).toEqual({ ...broadcast, status: 'sending' });
      expect(await store().broadcasts.transition(broadcast.id, 'sending', 'done')).toBe(true);
      expect(await store().broadcasts.get(org.id, broadcast.id)).toEqual({ ...broadcast, status: 'done' });
      expect(await store().broadcasts.transition(uid(), 'scheduled', 'sending')).toBe(false);
    });

    it('lets exactly one of many concurrent transitions from one status win', async () => {
      const org = await newOrg(store());
      const broadcast = broadcastWith(org.id);
      await store().broadcasts.create(broadcast);

      const results = await Promise.all(Array.from({ length: 8 }, () => store().broadcasts.transition(broadcast.id, 'scheduled', 'sending')));

      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().broadcasts.get(org.id, broadcast.id)).toMatchObject({ status: 'sending' });
    });

    it('round-trips the per-language texts of a broadcast, the last save of a language winning', async () => {
      const org = await newOrg(store());
      const broadcast = broadcastWith(org.id);
      const other = broadcastWith(org.id);
      await store().broadcasts.create(broadcast);
      await store().broadcasts.create(other);
      const arabic: BroadcastTranslation = { kind: 'translated', text: 'توزيع وجبات غدًا، <x id="firstName"/>', by: 'deepl' };
      const french: BroadcastTranslation = { kind: 'source', text: broadcast.text, reason: 'same-language' };
      const pashto: BroadcastTranslation = { kind: 'source', text: broadcast.text, reason: 'unsupported' };

      expect(await store().broadcasts.translations(broadcast.id)).toEqual(new Map());
      await store().broadcasts.saveTranslation(broadcast.id, 'ar', { kind: 'source', text: broadcast.text, reason: 'gave-up' });
      await store().broadcasts.saveTranslation(broadcast.id, 'ar', arabic);
      await store().broadcasts.saveTranslation(broadcast.id, 'fr', french);
      await store().broadcasts.saveTranslation(broadcast.id, 'ps', pashto);

      expect(await store().broadcasts.translations(broadcast.id)).toEqual(
        new Map<string, BroadcastTranslation>([
          ['ar', arabic],
          ['fr', french],
          ['ps', pashto],
        ]),
      );
      expect(await store().broadcasts.translations(other.id)).toEqual(new Map());
    });
  });
}
