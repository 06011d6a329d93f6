import { MongoClient, type MongoClientOptions } from 'mongodb';
import type { Store } from '../../core/ports/store.port.ts';
import { MongoBroadcastStore } from './mongo-broadcast-store.ts';
import { collectionsOf, ensureIndexes } from './mongo-collections.ts';
import { MongoContactStore } from './mongo-contact-store.ts';
import { MongoChannelLeases } from './mongo-channel-leases.ts';
import { MongoConversationStore } from './mongo-conversation-store.ts';
import { guarded, MongoStoreError, safeCause } from './mongo-errors.ts';
import { MongoHousekeeping } from './mongo-housekeeping.ts';
import { MongoInboxStore } from './mongo-inbox-store.ts';
import { migrate } from './mongo-migrations.ts';
import { MongoOrganisationStore } from './mongo-organisation-store.ts';
import { MongoOutbox } from './mongo-outbox.ts';
import { MongoPeopleStore } from './mongo-people-store.ts';
import { MongoReachStore, MongoReceiptStore } from './mongo-reach-store.ts';
import { MongoRelayStore } from './mongo-relay-store.ts';
import { MongoTranslationCache } from './mongo-translation-cache.ts';
import { MongoWebchatHistory } from './mongo-webchat-history.ts';
import { MongoJobStore } from './mongo-job-store.ts';
import { openMongoConsole } from './mongo-console-store.ts';
import { openMongoExchange } from './mongo-exchange.ts';

/** How to open the MongoDB store. */
export interface MongoStoreOptions {
  /** Database to use; defaults to the one named in the URI (the driver's `test` when none is). */
  readonly dbName?: string;
  /** How long to look for a server before an operation fails (driver default: 30 s). */
  readonly serverSelectionTimeoutMS?: number;
}

/**
 * Opens the MongoDB store: connects, migrates data of older releases, creates the indexes, and returns the Store handle. Rejects
 * (rather than hanging) when the URI is malformed or no server answers within the selection
 * timeout; the driver's error is the `cause`.
 */
export async function openMongoStore(uri: string, options: MongoStoreOptions = {}): Promise<Store> {
  const clientOptions: MongoClientOptions = { appName: 'passerelle' };
  if (options.serverSelectionTimeoutMS !== undefined) clientOptions.serverSelectionTimeoutMS = options.serverSelectionTimeoutMS;

  let client: MongoClient;
  try {
    // The constructor parses the URI and throws MongoParseError (or another driver error) on a
    // malformed one; its message names the bad option, never the password.
    client = new MongoClient(uri, clientOptions);
  } catch (error) {
    throw new MongoStoreError('The MongoDB connection string is invalid', { cause: error });
  }

  try {
    await client.connect();
    const db = client.db(options.dbName);
    const collections = collectionsOf(db);
    await migrate(db);
    await ensureIndexes(collections);
    const jobs = new MongoJobStore(db);
    await jobs.ensureIndexes();
    const consoleStore = await openMongoConsole(db);
    const relays = new MongoRelayStore(db);
    await relays.ensureIndexes();
    return {
      conversations: new MongoConversationStore(collections.conversations),
      // Applications become bare "withdrawn" rows before the person goes (see JobStore.erasePerson).
      people: new MongoPeopleStore(collections, (id) => jobs.erasePerson(id)),
      organisations: new MongoOrganisationStore(collections.organisations),
      reach: new MongoReachStore(collections.reach),
      receipts: new MongoReceiptStore(collections.receipts),
      translations: new MongoTranslationCache(collections.translations),
      contacts: new MongoContactStore(collections, collections.people),
      broadcasts: new MongoBroadcastStore(collections.broadcasts, collections.broadcastTranslations),
      outbox: new MongoOutbox(collections),
      leases: new MongoChannelLeases(collections.leases),
      inbox: new MongoInboxStore(collections.inbox),
      webchat: new MongoWebchatHistory(collections.webchatHistory),
      housekeeping: new MongoHousekeeping(collections),
      jobs,
      console: consoleStore,
      relays,
      exchange: await openMongoExchange(db),
      async ping() {
        // A write, not a ping command: a server that answers but cannot write is not ready.
        await guarded('ping', () => db.collection<{ _id: string; at: Date }>('store_probe').updateOne({ _id: 'probe' }, { $set: { at: new Date() } }, { upsert: true }));
      },
      async scrubErased() {
        // MongoDB's deletes leave the bytes in WiredTiger's files until it reuses the space;
        // nothing the driver can do scrubs them: the README says what an operator does.
      },
      async close() {
        await client.close();
      },
    };
  } catch (error) {
    // A failed start must not leave the client's monitoring timers keeping the process alive.
    await client.close().catch(() => undefined);
    throw new MongoStoreError('Could not open the MongoDB store', { cause: safeCause(error) });
  }
}
