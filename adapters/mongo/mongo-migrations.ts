import { MongoServerError, type AnyBulkWriteOperation, type Collection, type Db, type Document } from 'mongodb';
import { onlyDuplicateKeys } from './mongo-errors.ts';

/** Server codes of a step that already ran, here or in another process starting at the same time. */
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;
const NAMESPACE_EXISTS = 48;

/** Rows per move when the old and new collections both exist. */
const MOVE_BATCH = 1000;

/** What a broadcast delivery written before the one outbox lacks to be an outbox row. */
const DELIVERY_DEFAULTS = { kind: 'broadcast', lane: 'bulk', seq: 0, payload: null, partsSent: 0, inboundAt: null, expiresAt: null } as const;

/**
 * Indexes of the old `deliveries` collection that the rename carries along and that no longer
 * fit. Above all the unique (broadcastId, contactId): MongoDB, unlike SQLite, counts nulls as
 * equal, so it would refuse a second interactive row to the same contact.
 */
const STALE_OUTBOX_INDEXES = ['broadcast_contact_unique', 'claim_pending', 'claim_expired'];

/** A legacy document: only its `_id` is known to be a string. */
type LegacyDoc = Document & { _id: string };

function hasCode(error: unknown, ...codes: number[]): boolean {
  return error instanceof MongoServerError && typeof error.code === 'number' && codes.includes(error.code);
}

/**
 * Brings a database written by an older release up to date, at every start-up. Each step is
 * idempotent and safe to run from two processes at once: a step that finds its work done (or
 * done by the other process) moves on.
 */
export async function migrate(db: Db): Promise<void> {
  await moveDeliveriesToOutbox(db);
  await dropStaleOutboxIndexes(db.collection('outbox'));
  // Conversations now carry their own dedupe marks; the ledger held only hashes, so nothing
  // personal goes with it. (The driver treats an absent collection as dropped.)
  await db.dropCollection('inbound_ledger');
}

/**
 * The broadcast deliveries become outbox rows (kind 'broadcast', lane 'bulk'). The defaults
 * are set in place first and the collection is then renamed, so that a crash in between leaves
 * `deliveries` to be found again at the next start. When `outbox` exists too (a process of the
 * older release kept writing deliveries after the rename), the rows are moved in batches: each
 * is inserted unless already there, then deleted from the old collection.
 */
async function moveDeliveriesToOutbox(db: Db): Promise<void> {
  const present = new Set((await db.listCollections({ name: { $in: ['deliveries', 'outbox'] } }, { nameOnly: true }).toArray()).map((c) => c.name));
  if (!present.has('deliveries')) return;
  const legacy = db.collection<LegacyDoc>('deliveries');
  await legacy.updateMany({ kind: { $exists: false } }, { $set: DELIVERY_DEFAULTS });
  if (!present.has('outbox')) {
    try {
      await legacy.rename('outbox');
      return;
    } catch (error) {
      // Not found: another process renamed it just now. Exists: `outbox` appeared meanwhile.
      if (hasCode(error, NAMESPACE_NOT_FOUND)) return;
      if (!hasCode(error, NAMESPACE_EXISTS)) throw error;
    }
  }
  const outbox = db.collection<LegacyDoc>('outbox');
  for (;;) {
    const docs = await legacy.find({}).limit(MOVE_BATCH).toArray();
    if (docs.length === 0) return;
    const ops: AnyBulkWriteOperation<LegacyDoc>[] = docs.map(({ _id, ...row }) => ({
      updateOne: { filter: { _id }, update: { $setOnInsert: { ...DELIVERY_DEFAULTS, ...row } }, upsert: true },
    }));
    try {
      await outbox.bulkWrite(ops, { ordered: false });
    } catch (error) {
      // Another process moved some of these rows first.
      if (!onlyDuplicateKeys(error)) throw error;
    }
    await legacy.deleteMany({ _id: { $in: docs.map((doc) => doc._id) } });
  }
}

/** Drops the old collection's indexes that came with the rename; at every start, in case a crash came between. */
async function dropStaleOutboxIndexes(outbox: Collection<LegacyDoc>): Promise<void> {
  let names: string[];
  try {
    names = (await outbox.indexes()).map((index) => String(index.name));
  } catch (error) {
    if (hasCode(error, NAMESPACE_NOT_FOUND)) return;
    throw error;
  }
  for (const name of names.filter((n) => STALE_OUTBOX_INDEXES.includes(n))) {
    try {
      await outbox.dropIndex(name);
    } catch (error) {
      if (!hasCode(error, INDEX_NOT_FOUND, NAMESPACE_NOT_FOUND)) throw error;
    }
  }
}
