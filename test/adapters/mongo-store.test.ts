import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { openMongoStore } from '../../adapters/mongo/mongo-store.ts';
import type { Reply } from '../../core/messages.ts';
import { EMPTY_RECORD } from '../../core/pipeline/conversation-record.ts';
import type { NewOutboxMessage } from '../../core/ports/outbox.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { sessionFor } from './store-contract/fixtures.ts';
import { storeContract } from './store.contract.ts';

/** The error and every cause below it, outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 10; ) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

const names = (error: unknown): string[] => causeChain(error).map((e) => (e instanceof Error ? e.name : typeof e));

const uri = process.env.MONGODB_URI;

if (uri) {
  // One database per run, dropped afterwards, so runs never see each other's data.
  const dbName = `passerelle_contract_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  storeContract(
    'mongodb',
    () => openMongoStore(uri, { dbName, serverSelectionTimeoutMS: 5_000 }),
    async () => {
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  );

  describe('MongoDB store specifics', () => {
    /** Opens the store on a database of its own (the contract's cleanup drops the shared one), then drops it. */
    async function withOwnDb(suffix: string, body: (store: Store, db: Db) => Promise<void>, before?: (db: Db) => Promise<void>): Promise<void> {
      const ownDb = `${dbName}_${suffix}`;
      const client = new MongoClient(uri!, { serverSelectionTimeoutMS: 5_000 });
      let store: Store | undefined;
      try {
        await before?.(client.db(ownDb));
        store = await openMongoStore(uri!, { dbName: ownDb, serverSelectionTimeoutMS: 5_000 });
        await body(store, client.db(ownDb));
      } finally {
        await store?.close();
        await client.db(ownDb).dropDatabase();
        await client.close();
      }
    }

    const at = new Date('2025-03-01T10:00:00.000Z');
    const reply = (text: string): Reply => ({ lang: 'ar', message: { type: 'text', text } });

    it('stores a conversation as JSON text beside its work, with the wake-up time as a date', async () => {
      await withOwnDb('conversation', async (store, db) => {
        const key = `telegram:${randomUUID()}`;
        const session = sessionFor('ask-name', { 'a.b': 1, $c: 2 });
        const record = { ...EMPTY_RECORD, session, seen: [{ mark: 'm-1', at: at.toISOString() }] };
        await store.conversations.save(key, record, null, at);
        const doc = await db.collection('conversations').findOne({ _id: key as never });
        expect(doc).toMatchObject({ version: 1, session: JSON.stringify(session), work: JSON.stringify({ effects: [], outgoing: [], inputs: [], seen: record.seen }), wakeAt: at });
        expect(await store.conversations.due(at, 10)).toEqual([key]);
      });
    });

    it('reads a conversation written before durable turns as one with no work', async () => {
      const key = `telegram:${randomUUID()}`;
      const session = sessionFor('menu');
      await withOwnDb(
        'old-conversation',
        async (store) => {
          expect(await store.conversations.load(key)).toEqual({ value: { ...EMPTY_RECORD, session }, version: 3 });
          expect(await store.conversations.due(new Date('2100-01-01T00:00:00.000Z'), 10)).toEqual([]);
        },
        async (db) => {
          await db.collection('conversations').insertOne({ _id: key as never, version: 3, session: JSON.stringify(session), updatedAt: at });
        },
      );
    });

    it('creates at start-up the indexes the outbox, the conversations and the contacts rely on', async () => {
      await withOwnDb('indexes', async (_store, db) => {
        const indexes = async (collection: string): Promise<Record<string, boolean>> =>
          Object.fromEntries((await db.collection(collection).listIndexes().toArray()).map((i) => [String(i.name), i.unique === true]));
        expect(await indexes('contacts')).toMatchObject({ org_phone_unique: true, org_address_unique: true, address: false, person: false });
        expect(await indexes('outbox')).toMatchObject({ lane_pending: false, lane_lease: false, address_sent: false, held_expiry: false, org_status: false });
        expect(await indexes('conversations')).toMatchObject({ wake: false });
        expect(await indexes('organisations')).toMatchObject({ code_unique: true, api_key_unique: true, telegram_channel_unique: true, link_code_unique: true });
      });
    });

    it('names a broadcast row after its broadcast and contact, so a second materialize finds it', async () => {
      await withOwnDb('deliveries', async (store, db) => {
        const contactId = randomUUID();
        await store.contacts.importMany('org-1', [{ firstName: 'Amina', phone: '+33612345678', lang: 'ar', channel: 'telegram', address: null, tags: [] }], () => contactId, at);
        expect(await store.outbox.materialize('b-1', 'org-1', { type: 'all' }, at)).toBe(1);
        expect(await store.outbox.materialize('b-1', 'org-1', { type: 'all' }, at)).toBe(0);
        const docs = await db.collection('outbox').find({}, { projection: { _id: 1, kind: 1, lane: 1 } }).toArray();
        expect(docs).toEqual([{ _id: `b-1:${contactId}`, kind: 'broadcast', lane: 'bulk' }]);
      });
    });

    it('moves the deliveries of an older release into the outbox and drops the inbound ledger', async () => {
      const address = { channel: 'telegram' as const, id: randomUUID() };
      await withOwnDb(
        'migration',
        async (store, db) => {
          const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
          expect(names).not.toContain('deliveries');
          expect(names).not.toContain('inbound_ledger');
          const [job] = await store.outbox.claim('telegram', 'bulk', at, 10, new Date(at.getTime() + 60_000));
          expect(job).toEqual({
            id: 'b-old:c-1',
            kind: 'broadcast',
            lane: 'bulk',
            broadcastId: 'b-old',
            orgId: 'org-1',
            contactId: 'c-1',
            channel: 'telegram',
            address,
            lang: 'uk',
            firstName: 'Olena',
            attempts: 0,
            reply: null,
            partsSent: 0,
            inboundAt: null,
          });
          // The old unique (broadcastId, contactId) index is gone: two answers to one contact both go in.
          const answer = (id: string): NewOutboxMessage => ({ id, kind: 'answer', to: address, reply: reply(id), inboundAt: null, orgId: 'org-1', contactId: 'c-1' });
          await store.outbox.enqueue([answer('a-1'), answer('a-2')], at);
          expect([...(await store.outbox.statusOf(['a-1', 'a-2']))]).toEqual([
            ['a-1', 'pending'],
            ['a-2', 'pending'],
          ]);
        },
        async (db) => {
          await db.collection('deliveries').createIndex({ broadcastId: 1, contactId: 1 }, { name: 'broadcast_contact_unique', unique: true });
          await db.collection('deliveries').insertOne({
            _id: 'b-old:c-1' as never,
            broadcastId: 'b-old',
            orgId: 'org-1',
            contactId: 'c-1',
            channel: 'telegram',
            address,
            addressKey: `telegram:${address.id}`,
            lang: 'uk',
            firstName: 'Olena',
            status: 'pending',
            attempts: 0,
            nextAttemptAt: at,
            leaseUntil: null,
            claimToken: null,
            reason: null,
            platformMessageId: null,
            updatedAt: at,
          });
          await db.collection('inbound_ledger').insertOne({ _id: 'f'.repeat(64) as never, at });
        },
      );
    });

    it('keeps a person’s order between two processes: a message enqueued after another one waits for it', async () => {
      await withOwnDb('order', async (first) => {
        const second = await openMongoStore(uri!, { dbName: `${dbName}_order`, serverSelectionTimeoutMS: 5_000 });
        try {
          const to = { channel: 'telegram' as const, id: randomUUID() };
          const message = (id: string): NewOutboxMessage => ({ id, kind: 'reply', to, reply: reply(id), inboundAt: at });
          await first.outbox.enqueue([message('r-1')], at);
          await second.outbox.enqueue([message('r-2')], at);
          const lease = new Date(at.getTime() + 60_000);
          expect((await second.outbox.claim('telegram', 'interactive', at, 10, lease)).map((j) => j.id)).toEqual(['r-1']);
          expect(await first.outbox.claim('telegram', 'interactive', at, 10, lease)).toEqual([]);
          await first.outbox.settle([{ id: 'r-1', outcome: { status: 'sent', platformMessageId: '1' } }], at);
          expect((await first.outbox.claim('telegram', 'interactive', at, 10, lease)).map((j) => j.id)).toEqual(['r-2']);
        } finally {
          await second.close();
        }
      });
    });
  });
} else {
  it('MongoDB contract tests run when MONGODB_URI is set', () => {
    expect(uri).toBeFalsy();
  });
}

describe('openMongoStore failures', () => {
  it('rejects a malformed URI with the driver parse error as cause', async () => {
    const error: unknown = await openMongoStore('not-a-mongodb-uri').then(
      () => new Error('expected openMongoStore to reject'),
      (e: unknown) => e,
    );
    expect(names(error)).toContain('MongoParseError');
    expect(names(error)[0]).not.toBe('Error');
  });

  it('rejects within a few seconds when no server answers, instead of hanging', async () => {
    const started = Date.now();
    const error: unknown = await openMongoStore('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 500 }).then(
      () => new Error('expected openMongoStore to reject'),
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(names(error)).toContain('MongoServerSelectionError');
  }, 10_000);
});
