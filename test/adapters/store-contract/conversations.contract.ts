import { describe, expect, it } from 'vitest';
import { uid, rejection, expectNoPersonalData, phoneId, sessionFor, richSession, type StoreUnderTest } from './fixtures.ts';

/** Conversations: versions, conflicts, exact JSON round trip. */
export function conversationsContract(store: StoreUnderTest): void {
  describe('conversations', () => {
    it('loads null for a key never saved', async () => {
      expect(await store().conversations.load(`telegram:${uid()}`)).toBeNull();
    });

    it('saves a new key with expected null as version 1, then each save adds one', async () => {
      const key = `telegram:${uid()}`;
      const first = sessionFor('ask-language');
      expect(await store().conversations.save(key, first, null)).toBe(1);
      expect(await store().conversations.load(key)).toEqual({ value: first, version: 1 });

      const second = sessionFor('ask-name', { lang: 'ar' });
      expect(await store().conversations.save(key, second, 1)).toBe(2);
      expect(await store().conversations.load(key)).toEqual({ value: second, version: 2 });

      const third = sessionFor('ask-place', { lang: 'ar', firstName: 'Omar' });
      expect(await store().conversations.save(key, third, 2)).toBe(3);
      expect(await store().conversations.load(key)).toEqual({ value: third, version: 3 });
    });

    it('round-trips a session exactly as JSON', async () => {
      const key = `whatsapp-cloud:${phoneId()}`;
      const session = richSession();
      await store().conversations.save(key, session, null);
      const loaded = await store().conversations.load(key);
      expect(loaded?.value).toEqual(session);
      expect(JSON.stringify(loaded?.value)).toBe(JSON.stringify(session));
      expect(loaded?.version).toBe(1);
    });

    it('rejects a save naming a stale version and keeps the newer session', async () => {
      const id = phoneId();
      const key = `whatsapp-web:${id}`;
      await store().conversations.save(key, sessionFor('a'), null);
      await store().conversations.save(key, sessionFor('b'), 1);

      const error = await rejection(store().conversations.save(key, sessionFor('stale'), 1));
      expect(error.name).toBe('ConcurrencyConflictError');
      expectNoPersonalData(error, [id]);
      expect(await store().conversations.load(key)).toEqual({ value: sessionFor('b'), version: 2 });
    });

    it('rejects a save naming a version ahead of the stored one', async () => {
      const key = `telegram:${uid()}`;
      await store().conversations.save(key, sessionFor('a'), null);
      const error = await rejection(store().conversations.save(key, sessionFor('ahead'), 5));
      expect(error.name).toBe('ConcurrencyConflictError');
      expect(await store().conversations.load(key)).toEqual({ value: sessionFor('a'), version: 1 });
    });

    it('rejects a save with expected null when the key already exists', async () => {
      const id = phoneId();
      const key = `whatsapp-cloud:${id}`;
      await store().conversations.save(key, sessionFor('first'), null);
      const error = await rejection(store().conversations.save(key, sessionFor('second'), null));
      expect(error.name).toBe('ConcurrencyConflictError');
      expectNoPersonalData(error, [id]);
      expect(await store().conversations.load(key)).toEqual({ value: sessionFor('first'), version: 1 });
    });

    it('rejects a save with a version when the key does not exist', async () => {
      const key = `telegram:${uid()}`;
      const error = await rejection(store().conversations.save(key, sessionFor('ghost'), 1));
      expect(error.name).toBe('ConcurrencyConflictError');
      expect(await store().conversations.load(key)).toBeNull();
    });

    it('lets exactly one of many concurrent saves with the same expected version win', async () => {
      const key = `telegram:${uid()}`;
      await store().conversations.save(key, sessionFor('start'), null);
      const sessions = Array.from({ length: 8 }, (_, i) => sessionFor(`racer-${i}`, { racer: i }));

      const results = await Promise.allSettled(sessions.map((s) => store().conversations.save(key, s, 1)));

      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, version: r.value }] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(won[0]?.version).toBe(2);
      expect(lost).toHaveLength(7);
      for (const reason of lost) expect(reason).toMatchObject({ name: 'ConcurrencyConflictError' });
      const winner = sessions[won[0]?.i ?? -1];
      expect(await store().conversations.load(key)).toEqual({ value: winner, version: 2 });
    });

    it('lets exactly one of many concurrent first saves (expected null) win', async () => {
      const key = `telegram:${uid()}`;
      const sessions = Array.from({ length: 8 }, (_, i) => sessionFor(`first-${i}`));

      const results = await Promise.allSettled(sessions.map((s) => store().conversations.save(key, s, null)));

      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, version: r.value }] : []));
      expect(won).toHaveLength(1);
      expect(won[0]?.version).toBe(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ name: 'ConcurrencyConflictError' });
      }
      expect(await store().conversations.load(key)).toEqual({ value: sessions[won[0]?.i ?? -1], version: 1 });
    });

    it('deletes one key only, and a deleted key starts again at version 1', async () => {
      const key = `telegram:${uid()}`;
      const other = `telegram:${uid()}`;
      await store().conversations.save(key, sessionFor('a'), null);
      await store().conversations.save(key, sessionFor('b'), 1);
      await store().conversations.save(other, sessionFor('other'), null);

      await store().conversations.delete(key);

      expect(await store().conversations.load(key)).toBeNull();
      expect(await store().conversations.load(other)).toEqual({ value: sessionFor('other'), version: 1 });
      expect(await store().conversations.save(key, sessionFor('again'), null)).toBe(1);
      expect(await store().conversations.load(key)).toEqual({ value: sessionFor('again'), version: 1 });
    });

    it('deleting a key that does not exist resolves', async () => {
      await expect(store().conversations.delete(`telegram:${uid()}`)).resolves.toBeUndefined();
    });
  });
}

