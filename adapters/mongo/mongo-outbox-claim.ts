import { randomUUID } from 'node:crypto';
import type { Collection, Filter } from 'mongodb';
import type { ChannelName, Reply } from '../../core/messages.ts';
import type { DeliveryJob, DeliveryStatus } from '../../core/ports/outbox.port.ts';
import type { OutboxDoc } from './mongo-collections.ts';
import { storedObject } from './mongo-json.ts';

/** Statuses of rows not yet final: they hold a person's later interactive rows back. */
export const OPEN: DeliveryStatus[] = ['pending', 'sending', 'held'];

/** Claim rounds per call: a round only repeats when concurrent claimers took some candidates. */
const CLAIM_ROUNDS = 3;

/** Candidate pages per interactive claim: bounds the work one call does behind long queues. */
const INTERACTIVE_PAGES = 4;

function toJob(doc: OutboxDoc): DeliveryJob {
  return {
    id: doc._id,
    kind: doc.kind,
    lane: doc.lane,
    broadcastId: doc.broadcastId,
    orgId: doc.orgId,
    contactId: doc.contactId,
    channel: doc.channel,
    address: doc.address ? { channel: doc.address.channel, id: doc.address.id } : null,
    lang: doc.lang,
    firstName: doc.firstName,
    attempts: doc.attempts,
    reply: doc.payload === null ? null : (storedObject(doc.payload, 'outbox message') as unknown as Reply),
    partsSent: doc.partsSent,
    inboundAt: doc.inboundAt,
    final: doc.final === true,
    fallbackFrom: doc.fallbackFrom ?? null,
  };
}

/** The rows of a channel's lane that may be claimed now: due pending ones, and sending ones whose lease ran out. */
function dueFilter(channel: ChannelName, lane: DeliveryJob['lane'], now: Date): Filter<OutboxDoc> {
  return {
    channel,
    lane,
    $or: [
      { status: 'pending', nextAttemptAt: { $lte: now } },
      { status: 'sending', leaseUntil: { $lte: now } },
    ],
  };
}

/** A candidate of the interactive lane, as much as the order check reads. */
type Candidate = Pick<OutboxDoc, '_id' | 'seq' | 'kind' | 'addressKey'>;

/**
 * Claiming outbox rows. Why a token: candidates are read, then leased with one updateMany whose
 * filter repeats the due condition (so a row another process leased in between no longer
 * matches) and stamps a fresh token; reading the rows back by that token yields exactly the
 * ones this call won, never a row another call also got.
 */
export class MongoOutboxClaims {
  constructor(private readonly outbox: Collection<OutboxDoc>) {}

  /** Leases these rows if they still match `filter`; returns the ones this call won, in `seq` order. */
  private async lease(filter: Filter<OutboxDoc>, ids: string[], now: Date, leaseUntil: Date): Promise<OutboxDoc[]> {
    const token = randomUUID();
    await this.outbox.updateMany({ ...filter, _id: { $in: ids } }, { $set: { status: 'sending', leaseUntil, claimToken: token, updatedAt: now } });
    return this.outbox.find({ _id: { $in: ids }, claimToken: token }).sort({ seq: 1, _id: 1 }).toArray();
  }

  /** Claims up to `limit` due bulk rows of a channel, in no particular order (like SQLite). */
  async bulk(channel: ChannelName, now: Date, limit: number, leaseUntil: Date): Promise<DeliveryJob[]> {
    const due = dueFilter(channel, 'bulk', now);
    const won: OutboxDoc[] = [];
    for (let round = 0; round < CLAIM_ROUNDS && won.length < limit; round++) {
      const taken = won.map((doc) => doc._id);
      const candidates = await this.outbox
        .find({ ...due, _id: { $nin: taken } }, { projection: { _id: 1 } })
        .limit(limit - won.length)
        .toArray();
      if (candidates.length === 0) break;
      const leased = await this.lease(due, candidates.map((doc) => doc._id), now, leaseUntil);
      won.push(...leased);
      if (leased.length === candidates.length) break;
    }
    return won.map(toJob);
  }

