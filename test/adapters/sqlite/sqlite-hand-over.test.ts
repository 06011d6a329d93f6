import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../adapters/sqlite/sqlite-store.ts';
import type { ConversationRecord } from '../../../core/ports/conversation-store.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';
import { sessionFor, uid } from '../store-contract/fixtures.ts';

// SQLite only: MongoDB has no multi-document transaction here and leaves `saveHandingOver` out
// (the pipeline then saves, enqueues and clears; the contract's other cases cover that path).
const rec = (session: ConversationRecord['session']): ConversationRecord => ({ session, effects: [], outgoing: [], inputs: [], seen: [] });
let store: Store;

beforeEach(() => {
  store = openSqliteStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

describe('SQLite: a turn handed to the outbox in the same write', () => {
  it('stores the record and its rows together; a conflict stores neither', async () => {
    const conversations = store.conversations;
    const id = uid();
    const key = `telegram:${id}`;
    const row = (n: number) => ({ id: `${id}.r${n}`, kind: 'reply' as const, to: { channel: 'telegram' as const, id }, reply: { lang: 'en', message: { type: 'text' as const, text: `reply ${n}` } }, inboundAt: null });
    const at = new Date('2025-03-01T10:00:00Z');
    expect(await conversations.saveHandingOver!(key, rec(sessionFor('ask-language')), null, null, [row(0)], at)).toEqual({ version: 1, claimed: [] });
    expect(await store.outbox.statusOf([row(0).id])).toEqual(new Map([[row(0).id, 'pending']]));

    await expect(conversations.saveHandingOver!(key, rec(sessionFor('ask-name')), 5, null, [row(1)], at)).rejects.toMatchObject({ name: 'ConcurrencyConflictError' });
    expect(await store.outbox.statusOf([row(1).id])).toEqual(new Map());
    expect((await conversations.load(key))?.value).toEqual(rec(sessionFor('ask-language')));
  });

  it('in a round of concurrent writes, one whose rows fail after its session was saved takes the session back; its neighbours commit', async () => {
    const conversations = store.conversations;
    const at = new Date('2025-03-01T10:00:00Z');
    const turn = (bad: boolean) => {
      const id = uid();
      // A reply that cannot be stored (it does not serialise): it fails after the session's own write.
      const text = bad ? (1n as unknown as string) : 'hello';
      const row = { id: `${id}.r0`, kind: 'reply' as const, to: { channel: 'telegram' as const, id }, reply: { lang: 'en', message: { type: 'text' as const, text } }, inboundAt: null };
      return { key: `telegram:${id}`, row, saved: conversations.saveHandingOver!(`telegram:${id}`, rec(sessionFor('ask-language')), null, null, [row], at) };
    };
    // Same tick: one group commit for the three.
    const [first, failing, third] = [turn(false), turn(true), turn(false)];
    await expect(first.saved).resolves.toEqual({ version: 1, claimed: [] });
    await expect(failing.saved).rejects.toThrow(TypeError);
    await expect(third.saved).resolves.toEqual({ version: 1, claimed: [] });
    expect(await conversations.load(failing.key)).toBeNull();
    expect(await store.outbox.statusOf([first.row.id, failing.row.id, third.row.id])).toEqual(
      new Map([
        [first.row.id, 'pending'],
        [third.row.id, 'pending'],
      ]),
    );
    expect((await conversations.load(third.key))?.version).toBe(1);
  });
});
