import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { addressKey, type Address, type ChannelName } from '../../core/messages.ts';
import { foldDeliveryStats } from '../../core/outbox/delivery-stats.ts';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type {
  DeliveryJob,
  DeliveryOutcome,
  DeliveryStats,
  DeliveryStatus,
  HeldDelivery,
  Lane,
  NewOutboxMessage,
  Outbox,
} from '../../core/ports/outbox.port.ts';
import type { MongoCollections, OutboxDoc } from './mongo-collections.ts';
import { audienceFilter, audienceLangStage } from './mongo-audience.ts';
import { guarded, onlyDuplicateKeys, storeFailure } from './mongo-errors.ts';
import { MongoOutboxClaims, OPEN } from './mongo-outbox-claim.ts';
import { broadcastRow, freshRow, insertOnce, settleOps, type Recipient } from './mongo-outbox-rows.ts';
import { MongoSequence } from './mongo-sequence.ts';

/** Rows per bulk write while materializing: the most a materialize holds in memory. */
const MATERIALIZE_BATCH = 1000;

/** Ids per query: keeps each command far below the 16 MB BSON limit. */
const CHUNK = 1000;

/** Why: failed interactive rows are kept a week for the NGO to see, then dropped; sent ones too, without their words (their id makes a replayed enqueue a no-op). */
const KEEP_FAILED_MS = 7 * 24 * 3_600_000;

/** Final statuses of rows that did not reach the person. */
const FAILED: DeliveryStatus[] = ['dead', 'unreachable', 'expired', 'skipped'];

/**
 * The one outbox in MongoDB. Broadcast rows are made from an aggregation cursor in bounded
 * batches, never loaded whole; interactive rows are claimed in each person's order (see
 * MongoOutboxClaims) and deleted once sent.
 */
export class MongoOutbox implements Outbox {
  private readonly outbox: Collection<OutboxDoc>;
  private readonly claims: MongoOutboxClaims;
  private readonly sequence: MongoSequence;

  constructor(private readonly collections: Pick<MongoCollections, 'outbox' | 'counters' | 'contacts' | 'people' | 'receipts'>) {
    this.outbox = collections.outbox;
    this.claims = new MongoOutboxClaims(collections.outbox);
    this.sequence = new MongoSequence(collections.counters, 'outbox');
  }

  /**
   * Adds interactive messages; an id already present is left as it is. Returns the ids inserted
   * already claimed. Why `claimIfFirst` reads first: without a multi-document transaction, the
   * test for an earlier open row and the insert are two steps, and a row another process queues
   * for the same person in between may go after these (its sender could not have known either).
   */
  async enqueue(messages: readonly NewOutboxMessage[], at: Date): Promise<readonly string[]> {
    if (messages.length === 0) return [];
    return guarded('outbox enqueue', async () => {
      const free = new Map<string, boolean>();
      for (const m of messages) {
        const key = addressKey(m.to);
        if (!m.claimIfFirst || m.claimedUntil || m.kind === 'template-notice' || free.has(key)) continue;
        const open = await this.outbox.findOne({ addressKey: key, status: { $in: OPEN }, lane: 'interactive', kind: { $ne: 'template-notice' } }, { projection: { _id: 1 } });
        free.set(key, open === null);
      }
      const until = messages.map((m) => m.claimedUntil ?? (m.claimIfFirst && free.get(addressKey(m.to)) ? m.claimIfFirst : null));
      const first = await this.sequence.reserve(messages.length);
      const ops = messages.map((m, i) =>
        insertOnce(m.id, first + i, {
          kind: m.kind,
          lane: 'interactive',
          broadcastId: null,
          orgId: m.orgId ?? null,
          contactId: m.contactId ?? null,
          channel: m.to.channel,
          address: { channel: m.to.channel, id: m.to.id },
          addressKey: addressKey(m.to),
          lang: m.reply.lang,
          firstName: '',
          payload: JSON.stringify(m.reply),
          inboundAt: m.inboundAt,
          final: m.final === true,
          nextAttemptAt: m.notBefore ?? at,
          ...freshRow(at),
          // Claimed by the caller at once (the web chat answers its request; the sender's own replies).
          ...(until[i] ? { status: 'sending' as const, leaseUntil: until[i] } : {}),
        }),
      );
      let inserted: ReadonlySet<number>;
      try {
        // Unordered: a row another writer inserted first must not stop the rows after it.
        inserted = new Set(Object.keys((await this.outbox.bulkWrite(ops, { ordered: false })).upsertedIds).map(Number));
      } catch (error) {
        // A concurrent writer inserted some of these rows first: they are there, which is all that was asked.
        if (!onlyDuplicateKeys(error)) throw storeFailure('outbox enqueue', error);
        inserted = new Set(Object.keys(error.result.upsertedIds).map(Number));
      }
      const taken: string[] = [];
      const blocked = new Set<string>();
      const giveBack: string[] = [];
      messages.forEach((m, i) => {
        const key = addressKey(m.to);
        if (!until[i]) return;
        if (!inserted.has(i)) blocked.add(key);
        else if (m.claimedUntil || !blocked.has(key)) taken.push(m.id);
        else giveBack.push(m.id);
      });
      // As SQLite does: behind a row that was already there (a replay), the person's later rows
      // wait as pending, for the claim that keeps their order.
      if (giveBack.length > 0) {
        await this.outbox.updateMany({ _id: { $in: giveBack }, status: 'sending' }, { $set: { status: 'pending', leaseUntil: null, nextAttemptAt: at, updatedAt: at } });
      }
      return taken;
    });
  }

