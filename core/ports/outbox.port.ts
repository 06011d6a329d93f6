import type { Address, ChannelName, Reply } from '../messages.ts';
import type { Audience } from './contacts.port.ts';

/**
 * Where one outgoing message stands. `held`: waiting for the person to open the channel's
 * window again (or for its expiry); `expired`: held too long.
 */
export type DeliveryStatus = 'pending' | 'sending' | 'held' | 'sent' | 'unreachable' | 'dead' | 'skipped' | 'expired';

/**
 * What an outgoing message is. Every message to a person is one of these rows, whatever made it:
 * a reply in the person's own conversation, a message relayed from another person, a notice
 * (an organisation's Telegram staff chat, a template that asks to reopen a window), an
 * organisation's answer to one person, or one recipient's copy of a broadcast.
 */
export type OutboxKind = 'reply' | 'relay' | 'notice' | 'answer' | 'template-notice' | 'broadcast';

/**
 * Interactive messages go ahead of bulk ones (courier's DefaultPriority before BulkPriority),
 * so a person chatting during a broadcast is never kept waiting by it.
 */
export type Lane = 'interactive' | 'bulk';

/** The lane of a kind: only broadcasts are bulk. */
export function laneOf(kind: OutboxKind): Lane {
  return kind === 'broadcast' ? 'bulk' : 'interactive';
}

/** One interactive message to put in the outbox. */
export interface NewOutboxMessage {
  /** Idempotency key: enqueuing the same id twice adds nothing. */
  readonly id: string;
  readonly kind: Exclude<OutboxKind, 'broadcast'>;
  readonly to: Address;
  readonly reply: Reply;
  /**
   * When the person wrote the message this answers: a messaging window (24 h) counts from it,
   * even if the record of their last message is gone (erased with them) by the time it is sent.
   */
  readonly inboundAt: Date | null;
  /** The organisation on whose behalf it goes (answers, notices), for the NGO's view. */
  readonly orgId?: string | null;
  readonly contactId?: string | null;
  /** Not sent before this time (now when absent). */
  readonly notBefore?: Date;
  /**
   * Inserted already claimed by the caller, until this time (the web chat answers its own request
   * with the row and records the outcome); after it, the worker takes the row over as any other.
   */
  readonly claimedUntil?: Date;
  /**
   * Inserted already claimed until this time when nothing earlier to the same person is still
   * open (pending, sending, held), else queued as usual: the process that holds the channel's
   * sending lease hands a turn's replies to its sender at once, without a claim query, and the
   * person's order still holds (a later row waits behind these as behind any claimed row).
   */
  readonly claimIfFirst?: Date;
  /**
   * The last words to a person just erased: once sent or given up, what sending them needed (the
   * reach record of the address) is deleted too; never held for a closed window.
   */
  readonly final?: boolean;
}

/** One outgoing message, claimed for sending. */
export interface DeliveryJob {
  readonly id: string;
  readonly kind: OutboxKind;
  readonly lane: Lane;
  /** Broadcast rows only. */
  readonly broadcastId: string | null;
  readonly orgId: string | null;
  readonly contactId: string | null;
  readonly channel: ChannelName;
  /** Null when the channel cannot reach this contact (imported with a Telegram preference). */
  readonly address: Address | null;
  readonly lang: string;
  readonly firstName: string;
  readonly attempts: number;
  /** The message itself for interactive rows; broadcasts are worded at send time. */
  readonly reply: Reply | null;
  /** Parts of a split message already sent: a retry resumes after them instead of repeating them. */
  readonly partsSent: number;
  readonly inboundAt: Date | null;
  /** See NewOutboxMessage.final. */
  readonly final: boolean;
  /**
   * The channel this row was first meant for, when it fell back to another one of the person's
   * (not on WhatsApp, blocked, a window closed with no template, the channel down): once only.
   */
  readonly fallbackFrom?: ChannelName | null;
}

/** How a delivery attempt ended, as the outbox records it. */
export type DeliveryOutcome =
  | { readonly status: 'sent'; readonly platformMessageId: string | null }
  | { readonly status: 'unreachable' | 'dead' | 'skipped'; readonly reason: string }
  /** Try again at `at` (transient failure, rate limit, translation not ready). */
  | { readonly status: 'retry'; readonly at: Date; readonly reason: string; readonly countsAsAttempt: boolean; readonly partsSent?: number }
  /**
   * Goes to another channel of the same person instead, due now, counted afresh; the row keeps
   * the channel it fell back from and why (`reason`), for the delivery record.
   */
  | { readonly status: 'rerouted'; readonly to: Address; readonly from: ChannelName; readonly reason: string }
  /** Wait for the person to write again (window closed), at most until `expiresAt`. */
  | { readonly status: 'held'; readonly reason: string; readonly expiresAt: Date; readonly partsSent?: number };