  /**
   * Claims up to `limit` due interactive rows of a channel, in insertion order, keeping each
   * person's order as SQLite's NOT EXISTS does: a row is claimable only when no earlier
   * (lower `seq`) interactive row to the same address is pending, sending or held, template
   * notices aside (they never wait and never hold anything back). Candidates are read a page
   * at a time; after the first page the addresses already seen are skipped, since every later
   * row to them waits behind the one seen, so one person's long queue cannot starve the others.
   * Why not one query as in SQLite: MongoDB has no correlated NOT EXISTS, so the earliest open
   * row of each candidate's address is read by one aggregation per page instead.
   */
  async interactive(channel: ChannelName, now: Date, limit: number, leaseUntil: Date): Promise<DeliveryJob[]> {
    const due = dueFilter(channel, 'interactive', now);
    const page = Math.min(1000, Math.max(100, limit * 4));
    const won: OutboxDoc[] = [];
    const waiting = new Set<string>();
    let after: Filter<OutboxDoc> = {};
    for (let round = 0; round < INTERACTIVE_PAGES && won.length < limit; round++) {
      // Template notices to those addresses still come through: nothing holds them back.
      const skip: Filter<OutboxDoc> = waiting.size > 0 ? { $nor: [{ addressKey: { $in: [...waiting] }, kind: { $ne: 'template-notice' } }] } : {};
      const candidates = await this.candidates(channel, now, { ...skip, ...after }, page);
      if (candidates.length === 0) break;
      const first = await this.firstOpen(candidates);
      const free: string[] = [];
      for (const c of candidates) {
        const key = c.addressKey;
        // A row without an address names nobody to keep an order for (SQLite: NULL never equals).
        if (c.kind === 'template-notice' || key === null) free.push(c._id);
        else {
          const earliest = first.get(key);
          if (!waiting.has(key) && (earliest === undefined || earliest >= c.seq)) free.push(c._id);
          waiting.add(key);
        }
      }
      const chosen = free.slice(0, limit - won.length);
      if (chosen.length > 0) won.push(...(await this.lease(due, chosen, now, leaseUntil)));
      if (candidates.length < page) break;
      after = { seq: { $gt: candidates[candidates.length - 1]!.seq } };
    }
    return won.sort((a, b) => a.seq - b.seq).map(toJob);
  }

  /**
   * Up to `page` claimable interactive rows matching `extra`, lowest `seq` first. Why two
   * queries merged rather than one `$or`: each branch then reads its own index in `seq` order
   * (pending: lane_pending; expired leases, rare: lane_lease and a small sort).
   */
  private async candidates(channel: ChannelName, now: Date, extra: Filter<OutboxDoc>, page: number): Promise<Candidate[]> {
    const projection = { _id: 1, seq: 1, kind: 1, addressKey: 1 };
    const lane = 'interactive' as const;
    const [pending, expired] = await Promise.all([
      this.outbox.find<Candidate>({ ...extra, channel, lane, status: 'pending', nextAttemptAt: { $lte: now } }, { projection }).sort({ seq: 1 }).limit(page).toArray(),
      this.outbox.find<Candidate>({ ...extra, channel, lane, status: 'sending', leaseUntil: { $lte: now } }, { projection }).sort({ seq: 1 }).limit(page).toArray(),
    ]);
    return [...pending, ...expired].sort((a, b) => a.seq - b.seq).slice(0, page);
  }

  /** For each address among the candidates, the lowest `seq` of its open interactive rows that hold later ones back. */
  private async firstOpen(candidates: readonly Candidate[]): Promise<Map<string, number>> {
    const keys = [...new Set(candidates.flatMap((c) => (c.kind === 'template-notice' || c.addressKey === null ? [] : [c.addressKey])))];
    if (keys.length === 0) return new Map();
    const rows = await this.outbox
      .aggregate<{ _id: string; first: number }>([
        { $match: { addressKey: { $in: keys }, status: { $in: OPEN }, lane: 'interactive', kind: { $ne: 'template-notice' } } },
        { $group: { _id: '$addressKey', first: { $min: '$seq' } } },
      ])
      .toArray();
    return new Map(rows.map((r) => [r._id, r.first]));
  }
}