  /**
   * Creates one pending broadcast row per subscribed, reachable contact of the audience whose
   * person (if any) is subscribed; returns how many it created. Why a cursor and bounded
   * batches: the audience may hold tens of thousands of contacts, and only one batch is ever in
   * memory. The row id is `broadcastId:contactId`, so materializing twice (or from two
   * processes) never makes two rows for one recipient.
   */
  async materialize(broadcastId: string, orgId: string, audience: Audience, at: Date): Promise<number> {
    const pipeline: Document[] = [
      { $match: audienceFilter(orgId, audience) },
      {
        $lookup: {
          from: this.collections.people.collectionName,
          localField: 'personId',
          foreignField: '_id',
          pipeline: [{ $project: { lang: 1, firstName: 1, subscribed: 1 } }],
          as: 'person',
        },
      },
      // `person` is [] for an imported contact and [person] for a joined one (`_id` is unique).
      { $match: { $or: [{ person: { $size: 0 } }, { 'person.subscribed': true }] } },
      ...audienceLangStage(audience),
      {
        $project: {
          orgId: 1,
          channel: 1,
          address: 1,
          addressKey: 1,
          lang: { $ifNull: [{ $arrayElemAt: ['$person.lang', 0] }, '$lang'] },
          firstName: { $ifNull: [{ $arrayElemAt: ['$person.firstName', 0] }, '$firstName'] },
        },
      },
    ];
    return guarded('outbox materialize', async () => {
      const cursor = this.collections.contacts.aggregate<Recipient>(pipeline, { batchSize: MATERIALIZE_BATCH });
      let created = 0;
      let batch: Recipient[] = [];
      const flush = async (): Promise<void> => {
        const first = await this.sequence.reserve(batch.length);
        created += await this.write(
          batch.map((r, i) => insertOnce(`${broadcastId}:${r._id}`, first + i, broadcastRow(broadcastId, r, at))),
          'outbox materialize',
        );
        batch = [];
      };
      try {
        for await (const recipient of cursor) {
          batch.push(recipient);
          if (batch.length >= MATERIALIZE_BATCH) await flush();
        }
      } finally {
        await cursor.close();
      }
      if (batch.length > 0) await flush();
      return created;
    });
  }

  /** Writes one batch of insert-only upserts; returns how many inserted. */
  private async write(ops: AnyBulkWriteOperation<OutboxDoc>[], operation: string): Promise<number> {
    try {
      return (await this.outbox.bulkWrite(ops, { ordered: false })).upsertedCount;
    } catch (error) {
      // A concurrent writer inserted some of these rows first: they are there, which is all that was asked.
      if (onlyDuplicateKeys(error)) return error.upsertedCount;
      throw storeFailure(operation, error);
    }
  }

