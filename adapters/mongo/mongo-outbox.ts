import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, Collection, Document, Filter } from 'mongodb';
import { addressKey, type Address, type ChannelName } from '../../core/messages.ts';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type { DeliveryJob, DeliveryOutcome, DeliveryStats, DeliveryStatus, Outbox } from '../../core/ports/outbox.port.ts';
import type { ContactDoc, DeliveryDoc, PersonDoc } from './mongo-collections.ts';
import { audienceFilter } from './mongo-audience.ts';
import { guarded, onlyDuplicateKeys, storeFailure } from './mongo-errors.ts';

/** Recipients per bulk write while materializing: the most a materialize holds in memory. */
const MATERIALIZE_BATCH = 1000;

/** Claim rounds per call: a round only repeats when concurrent claimers took some candidates. */
const CLAIM_ROUNDS = 3;

/** Statuses of deliveries not yet final. */
const OPEN: DeliveryStatus[] = ['pending', 'sending'];

/** One audience member as the materialize aggregation yields it. */
interface Recipient {
  _id: string;
  orgId: string;
  channel: ChannelName;
  address: Address | null;
  addressKey: string | null;
  lang: string;
  firstName: string;
}

function toJob(doc: DeliveryDoc): DeliveryJob {
  return {
    id: doc._id,
    broadcastId: doc.broadcastId,
    orgId: doc.orgId,
    contactId: doc.contactId,
    channel: doc.channel,
    address: doc.address ? { channel: doc.address.channel, id: doc.address.id } : null,
    lang: doc.lang,
    firstName: doc.firstName,
    attempts: doc.attempts,
  };
}

/**
 * The broadcast outbox in MongoDB. A delivery's id is `broadcastId:contactId`, so materializing
 * twice (or from two processes) never makes two rows for one recipient.
 */
export class MongoOutbox implements Outbox {
  constructor(
    private readonly deliveries: Collection<DeliveryDoc>,
    private readonly contacts: Collection<ContactDoc>,
    private readonly people: Collection<PersonDoc>,
  ) {}

