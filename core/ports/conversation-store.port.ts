import type { NewOutboxMessage } from './outbox.port.ts';
import type { EngineInput } from '../dialog/engine-env.ts';
import type { JsonObject } from '../dialog/json.ts';
import type { Session } from '../dialog/session.ts';
import type { Address, Reply } from '../messages.ts';

/** A stored value with the version a later write must name. */
export interface Versioned<T> {
  readonly value: T;
  readonly version: number;
}

/**
 * An event a turn emitted, stored with the session in the same write and performed after it
 * (goflow and mailroom): a crash between the write and the effect replays the effect instead
 * of losing it. Handlers are idempotent by `id`.
 */
export interface PendingEffect {
  /** Stable: the turn's mark and the event's index. */
  readonly id: string;
  readonly type: string;
  readonly payload: JsonObject;
  /** True for a task: its result (or failure) is fed back to the dialog. */
  readonly task: boolean;
  /** Failed attempts so far. */
  readonly attempts: number;
  /**
   * Not replayed before this time (ISO). Why: right after the write the effect is performed by
   * the process that wrote it; another process only takes it over once this has passed.
   */
  readonly dueAt: string;
}

/** A message to a person, written with the turn that made it and handed to the outbox after. */
export interface OutgoingMessage {
  /** The outbox row's idempotency key. */
  readonly id: string;
  readonly to: Address;
  readonly reply: Reply;
  /** When the person wrote the message this answers (ISO): the messaging window counts from it. */
  readonly inboundAt: string | null;
}

/** Input for this conversation that arrived from elsewhere (another person's action, a timer). */
export interface PendingInput {
  /** Deduplicates the input like a message id. */
  readonly id: string;
  readonly input: EngineInput;
}

/** Proof that an inbound message or input was processed: a keyed hash, never the id itself. */
export interface SeenMark {
  readonly mark: string;
  readonly at: string;
}

/**
 * One conversation as stored: the session and the work its turns left to do. Everything that
 * decides what happens next lives here, in one versioned write, so several server processes
 * can share the store and a crash at any point loses nothing.
 */
export interface ConversationRecord {
  /** Null once the conversation ended by erasure; the record goes when its work is done. */
  readonly session: Session | null;
  readonly effects: readonly PendingEffect[];
  readonly outgoing: readonly OutgoingMessage[];
  readonly inputs: readonly PendingInput[];
  /** Messages and inputs already processed (recent ones only: redeliveries come within hours). */
  readonly seen: readonly SeenMark[];
}

/**
 * Conversation state, stored with optimistic concurrency: a write names the version it read
 * and fails with ConcurrencyConflictError when that is stale, so two server processes can never
 * both advance one conversation.
 */
export interface ConversationStore {
  load(key: string): Promise<Versioned<ConversationRecord> | null>;
  /**
   * Saves; `expected` is the version read, or null for a new conversation. `wakeAt` is when the
   * record next needs attention (pending work, a timer), or null. Returns the new version.
   */
  save(key: string, record: ConversationRecord, expected: number | null, wakeAt: Date | null): Promise<number>;
  /**
   * Saves like `save` and, in the same atomic write, puts `rows` in the outbox (idempotent by
   * id): a turn's replies leave the record in the write that stores the turn. Optional: a store
   * without multi-document transactions leaves it out, and the pipeline keeps the replies in the
   * record, enqueues them, then clears them (three writes, the same outcome). Returns the new
   * version and the rows inserted already claimed (as `Outbox.enqueue` does).
   */
  saveHandingOver?(
    key: string,
    record: ConversationRecord,
    expected: number | null,
    wakeAt: Date | null,
    rows: readonly NewOutboxMessage[],
    at: Date,
  ): Promise<{ readonly version: number; readonly claimed: readonly string[] }>;
  /** Deletes a conversation; with `expected`, only while it is still at that version (else it stays). */
  delete(key: string, expected?: number): Promise<void>;
  /** Keys of conversations whose `wakeAt` has come, soonest first. */
  due(now: Date, limit: number): Promise<string[]>;
}
