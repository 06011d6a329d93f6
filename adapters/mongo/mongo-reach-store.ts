import type { Collection } from 'mongodb';
import type { JsonObject } from '../../core/dialog/json.ts';
import { addressKey, type Address } from '../../core/messages.ts';
import type { ReachRecord, ReachStore, ReceiptStatus, ReceiptStore } from '../../core/ports/reach.port.ts';
import type { ReachDoc, ReceiptDoc } from './mongo-collections.ts';
import { guarded, isDuplicateKey, storeFailure } from './mongo-errors.ts';
import { storedObject } from './mongo-json.ts';

/** Per-address reach data in MongoDB, keyed like conversations so erase removes both together. */
export class MongoReachStore implements ReachStore {
  constructor(private readonly collection: Collection<ReachDoc>) {}

  /**
   * Records an inbound message. `$max` keeps the latest time even when webhooks arrive out of
   * order; a null reference leaves the stored one as it is.
   */
  async recordInbound(address: Address, at: Date, reference: JsonObject | null): Promise<void> {
    const update =
      reference === null
        ? { $max: { lastInboundAt: at }, $setOnInsert: { reference: null } }
        : { $max: { lastInboundAt: at }, $set: { reference: JSON.stringify(reference) } };
    const run = (): Promise<unknown> => this.collection.updateOne({ _id: addressKey(address) }, update, { upsert: true });
    try {
      await run();
    } catch (error) {
      if (!isDuplicateKey(error)) throw storeFailure('reach record', error);
      // Two first messages raced to insert the record; the loser now finds it and updates it.
      await guarded('reach record', run);
    }
  }

  /** The reach record of an address, or null. */
  async get(address: Address): Promise<ReachRecord | null> {
    const doc = await guarded('reach get', () => this.collection.findOne({ _id: addressKey(address) }));
    if (!doc) return null;
    return { lastInboundAt: doc.lastInboundAt, reference: doc.reference === null ? null : (storedObject(doc.reference, 'reach reference') as JsonObject) };
  }

  async lastInboundAt(addresses: readonly Address[]): Promise<ReadonlyMap<string, Date>> {
    const found = new Map<string, Date>();
    if (addresses.length === 0) return found;
    const ids = addresses.map((a) => addressKey(a));
    const docs = await guarded('reach last inbound', () => this.collection.find({ _id: { $in: ids } }, { projection: { lastInboundAt: 1 } }).toArray());
    for (const doc of docs) found.set(doc._id, doc.lastInboundAt);
    return found;
  }

  /** Deletes the record of one address. */
  async forget(address: Address): Promise<void> {
    await guarded('reach forget', () => this.collection.deleteOne({ _id: addressKey(address) }));
  }
}

/** Why ranks: platforms may report "delivered" after "read"; a state never goes backwards. */
const RECEIPT_RANK: Record<ReceiptStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/** Delivery receipts in MongoDB; the rank in the update filter keeps states from going backwards. */
export class MongoReceiptStore implements ReceiptStore {
  constructor(private readonly collection: Collection<ReceiptDoc>) {}

  /** Records a delivery state unless a later one is already stored. */
  async record(channel: string, platformMessageId: string, status: ReceiptStatus, at: Date): Promise<void> {
    const rank = RECEIPT_RANK[status];
    const filter = { _id: `${channel}:${platformMessageId}`, rank: { $lte: rank } };
    const update = { $set: { status, rank, at } };
    try {
      await this.collection.updateOne(filter, update, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw storeFailure('receipt record', error);
      // The upsert found no document of a lower rank and tried to insert, but the message
      // already has a receipt: either a later state (nothing to do), or a lower one inserted by
      // a concurrent call just now, which this plain update then advances.
      await guarded('receipt record', () => this.collection.updateOne(filter, update));
    }
  }

  /** The latest delivery state of a message, or null. */
  async get(channel: string, platformMessageId: string): Promise<{ readonly status: ReceiptStatus; readonly at: Date } | null> {
    const doc = await guarded('receipt get', () => this.collection.findOne({ _id: `${channel}:${platformMessageId}` }));
    return doc ? { status: doc.status, at: doc.at } : null;
  }
}
