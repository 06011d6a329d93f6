import { describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../../core/ports/conversation-store.port.ts';
import type { Session } from '../../../core/dialog/session.ts';
import { uid, rejection, expectNoPersonalData, phoneId, sessionFor, richSession, type StoreUnderTest } from './fixtures.ts';

/** A record holding only a session (no pending work). */
function rec(session: Session, work: Partial<Omit<ConversationRecord, 'session'>> = {}): ConversationRecord {
  return { session, effects: [], outgoing: [], inputs: [], seen: [], ...work };
}

/** Conversations: versions, conflicts, exact JSON round trip. */
export function conversationsContract(store: StoreUnderTest): void {
  describe('conversations', () => {
    it('loads null for a key never saved', async () => {
      expect(await store().conversations.load(`telegram:${uid()}`)).toBeNull();
    });

    it('saves a new key with expected null as version 1, then each save adds one', async () => {
      const key = `telegram:${uid()}`;
      const first = sessionFor('ask-language');
      expect(await store().conversations.save(key, rec(first), null, null)).toBe(1);
      expect(await store().conversations.load(key)).toEqual({ value: rec(first), version: 1 });

      const second = sessionFor('ask-name', { lang: 'ar' });
      expect(await store().conversations.save(key, rec(second), 1, null)).toBe(2);
      expect(await store().conversations.load(key)).toEqual({ value: rec(second), version: 2 });

      const third = sessionFor('ask-place', { lang: 'ar', firstName: 'Omar' });
      expect(await store().conversations.save(key, rec(third), 2, null)).toBe(3);
      expect(await store().conversations.load(key)).toEqual({ value: rec(third), version: 3 });
    });

    it('round-trips a session exactly as JSON', async () => {
      const key = `whatsapp-cloud:${phoneId()}`;
      const session = richSession();
      await store().conversations.save(key, rec(session), null, null);
      const loaded = await store().conversations.load(key);
      expect(loaded?.value).toEqual(rec(session));
      expect(JSON.stringify(loaded?.value.session)).toBe(JSON.stringify(session));
      expect(loaded?.version).toBe(1);
    });

    it('rejects a save naming a stale version and keeps the newer session', async () => {
      const id = phoneId();
      const key = `whatsapp-web:${id}`;
      await store().conversations.save(key, rec(sessionFor('a')), null, null);
      await store().conversations.save(key, rec(sessionFor('b')), 1, null);

      const error = await rejection(store().conversations.save(key, rec(sessionFor('stale')), 1, null));
      expect(error.name).toBe('ConcurrencyConflictError');
      expectNoPersonalData(error, [id]);
      expect(await store().conversations.load(key)).toEqual({ value: rec(sessionFor('b')), version: 2 });
    });

    it('rejects a save naming a version ahead of the stored one', async () => {
      const key = `telegram:${uid()}`;
      await store().conversations.save(key, rec(sessionFor('a')), null, null);
      const error = await rejection(store().conversations.save(key, rec(sessionFor('ahead')), 5, null));
      expect(error.name).toBe('ConcurrencyConflictError');
      expect(await store().conversations.load(key)).toEqual({ value: rec(sessionFor('a')), version: 1 });
    });

    it('rejects a save with expected null when the key already exists', async () => {
      const id = phoneId();
      const key = `whatsapp-cloud:${id}`;
      await store().conversations.save(key, rec(sessionFor('first')), null, null);
      const error = await rejection(store().conversations.save(key, rec(sessionFor('second')), null, null));
      expect(error.name).toBe('ConcurrencyConflictError');
      expectNoPersonalData(error, [id]);
      expect(await store().conversations.load(key)).toEqual({ value: rec(sessionFor('first')), version: 1 });
    });

    it('rejects a save with a version when the key does not exist', async () => {
      const key = `telegram:${uid()}`;
      const error = await rejection(store().conversations.save(key, rec(sessionFor('ghost')), 1, null));
      expect(error.name).toBe('ConcurrencyConflictError');
      expect(await store().conversations.load(key)).toBeNull();
    });

    it('lets exactly one of many concurrent saves with the same expected version win', async () => {
      const key = `telegram:${uid()}`;
      await store().conversations.save(key, rec(sessionFor('start')), null, null);
      const sessions = Array.from({ length: 8 }, (_, i) => sessionFor(`racer-${i}`, { racer: i }));

      const results = await Promise.allSettled(sessions.map((s) => store().conversations.save(key, rec(s), 1, null)));

      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, version: r.value }] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(won[0]?.version).toBe(2);
      expect(lost).toHaveLength(7);
      for (const reason of lost) expect(reason).toMatchObject({ name: 'ConcurrencyConflictError' });
      const winner = sessions[won[0]?.i ?? -1];
      expect(await store().conversations.load(key)).toEqual({ value: rec(winner!), version: 2 });
    });

    it('lets exactly one of many concurrent first saves (expected null) win', async () => {
      const key = `telegram:${uid()}`;
      const sessions = Array.from({ length: 8 }, (_, i) => sessionFor(`first-${i}`));

      const results = await Promise.allSettled(sessions.map((s) => store().conversations.save(key, rec(s), null, null)));

      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, version: r.value }] : []));
      expect(won).toHaveLength(1);
      expect(won[0]?.version).toBe(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ name: 'ConcurrencyConflictError' });
      }
      expect(await store().conversations.load(key)).toEqual({ value: rec(sessions[won[0]?.i ?? -1]!), version: 1 });
    });

    it('deletes one key only, and a deleted key starts again at version 1', async () => {
      const key = `telegram:${uid()}`;
      const other = `telegram:${uid()}`;
      await store().conversations.save(key, rec(sessionFor('a')), null, null);
      await store().conversations.save(key, rec(sessionFor('b')), 1, null);
      await store().conversations.save(other, rec(sessionFor('other')), null, null);

      await store().conversations.delete(key);

      expect(await store().conversations.load(key)).toBeNull();
      expect(await store().conversations.load(other)).toEqual({ value: rec(sessionFor('other')), version: 1 });
      expect(await store().conversations.save(key, rec(sessionFor('again')), null, null)).toBe(1);
      expect(await store().conversations.load(key)).toEqual({ value: rec(sessionFor('again')), version: 1 });
    });

    it('deleting a key that does not exist resolves', async () => {
      await expect(store().conversations.delete(`telegram:${uid()}`)).resolves.toBeUndefined();
    });

    it('round-trips pending work and dedupe marks with the session, and a null session', async () => {
      const key = `telegram:${uid()}`;
      const work = {
        effects: [{ id: 't1.0', type: 'onboarding.completed', payload: { firstName: 'Omar', nested: { a: [1, 'two'] } }, task: false, attempts: 2, dueAt: '2026-11-28T10:00:05.000Z' }],
        outgoing: [{ id: 't1.r0', to: { channel: 'telegram' as const, id: '42' }, reply: { lang: 'ar', message: { type: 'text' as const, text: 'مرحبا' } }, inboundAt: '2026-11-28T10:00:00.000Z' }],
        inputs: [{ id: 'sig-1', input: { kind: 'task-failed' as const, reason: 'x' } }],
        seen: [{ mark: 'abc', at: '2026-11-28T10:00:00.000Z' }],
      };
      await store().conversations.save(key, rec(sessionFor('a'), work), null, new Date('2026-11-28T10:00:05.000Z'));
      expect(await store().conversations.load(key)).toEqual({ value: rec(sessionFor('a'), work), version: 1 });
      const ended: ConversationRecord = { session: null, effects: [], outgoing: [], inputs: [], seen: [] };
      await store().conversations.save(key, ended, 1, null);
      expect(await store().conversations.load(key)).toEqual({ value: ended, version: 2 });
    });

    it('lists the keys whose wake-up time has come, soonest first, and forgets them once saved without one', async () => {
      const [a, b, c] = [`telegram:${uid()}`, `telegram:${uid()}`, `telegram:${uid()}`];
      await store().conversations.save(a, rec(sessionFor('a')), null, new Date('2001-01-01T00:00:02.000Z'));
      await store().conversations.save(b, rec(sessionFor('b')), null, new Date('2001-01-01T00:00:01.000Z'));
      await store().conversations.save(c, rec(sessionFor('c')), null, new Date('2001-01-01T00:00:09.000Z'));
      const due = (await store().conversations.due(new Date('2001-01-01T00:00:05.000Z'), 100)).filter((k) => [a, b, c].includes(k));
      expect(due).toEqual([b, a]);
      await store().conversations.save(b, rec(sessionFor('b2')), 1, null);
      const later = (await store().conversations.due(new Date('2001-01-01T00:00:10.000Z'), 100)).filter((k) => [a, b, c].includes(k));
      expect(later).toEqual([a, c]);
    });

    it('deletes with an expected version only while the conversation is still at it', async () => {
      const key = `telegram:${uid()}`;
      await store().conversations.save(key, rec(sessionFor('a')), null, null);
      await store().conversations.save(key, rec(sessionFor('b')), 1, null);
      await store().conversations.delete(key, 1);
      expect(await store().conversations.load(key)).toEqual({ value: rec(sessionFor('b')), version: 2 });
      await store().conversations.delete(key, 2);
      expect(await store().conversations.load(key)).toBeNull();
    });
  });
}
