import { createHash, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { openMongoStore } from '../../adapters/mongo/mongo-store.ts';
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
    it('stores a ledger claim as the sha256 of channel NUL message id, and nothing else', async () => {
      // Its own database: the contract's cleanup has dropped the shared one by now.
      const ownDb = `${dbName}_ledger`;
      const store = await openMongoStore(uri, { dbName: ownDb, serverSelectionTimeoutMS: 5_000 });
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
      try {
        const messageId = `wamid.${randomUUID()}`;
        const at = new Date('2025-03-01T10:00:00.000Z');
        expect(await store.ledger.claim('whatsapp-cloud', messageId, at)).toBe(true);
        const docs = await client.db(ownDb).collection('inbound_ledger').find({}).toArray();
        const expected = createHash('sha256').update(`whatsapp-cloud\u0000${messageId}`).digest('hex');
        expect(docs).toEqual([{ _id: expected, at }]);
      } finally {
        await store.close();
        await client.db(ownDb).dropDatabase();
        await client.close();
      }
    });

    it('creates at start-up the unique and claim indexes the broadcast stores rely on', async () => {
      const ownDb = `${dbName}_indexes`;
      const store = await openMongoStore(uri, { dbName: ownDb, serverSelectionTimeoutMS: 5_000 });
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
      try {
        const indexes = async (collection: string): Promise<Record<string, boolean>> =>
          Object.fromEntries((await client.db(ownDb).collection(collection).listIndexes().toArray()).map((i) => [String(i.name), i.unique === true]));
        expect(await indexes('contacts')).toMatchObject({ org_phone_unique: true, org_address_unique: true, address: false, person: false });
        expect(await indexes('deliveries')).toMatchObject({ broadcast_contact_unique: true, claim_pending: false, claim_expired: false });
        expect(await indexes('organisations')).toMatchObject({ code_unique: true, api_key_unique: true, telegram_channel_unique: true, link_code_unique: true });
      } finally {
        await store.close();
        await client.db(ownDb).dropDatabase();
        await client.close();
      }
    });

    it('names a delivery after its broadcast and contact, so a second materialize finds it', async () => {
      const ownDb = `${dbName}_deliveries`;
      const store = await openMongoStore(uri, { dbName: ownDb, serverSelectionTimeoutMS: 5_000 });
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
      try {
        const at = new Date('2025-03-01T10:00:00.000Z');
        const contactId = randomUUID();
        await store.contacts.importMany('org-1', [{ firstName: 'Amina', phone: '+33612345678', lang: 'ar', channel: 'telegram', address: null, tags: [] }], () => contactId, at);
        expect(await store.outbox.materialize('b-1', 'org-1', { type: 'all' }, at)).toBe(1);
        const docs = await client.db(ownDb).collection('deliveries').find({}, { projection: { _id: 1 } }).toArray();
        expect(docs).toEqual([{ _id: `b-1:${contactId}` }]);
      } finally {
        await store.close();
        await client.db(ownDb).dropDatabase();
        await client.close();
      }
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
