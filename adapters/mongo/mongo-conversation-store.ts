import type { Collection } from 'mongodb';
import { ConcurrencyConflictError } from '../../core/errors.ts';
import type { ConversationRecord, ConversationStore, Versioned } from '../../core/ports/conversation-store.port.ts';
import type { ConversationDoc } from './mongo-collections.ts';
import { guarded, isDuplicateKey, safeCause, storeFailure } from './mongo-errors.ts';
import { storedObject } from './mongo-json.ts';

/** The parts of a record stored beside the session: its pending work and its dedupe marks. */
type Work = Omit<ConversationRecord, 'session'>;

/**
 * Reads a stored session (null once the conversation ended by erasure). The store only
 * round-trips JSON; the engine checks the schema and dialog versions before resuming, which is
 * why a plain object is accepted here as a Session.
 */
function parseSession(text: string): ConversationRecord['session'] {
  return text === 'null' ? null : (storedObject(text, 'conversation') as unknown as ConversationRecord['session']);
}

/** Reads the stored work; a document written before durable turns has none. */
function parseWork(text: string | null | undefined): Partial<Work> {
  if (text === null || text === undefined) return {};
  return storedObject(text, 'conversation work') as Partial<Work>;
}

/**
 * Conversation records in MongoDB, with optimistic concurrency on a `version` field: the
 * session and its pending work are one document, so they are written together or not at all.
 */
export class MongoConversationStore implements ConversationStore {
  constructor(private readonly collection: Collection<ConversationDoc>) {}

  /** Loads a conversation record and the version a later save must name. */
  async load(key: string): Promise<Versioned<ConversationRecord> | null> {
    const doc = await guarded('conversation load', () => this.collection.findOne({ _id: key }));
    if (!doc) return null;
    const work = parseWork(doc.work);
    return {
      value: { session: parseSession(doc.session), effects: work.effects ?? [], outgoing: work.outgoing ?? [], inputs: work.inputs ?? [], seen: work.seen ?? [] },
      version: doc.version,
    };
  }

  /** Saves when `expected` still is the stored version (null: nothing stored); returns the new version. */
  async save(key: string, record: ConversationRecord, expected: number | null, wakeAt: Date | null): Promise<number> {
    const { session, ...rest } = record;
    const fields = { session: JSON.stringify(session), work: JSON.stringify(rest satisfies Work), wakeAt, updatedAt: new Date() };
    if (expected === null) {
      // Two first messages may race to create the conversation: the `_id` unique index lets
      // one insert through and the other fails with a duplicate key, which is the conflict.
      try {
        await this.collection.insertOne({ _id: key, version: 1, ...fields });
        return 1;
      } catch (error) {
        if (isDuplicateKey(error)) throw new ConcurrencyConflictError('The conversation', { cause: safeCause(error) });
        throw storeFailure('conversation save', error);
      }
    }
    // The filter names the version read: the server applies this atomically per document, so of
    // several writers that read the same version exactly one matches and the rest see null.
    const saved = await guarded('conversation save', () =>
      this.collection.findOneAndUpdate({ _id: key, version: expected }, { $set: fields, $inc: { version: 1 } }, { returnDocument: 'after', projection: { version: 1 } }),
    );
    if (!saved) throw new ConcurrencyConflictError('The conversation');
    return saved.version;
  }

  /** Deletes a conversation; with `expected`, only while it is still at that version. Deleting one that does not exist is not an error. */
  async delete(key: string, expected?: number): Promise<void> {
    const filter = expected === undefined ? { _id: key } : { _id: key, version: expected };
    await guarded('conversation delete', () => this.collection.deleteOne(filter));
  }

  /** Keys of conversations whose wake-up time has come, soonest first. */
  async due(now: Date, limit: number): Promise<string[]> {
    // Why the guard: a MongoDB limit of 0 means no limit at all, where SQLite's LIMIT 0 means none.
    if (limit <= 0) return [];
    const docs = await guarded('conversation due', () =>
      this.collection
        // `$type` repeats the partial index's filter, without which the planner may not use it.
        .find({ wakeAt: { $type: 'date', $lte: now } }, { projection: { _id: 1 } })
        .sort({ wakeAt: 1, _id: 1 })
        .limit(limit)
        .toArray(),
    );
    return docs.map((doc) => doc._id);
  }
}
