import type { JsonObject } from '../dialog/json.ts';
import type { Address } from '../messages.ts';

/** What a channel keeps to reach a person later, outside a turn (broadcasts, relays). */
export interface ReachRecord {
  /** When the person last wrote to us here: messaging windows (24 h) count from it. */
  readonly lastInboundAt: Date;
  /** Channel-specific data for proactive sends (a Bot Framework conversation reference). */
  readonly reference: JsonObject | null;
}

/**
 * Per-address reach data. Personal data: erased with the person (the people store's erase
 * removes the records of every identity).
 */
export interface ReachStore {
  /** Records an inbound message; a null reference keeps the one stored before. */
  recordInbound(address: Address, at: Date, reference: JsonObject | null): Promise<void>;
  get(address: Address): Promise<ReachRecord | null>;
  /** When each of these people last wrote, by `addressKey`; absent when never (one read for a batch of sends). */
  lastInboundAt(addresses: readonly Address[]): Promise<ReadonlyMap<string, Date>>;
  /** Deletes the record of one address ("forget me" before onboarding finished). */
  forget(address: Address): Promise<void>;
}

/** Delivery states a platform reports after a send. */
export type ReceiptStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Delivery receipts reported by platforms (WhatsApp Cloud API status callbacks). */
export interface ReceiptStore {
  /** Records the latest known state of a message we sent; later states never go backwards. */
  record(channel: string, platformMessageId: string, status: ReceiptStatus, at: Date): Promise<void>;
  get(channel: string, platformMessageId: string): Promise<{ readonly status: ReceiptStatus; readonly at: Date } | null>;
}
