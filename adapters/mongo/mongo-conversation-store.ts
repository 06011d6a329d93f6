import { createHash } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { Session } from '../../core/dialog/session.ts';
import { ConcurrencyConflictError } from '../../core/errors.ts';
import type { ConversationStore, InboundLedger, Versioned } from '../../core/ports/conversation-store.port.ts';
import type { ConversationDoc, LedgerDoc } from './mongo-collections.ts';
import { guarded, isDuplicateKey, MongoStoreError, safeCause, storeFailure } from './mongo-errors.ts';

/**
 * Reads a stored session. The store only round-trips JSON; the engine checks the schema and
 * dialog versions before resuming, which is why a plain object is accepted here as a Session.
 */
function parseSession(text: string): Session {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // No cause: JSON.parse quotes the text it choked on, and that text is a person's answers.
    throw new MongoStoreError('A stored conversation is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MongoStoreError('A stored conversation is not a JSON object');
  }
  return value as Session;
}

/** Conversation state in MongoDB, with optimistic concurrency on a `version` field. */
export class MongoConversationStore implements ConversationStore {
  constructor(private readonly collection: Collection<ConversationDoc>) {}

  /** Loads a conversation and the version a later save must name. */
  async load(key: string): Promise<Versioned<Session> | null> {
    const doc = await guarded('conversation load', () => this.collection.findOne({ _id: key }));
    return doc ? { value: parseSession(doc.session), version: doc.version } : null;
  }

  /** Saves when `expected` still is the stored version (null: nothing stored); returns the new version. */
  async save(key: string, session: Session, expected: number | null): Promise<number> {
    const text = JSON.stringify(session);
    const updatedAt = new Date();
    if (expected === null) {
      // Two first messages may race to create the conversation: the `_id` unique index lets
      // one insert through and the other fails with a duplicate key, which is the conflict.
      try {
        await this.collection.insertOne({ _id: key, version: 1, session: text, updatedAt });
        return 1;
      } catch (error) {
        if (isDuplicateKey(error)) throw new ConcurrencyConflictError('The conversation', { cause: safeCause(error) });
        throw storeFailure('conversation save', error);
      }
    }
    // The filter names the version read: the server applies this atomically per document, so of
    // several writers that read the same version exactly one matches and the rest see null.
    const saved = await guarded('conversation save', () =>
      this.collection.findOneAndUpdate(
        { _id: key, version: expected },
        { $set: { session: text, updatedAt }, $inc: { version: 1 } },
        { returnDocument: 'after', projection: { version: 1 } },
      ),
    );
    if (!saved) throw new ConcurrencyConflictError('The conversation');
    return saved.version;
  }

  /** Deletes a conversation; deleting one that does not exist is not an error. */
  async delete(key: string): Promise<void> {
    await guarded('conversation delete', () => this.collection.deleteOne({ _id: key }));
  }
}

/**
 * The ledger key of an inbound message: a hash, so the ledger names no chat and no phone. The
 * NUL separator keeps ("a:b", "c") and ("a", "b:c") apart.
 */
export function ledgerKey(channel: string, messageId: string): string {
  return createHash('sha256').update(`${channel}\u0000${messageId}`).digest('hex');
}

/** The inbound-message ledger in MongoDB: a claim is an insert that the `_id` index lets through once. */
export class MongoInboundLedger implements InboundLedger {
  constructor(private readonly collection: Collection<LedgerDoc>) {}

  /** True the first time (channel, message id) is claimed, false after. */
  async claim(channel: string, messageId: string, at: Date): Promise<boolean> {
    try {
      await this.collection.insertOne({ _id: ledgerKey(channel, messageId), at });
      return true;
    } catch (error) {
      // A redelivery, or the same message handled by two processes at once: only one insert wins.
      if (isDuplicateKey(error)) return false;
      throw storeFailure('ledger claim', error);
    }
  }

  /** Forgets claims older than `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    const result = await guarded('ledger prune', () => this.collection.deleteMany({ at: { $lt: before } }));
    return result.deletedCount;
  }
}