/** The inbound ledger: claim once, prune old claims. */
export function ledgerContract(store: StoreUnderTest): void {
  describe('inbound ledger', () => {
    const at = new Date('2025-03-01T10:00:00.000Z');

    it('claims a (channel, message id) the first time only', async () => {
      const messageId = uid();
      expect(await store().ledger.claim('telegram', messageId, at)).toBe(true);
      expect(await store().ledger.claim('telegram', messageId, at)).toBe(false);
      expect(await store().ledger.claim('telegram', messageId, new Date(at.getTime() + 60_000))).toBe(false);
    });

    it('keeps channels independent and message ids distinct', async () => {
      const messageId = uid();
      expect(await store().ledger.claim('telegram', messageId, at)).toBe(true);
      expect(await store().ledger.claim('whatsapp-cloud', messageId, at)).toBe(true);
      expect(await store().ledger.claim('telegram', `${messageId}-2`, at)).toBe(true);
      expect(await store().ledger.claim('whatsapp-cloud', messageId, at)).toBe(false);
    });

    it('does not confuse ids that only a naive concatenation would join', async () => {
      const suffix = uid();
      expect(await store().ledger.claim('telegram', `a:${suffix}`, at)).toBe(true);
      expect(await store().ledger.claim('telegram:a', suffix, at)).toBe(true);
    });

    it('lets exactly one of many concurrent claims of one message win', async () => {
      const messageId = uid();
      const claims = await Promise.all(Array.from({ length: 8 }, () => store().ledger.claim('messenger', messageId, at)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('prunes claims older than the cut-off and keeps newer ones', async () => {
      const old1 = uid();
      const old2 = uid();
      const recent = uid();
      const cutOff = new Date('2001-01-02T00:00:00.000Z');
      await store().ledger.claim('telegram', old1, new Date('2001-01-01T00:00:00.000Z'));
      await store().ledger.claim('webchat', old2, new Date('2001-01-01T23:59:59.999Z'));
      await store().ledger.claim('telegram', recent, cutOff);

      const pruned = await store().ledger.prune(cutOff);

      // Other runs may share the database, so at least our two old claims went.
      expect(pruned).toBeGreaterThanOrEqual(2);
      expect(await store().ledger.claim('telegram', recent, at)).toBe(false);
      expect(await store().ledger.claim('telegram', old1, at)).toBe(true);
      expect(await store().ledger.claim('webchat', old2, at)).toBe(true);
    });

    it('prunes nothing of ours when every claim is newer than the cut-off', async () => {
      const messageId = uid();
      await store().ledger.claim('cli', messageId, at);
      expect(await store().ledger.prune(new Date('1990-01-01T00:00:00.000Z'))).toBeGreaterThanOrEqual(0);
      expect(await store().ledger.claim('cli', messageId, at)).toBe(false);
    });
  });
}
