import type { AnyBulkWriteOperation } from 'mongodb';
import { addressKey, type Address, type ChannelName } from '../../core/messages.ts';
import type { DeliveryOutcome } from '../../core/ports/outbox.port.ts';
import type { OutboxDoc } from './mongo-collections.ts';

/** One audience member as the materialize aggregation yields it. */
export interface Recipient {
  _id: string;
  orgId: string;
  channel: ChannelName;
  address: Address | null;
  addressKey: string | null;
  lang: string;
  firstName: string;
}

/** A new row: `_id` and `seq` apart, everything an insert sets. */
export type NewRow = Omit<OutboxDoc, '_id' | 'seq'>;

/** The fields every new row starts with, whatever its kind. */
export function freshRow(at: Date): Pick<NewRow, 'status' | 'attempts' | 'partsSent' | 'leaseUntil' | 'expiresAt' | 'claimToken' | 'reason' | 'platformMessageId' | 'updatedAt'> {
  return { status: 'pending', attempts: 0, partsSent: 0, leaseUntil: null, expiresAt: null, claimToken: null, reason: null, platformMessageId: null, updatedAt: at };
}

/** An insert-only upsert: a row already there (same id) is left exactly as it is. */
export function insertOnce(id: string, seq: number, row: NewRow): AnyBulkWriteOperation<OutboxDoc> {
  return { updateOne: { filter: { _id: id }, update: { $setOnInsert: { seq, ...row } }, upsert: true } };
}

/** The writes that record one outcome, each only while the row is still being sent. */
export function settleOps(id: string, outcome: DeliveryOutcome, at: Date): AnyBulkWriteOperation<OutboxDoc>[] {
  const sending = { _id: id, status: 'sending' as const };
  const released = { leaseUntil: null, claimToken: null, updatedAt: at };
  switch (outcome.status) {
    case 'retry':
      return [
        {
          updateOne: {
            filter: sending,
            update: {
              $set: { status: 'pending', reason: outcome.reason, nextAttemptAt: outcome.at, partsSent: outcome.partsSent ?? 0, ...released },
              $inc: { attempts: outcome.countsAsAttempt ? 1 : 0 },
            },
          },
        },
      ];
    case 'rerouted':
      return [
        {
          updateOne: {
            filter: { ...sending, fallbackFrom: null },
            update: {
              $set: {
                status: 'pending',
                channel: outcome.to.channel,
                address: outcome.to,
                addressKey: addressKey(outcome.to),
                fallbackFrom: outcome.from,
                reason: outcome.reason,
                attempts: 0,
                partsSent: 0,
                nextAttemptAt: at,
                expiresAt: null,
                ...released,
              },
            },
          },
        },
      ];
    case 'held':
      return [
        {
          updateOne: {
            filter: sending,
            update: { $set: { status: 'held', reason: outcome.reason, expiresAt: outcome.expiresAt, partsSent: outcome.partsSent ?? 0, ...released } },
          },
        },
      ];
    default: {
      const final = {
        status: outcome.status,
        reason: outcome.status === 'sent' ? null : outcome.reason,
        platformMessageId: outcome.status === 'sent' ? outcome.platformMessageId : null,
        ...released,
      };
      // Why one write per lane: an interactive row's words are no longer needed once it is final
      // (the row stays, its id making a replayed enqueue a no-op, except last words to a person
      // just erased, which go entirely); a broadcast row keeps what it has, for the statistics.
      const interactive = { ...sending, lane: 'interactive' as const };
      return [
        ...(outcome.status === 'sent' ? [{ deleteOne: { filter: { ...interactive, final: true } } }] : []),
        { updateOne: { filter: outcome.status === 'sent' ? { ...interactive, final: { $ne: true } } : interactive, update: { $set: { ...final, payload: null }, $inc: { attempts: 1 } } } },
        { updateOne: { filter: { ...sending, lane: 'bulk' }, update: { $set: final, $inc: { attempts: 1 } } } },
      ];
    }
  }
}

/** The row of one recipient of a broadcast. */
export function broadcastRow(broadcastId: string, r: Recipient, at: Date): NewRow {
  return {
    kind: 'broadcast',
    lane: 'bulk',
    broadcastId,
    orgId: r.orgId,
    contactId: r._id,
    channel: r.channel,
    address: r.address ? { channel: r.address.channel, id: r.address.id } : null,
    addressKey: r.addressKey ?? null,
    lang: r.lang,
    firstName: r.firstName,
    payload: null,
    inboundAt: null,
    nextAttemptAt: at,
    ...freshRow(at),
  };
}