  /**
   * Creates one pending delivery per subscribed, reachable contact of the audience whose person
   * (if any) is subscribed; returns how many it created. Why a cursor and bounded batches: the
   * audience may hold tens of thousands of contacts, and only one batch is ever in memory; the
   * upserts only insert (`$setOnInsert`), so an existing delivery is left exactly as it is.
   */
  async materialize(broadcastId: string, orgId: string, audience: Audience, at: Date): Promise<number> {
    const pipeline: Document[] = [
      { $match: audienceFilter(orgId, audience) },
      {
        $lookup: {
          from: this.people.collectionName,
          localField: 'personId',
          foreignField: '_id',
          pipeline: [{ $project: { lang: 1, firstName: 1, subscribed: 1 } }],
          as: 'person',
        },
      },
      // `person` is [] for an imported contact and [person] for a joined one (`_id` is unique).
      { $match: { $or: [{ person: { $size: 0 } }, { 'person.subscribed': true }] } },
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
      const cursor = this.contacts.aggregate<Recipient>(pipeline, { batchSize: MATERIALIZE_BATCH });
      let created = 0;
      let batch: AnyBulkWriteOperation<DeliveryDoc>[] = [];
      try {
        for await (const recipient of cursor) {
          batch.push(this.upsert(broadcastId, recipient, at));
          if (batch.length >= MATERIALIZE_BATCH) {
            created += await this.write(batch);
            batch = [];
          }
        }
      } finally {
        await cursor.close();
      }
      if (batch.length > 0) created += await this.write(batch);
      return created;
    });
  }

  private upsert(broadcastId: string, r: Recipient, at: Date): AnyBulkWriteOperation<DeliveryDoc> {
    return {
      updateOne: {
        filter: { _id: `${broadcastId}:${r._id}` },
        update: {
          $setOnInsert: {
            broadcastId,
            orgId: r.orgId,
            contactId: r._id,
            channel: r.channel,
            address: r.address ? { channel: r.address.channel, id: r.address.id } : null,
            addressKey: r.addressKey ?? null,
            lang: r.lang,
            firstName: r.firstName,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: at,
            leaseUntil: null,
            claimToken: null,
            reason: null,
            platformMessageId: null,
            updatedAt: at,
          },
        },
        upsert: true,
      },
    };
  }

  /** Writes one batch of upserts; returns how many inserted. */
  private async write(batch: AnyBulkWriteOperation<DeliveryDoc>[]): Promise<number> {
    try {
      return (await this.deliveries.bulkWrite(batch, { ordered: false })).upsertedCount;
    } catch (error) {
      // A concurrent materialize of the same broadcast inserted some of these rows first.
      if (onlyDuplicateKeys(error)) return error.upsertedCount;
      throw storeFailure('outbox materialize', error);
    }
  }

  /**
   * Claims up to `limit` due deliveries of a channel. Why a token: candidates are read, then
   * leased with one updateMany whose filter repeats the due condition (so a row another process
   * leased in between no longer matches) and stamps a fresh token; reading the rows back by
   * that token yields exactly the ones this call won, never a row another call also got.
   */
  async claim(channel: ChannelName, now: Date, limit: number, leaseUntil: Date): Promise<DeliveryJob[]> {
    if (limit <= 0) return [];
    const due: Filter<DeliveryDoc> = {
      channel,
      $or: [
        { status: 'pending', nextAttemptAt: { $lte: now } },
        { status: 'sending', leaseUntil: { $lte: now } },
      ],
    };
    const won: DeliveryDoc[] = [];
    return guarded('outbox claim', async () => {
      for (let round = 0; round < CLAIM_ROUNDS && won.length < limit; round++) {
        const taken = won.map((doc) => doc._id);
        const candidates = await this.deliveries
          .find({ ...due, _id: { $nin: taken } }, { projection: { _id: 1 } })
          .limit(limit - won.length)
          .toArray();
        if (candidates.length === 0) break;
        const ids = candidates.map((doc) => doc._id);
        const token = randomUUID();
        await this.deliveries.updateMany(
          { ...due, _id: { $in: ids } },
          { $set: { status: 'sending', leaseUntil, claimToken: token, updatedAt: now } },
        );
        const leased = await this.deliveries.find({ _id: { $in: ids }, claimToken: token }).toArray();
        won.push(...leased);
        if (leased.length === candidates.length) break;
      }
      return won.map(toJob);
    });
  }

  /** Records the outcome of one attempt: final, or back to pending for a retry. */
  async settle(id: string, outcome: DeliveryOutcome, at: Date): Promise<void> {
    const update =
      outcome.status === 'retry'
        ? {
            $set: { status: 'pending' as const, reason: outcome.reason, nextAttemptAt: outcome.at, leaseUntil: null, claimToken: null, updatedAt: at },
            $inc: { attempts: outcome.countsAsAttempt ? 1 : 0 },
          }
        : {
            $set: {
              status: outcome.status,
              reason: outcome.status === 'sent' ? null : outcome.reason,
              platformMessageId: outcome.status === 'sent' ? outcome.platformMessageId : null,
              leaseUntil: null,
              claimToken: null,
              updatedAt: at,
            },
            $inc: { attempts: 1 },
          };
    await guarded('outbox settle', () => this.deliveries.updateOne({ _id: id, status: 'sending' }, update));
  }

  /** Counts of a broadcast's deliveries by status, language and channel. */
  async stats(broadcastId: string): Promise<DeliveryStats> {
    const rows = await guarded('outbox stats', () =>
      this.deliveries
        .aggregate<{ _id: { status: string; lang: string; channel: string }; n: number }>([
          { $match: { broadcastId } },
          { $group: { _id: { status: '$status', lang: '$lang', channel: '$channel' }, n: { $sum: 1 } } },
        ])
        .toArray(),
    );
    const byStatus: Record<string, number> = {};
    const byLang: Record<string, Record<string, number>> = {};
    const byChannel: Record<string, Record<string, number>> = {};
    let total = 0;
    for (const { _id: key, n } of rows) {
      total += n;
      byStatus[key.status] = (byStatus[key.status] ?? 0) + n;
      const lang = (byLang[key.lang] ??= {});
      lang[key.status] = (lang[key.status] ?? 0) + n;
      const channel = (byChannel[key.channel] ??= {});
      channel[key.status] = (channel[key.status] ?? 0) + n;
    }
    return { total, byStatus, byLang, byChannel };
  }

  /** Deliveries of a broadcast still pending or sending. */
  async openCount(broadcastId: string): Promise<number> {
    return guarded('outbox open count', () => this.deliveries.countDocuments({ broadcastId, status: { $in: OPEN } }));
  }

  /** Broadcasts with deliveries still pending or sending. */
  async openBroadcasts(): Promise<string[]> {
    return guarded('outbox open broadcasts', () => this.deliveries.distinct('broadcastId', { status: { $in: OPEN } }));
  }

  /** The latest delivery sent to an address at or after `since`. */
  async lastDeliveredTo(address: Address, since: Date): Promise<{ readonly orgId: string; readonly broadcastId: string; readonly contactId: string } | null> {
    const doc = await guarded('outbox last delivered', () =>
      this.deliveries.findOne(
        { addressKey: addressKey(address), status: 'sent', updatedAt: { $gte: since } },
        { sort: { updatedAt: -1, _id: -1 }, projection: { orgId: 1, broadcastId: 1, contactId: 1 } },
      ),
    );
    return doc ? { orgId: doc.orgId, broadcastId: doc.broadcastId, contactId: doc.contactId } : null;
  }
}
