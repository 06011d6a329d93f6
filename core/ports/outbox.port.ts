import type { Address, ChannelName } from '../messages.ts';
import type { Audience } from './contacts.port.ts';

/** Where one delivery stands. */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'unreachable' | 'dead' | 'skipped';

/** One recipient's copy of a broadcast, claimed by the dispatcher for sending. */
export interface DeliveryJob {
  readonly id: string;
  readonly broadcastId: string;
  readonly orgId: string;
  readonly contactId: string;
  readonly channel: ChannelName;
  /** Null when the channel cannot reach this contact (imported with a Telegram preference). */
  readonly address: Address | null;
  readonly lang: string;
  readonly firstName: string;
  readonly attempts: number;
}

/** How a delivery attempt ended, as the outbox records it. */
export type DeliveryOutcome =
  | { readonly status: 'sent'; readonly platformMessageId: string | null }
  | { readonly status: 'unreachable' | 'dead' | 'skipped'; readonly reason: string }
  /** Try again at `at` (transient failure, rate limit, translation not ready). */
  | { readonly status: 'retry'; readonly at: Date; readonly reason: string; readonly countsAsAttempt: boolean };

/** Counts by status, language and channel. */
export interface DeliveryStats {
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byLang: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly byChannel: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * The broadcast outbox: one row per recipient, so that a crash or restart resumes where it
 * stopped and nobody receives a broadcast twice (beyond the few sends in flight at a kill).
 */
export interface Outbox {
  /**
   * Creates one pending delivery per subscribed, reachable contact of the audience, without
   * loading them in memory; idempotent (a contact never gets two rows for one broadcast).
   */
  materialize(broadcastId: string, orgId: string, audience: Audience, at: Date): Promise<number>;
  /**
   * Claims up to `limit` due deliveries of a channel: pending ones whose time has come, and
   * sending ones whose lease ran out (their process died). Claimed rows are leased until `leaseUntil`.
   */
  claim(channel: ChannelName, now: Date, limit: number, leaseUntil: Date): Promise<DeliveryJob[]>;
  /**
   * Records the outcome of one attempt, only while the delivery is still being sent: a worker
   * whose lease ran out can never undo an outcome another worker already recorded.
   */
  settle(id: string, outcome: DeliveryOutcome, at: Date): Promise<void>;
  stats(broadcastId: string): Promise<DeliveryStats>;
  /** Deliveries of a broadcast not yet final (pending or sending). */
  openCount(broadcastId: string): Promise<number>;
  /** Broadcasts that still have open deliveries (to resume after a restart). */
  openBroadcasts(): Promise<string[]>;
  /** The most recent broadcast delivered to an address after `since` (to route replies). */
  lastDeliveredTo(address: Address, since: Date): Promise<{ readonly orgId: string; readonly broadcastId: string; readonly contactId: string } | null>;
}
