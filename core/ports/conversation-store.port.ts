import type { Session } from '../dialog/session.ts';

/** A stored value with the version a later write must name. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: number;
}

/**
 * Conversation state, stored with optimistic concurrency: a write names the version it read
 * and fails with ConcurrencyConflictError when that is stale, so two server processes can never
 * both advance one conversation.
 */
export interface ConversationStore {
  load(key: string): Promise<Versioned<Session> | null>;
  /** Saves; `expected` is the version read, or null for a new conversation. Returns the new version. */
  save(key: string, session: Session, expected: number | null): Promise<number>;
  delete(key: string): Promise<void>;
}

/**
 * Remembers which inbound messages were processed, because channels redeliver.
 * Keys are opaque hashes, so the record names nobody.
 */
export interface InboundLedger {
  /** True the first time a (channel, message id) is seen, false on every later call. */
  claim(channel: string, messageId: string, at: Date): Promise<boolean>;
  /** Forgets claims older than `before` (redeliveries come within hours, not weeks). */
  prune(before: Date): Promise<number>;
}