  /** Claims up to `limit` due rows of a channel's lane, leased until `leaseUntil`. */
  async claim(channel: ChannelName, lane: Lane, now: Date, limit: number, leaseUntil: Date): Promise<DeliveryJob[]> {
    if (limit <= 0) return [];
    return guarded('outbox claim', () =>
      lane === 'interactive' ? this.claims.interactive(channel, now, limit, leaseUntil) : this.claims.bulk(channel, now, limit, leaseUntil),
    );
  }

  /** Records outcomes in one ordered bulk write, each only while its row is still being sent. */
  async settle(outcomes: readonly { readonly id: string; readonly outcome: DeliveryOutcome }[], at: Date): Promise<void> {
    if (outcomes.length === 0) return;
    const ops = outcomes.flatMap(({ id, outcome }) => settleOps(id, outcome, at));
    await guarded('outbox settle', () => this.outbox.bulkWrite(ops, { ordered: true }));
  }

  /** Rows left sending by the channel's previous lease holder become due now (see the port). */
  async reclaim(channel: ChannelName, at: Date): Promise<number> {
    const result = await guarded('outbox reclaim', () =>
      this.outbox.updateMany({ channel, status: 'sending' }, { $set: { status: 'pending', nextAttemptAt: at, leaseUntil: null, claimToken: null, updatedAt: at } }),
    );
    return result.modifiedCount;
  }

  /** A channel that was down is back: its rows held for that reason become due now. */
  async releaseChannel(channel: ChannelName, reason: string, at: Date): Promise<number> {
    const result = await guarded('outbox release channel', () =>
      this.outbox.updateMany({ channel, status: 'held', reason }, { $set: { status: 'pending', nextAttemptAt: at, expiresAt: null, updatedAt: at } }),
    );
    return result.modifiedCount;
  }

  /** The person wrote again: their held rows become due now. */
  async release(address: Address, at: Date): Promise<number> {
    const result = await guarded('outbox release', () =>
      this.outbox.updateMany({ addressKey: addressKey(address), status: 'held' }, { $set: { status: 'pending', nextAttemptAt: at, expiresAt: null, updatedAt: at } }),
    );
    return result.modifiedCount;
  }

  /** Held rows whose expiry passed become `expired`; failed interactive rows older than a week go. */
  async expire(now: Date): Promise<number> {
    return guarded('outbox expire', async () => {
      const expired = await this.outbox.updateMany(
        { status: 'held', expiresAt: { $lte: now } },
        { $set: { status: 'expired', reason: 'expired', payload: null, updatedAt: now } },
      );
      await this.outbox.deleteMany({ lane: 'interactive', status: { $in: [...FAILED, 'sent'] }, updatedAt: { $lt: new Date(now.getTime() - KEEP_FAILED_MS) } });
      return expired.modifiedCount;
    });
  }

  /** Held rows of an organisation, oldest first. */
  async held(orgId: string, limit: number): Promise<HeldDelivery[]> {
    if (limit <= 0) return [];
    const docs = await guarded('outbox held', () =>
      this.outbox
        .find({ orgId, status: 'held' }, { projection: { kind: 1, channel: 1, contactId: 1, broadcastId: 1, reason: 1, expiresAt: 1 } })
        .sort({ seq: 1, _id: 1 })
        .limit(limit)
        .toArray(),
    );
    return docs.map((doc) => ({
      id: doc._id,
      kind: doc.kind,
      channel: doc.channel,
      contactId: doc.contactId,
      broadcastId: doc.broadcastId,
      reason: doc.reason ?? '',
      expiresAt: new Date(doc.expiresAt?.getTime() ?? 0).toISOString(),
    }));
  }