/** Counts by status, language and channel. */
export interface DeliveryStats {
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byLang: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly byChannel: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Rows that fell back to another channel, by `from>to` (`whatsapp-cloud>sms`); absent when none did. */
  readonly byFallback?: Readonly<Record<string, number>>;
}

/** A held message as the NGO sees it: no text, no address. */
export interface HeldDelivery {
  readonly id: string;
  readonly kind: OutboxKind;
  readonly channel: ChannelName;
  readonly contactId: string | null;
  readonly broadcastId: string | null;
  readonly reason: string;
  readonly expiresAt: string;
}

/**
 * The one outbox every outgoing message goes through: durable rows with a kind, a lane, the
 * person, an idempotency key and a status, so that a crash, a 429 or a closed window delays a
 * message and never loses it.
 */
export interface Outbox {
  /**
   * Adds interactive messages; an id already present is left as it is. Returns the ids this call
   * inserted already claimed (`claimedUntil`, or `claimIfFirst` where it applied), in order.
   */
  enqueue(messages: readonly NewOutboxMessage[], at: Date): Promise<readonly string[]>;
  /**
   * Creates one pending broadcast row per subscribed, reachable contact of the audience, without
   * loading them in memory; idempotent (a contact never gets two rows for one broadcast).
   */
  materialize(broadcastId: string, orgId: string, audience: Audience, at: Date): Promise<number>;
  /**
   * Claims up to `limit` due rows of a channel's lane, leased until `leaseUntil`: pending ones whose
   * time has come, and sending ones whose lease ran out (their process died). Interactive rows
   * keep each person's order: a row is claimed only when no earlier row to that person is open.
   */
  claim(channel: ChannelName, lane: Lane, now: Date, limit: number, leaseUntil: Date): Promise<DeliveryJob[]>;
  /**
   * Records outcomes, each only while its row is still being sent: a worker whose lease ran out
   * can never undo an outcome another worker already recorded. Interactive rows that were sent
   * are deleted (their words are no longer needed); other final rows keep status and reason only.
   */
  settle(outcomes: readonly { readonly id: string; readonly outcome: DeliveryOutcome }[], at: Date): Promise<void>;
  /**
   * Rows of a channel left 'sending' by the previous holder of its sending lease (it died, or
   * stopped renewing) become due now, whatever their own lease: only the lease holder sends on a
   * channel, so nobody else is sending them. Returns how many.
   */
  reclaim(channel: ChannelName, at: Date): Promise<number>;
  /** The person wrote again: their held rows become due now. Returns how many. */
  release(address: Address, at: Date): Promise<number>;
  /** A channel that was down is back: its rows held for that reason become due now. Returns how many. */
  releaseChannel(channel: ChannelName, reason: string, at: Date): Promise<number>;
  /** Held rows whose expiry passed become `expired`. Returns how many. */
  expire(now: Date): Promise<number>;
  /** Held rows of an organisation (its answers, notices and broadcasts), oldest first. */
  held(orgId: string, limit: number): Promise<HeldDelivery[]>;
  /** Statuses of rows by id (absent: sent and deleted, or never enqueued). */
  statusOf(ids: readonly string[]): Promise<Map<string, DeliveryStatus>>;
  stats(broadcastId: string): Promise<DeliveryStats>;
  /** What platforms reported of a broadcast's sent rows (delivered, read, failed), by language and channel: the funnel's end. */
  receiptCounts(broadcastId: string): Promise<readonly { readonly lang: string; readonly channel: string; readonly status: string; readonly n: number }[]>;
  /** Rows of a broadcast not yet final (pending, sending or held). */
  openCount(broadcastId: string): Promise<number>;
  /** Whether a broadcast has a row not yet final: what "done" waits for, without counting them all. */
  anyOpen(broadcastId: string): Promise<boolean>;
  /** Broadcasts that still have open rows (to resume after a restart). */
  openBroadcasts(): Promise<string[]>;
  /** The most recent broadcast delivered to an address after `since` (to route replies). */
  lastDeliveredTo(address: Address, since: Date): Promise<{ readonly orgId: string; readonly broadcastId: string; readonly contactId: string } | null>;
  /** Deletes every row to this address (erasure). */
  eraseAddress(address: Address): Promise<number>;
}