  /** Statuses of rows by id; absent ids are absent from the map. */
  async statusOf(ids: readonly string[]): Promise<Map<string, DeliveryStatus>> {
    const found = new Map<string, DeliveryStatus>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const docs = await guarded('outbox status', () => this.outbox.find({ _id: { $in: chunk } }, { projection: { status: 1 } }).toArray());
      for (const doc of docs) found.set(doc._id, doc.status);
    }
    // In the order asked, like SQLite's one lookup per id.
    return new Map(unique.flatMap((id) => (found.has(id) ? [[id, found.get(id)!] as const] : [])));
  }

  /** Counts of a broadcast's rows by status, language and channel. */
  async stats(broadcastId: string): Promise<DeliveryStats> {
    const rows = await guarded('outbox stats', () =>
      this.outbox
        .aggregate<{ _id: { status: string; lang: string; channel: string; fallbackFrom: string | null }; n: number }>([
          { $match: { broadcastId } },
          { $group: { _id: { status: '$status', lang: '$lang', channel: '$channel', fallbackFrom: { $ifNull: ['$fallbackFrom', null] } }, n: { $sum: 1 } } },
        ])
        .toArray(),
    );
    return foldDeliveryStats(rows.map(({ _id: key, n }) => ({ status: key.status, lang: key.lang, channel: key.channel, fallbackFrom: key.fallbackFrom, n })));
  }

  /** What platforms reported of a broadcast's sent rows, by language and channel (SQLite's join on receipts). */
  async receiptCounts(broadcastId: string): Promise<{ lang: string; channel: string; status: string; n: number }[]> {
    const rows = await guarded('outbox receipts', () =>
      this.outbox
        .aggregate<{ _id: { lang: string; channel: string; status: string }; n: number }>([
          { $match: { broadcastId, status: 'sent', platformMessageId: { $type: 'string' } } },
          { $lookup: { from: this.collections.receipts.collectionName, let: { key: { $concat: ['$channel', ':', '$platformMessageId'] } }, pipeline: [{ $match: { $expr: { $eq: ['$_id', '$$key'] } } }, { $project: { status: 1 } }], as: 'receipt' } },
          { $unwind: '$receipt' },
          { $group: { _id: { lang: '$lang', channel: '$channel', status: '$receipt.status' }, n: { $sum: 1 } } },
        ])
        .toArray(),
    );
    return rows.map(({ _id: key, n }) => ({ lang: key.lang, channel: key.channel, status: key.status, n }));
  }

  /** Rows of a broadcast not yet final (pending, sending or held). */
  async openCount(broadcastId: string): Promise<number> {
    return guarded('outbox open count', () => this.outbox.countDocuments({ broadcastId, status: { $in: OPEN } }));
  }

  /** Whether a broadcast has a row not yet final. */
  async anyOpen(broadcastId: string): Promise<boolean> {
    return guarded('outbox open check', async () => (await this.outbox.findOne({ broadcastId, status: { $in: OPEN } }, { projection: { _id: 1 } })) !== null);
  }

  /** Broadcasts that still have open rows. */
  async openBroadcasts(): Promise<string[]> {
    // `$type`: interactive rows are open too, with no broadcast, and distinct would list their null.
    const ids: unknown[] = await guarded('outbox open broadcasts', () => this.outbox.distinct('broadcastId', { status: { $in: OPEN }, broadcastId: { $type: 'string' } }));
    return ids.filter((id): id is string => typeof id === 'string');
  }

  /** The most recent broadcast delivered to an address at or after `since`. */
  async lastDeliveredTo(address: Address, since: Date): Promise<{ readonly orgId: string; readonly broadcastId: string; readonly contactId: string } | null> {
    const doc = await guarded('outbox last delivered', () =>
      this.outbox.findOne(
        { addressKey: addressKey(address), status: 'sent', lane: 'bulk', updatedAt: { $gte: since } },
        { sort: { updatedAt: -1, _id: -1 }, projection: { orgId: 1, broadcastId: 1, contactId: 1 } },
      ),
    );
    if (!doc || doc.orgId === null || doc.broadcastId === null || doc.contactId === null) return null;
    return { orgId: doc.orgId, broadcastId: doc.broadcastId, contactId: doc.contactId };
  }

  /** Deletes every row to this address (erasure). */
  async eraseAddress(address: Address): Promise<number> {
    const result = await guarded('outbox erase', () => this.outbox.deleteMany({ addressKey: addressKey(address) }));
    return result.deletedCount;
  }
}
