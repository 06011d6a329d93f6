import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { TranslationCache } from '../../core/ports/translator.port.ts';
import type { TranslationDoc } from './mongo-collections.ts';
import { guarded, onlyDuplicateKeys, storeFailure } from './mongo-errors.ts';

/** Keys per query or bulk write: keeps each command far below the 16 MB BSON limit. */
const CHUNK = 1000;

/** The translation cache in MongoDB: one document per key, never overwritten (a key names one translation). */
export class MongoTranslationCache implements TranslationCache {
  constructor(private readonly collection: Collection<TranslationDoc>) {}

  /** The cached translations among these keys; missing keys are absent. */
  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const docs = await guarded('translation cache read', () =>
        this.collection.find({ _id: { $in: chunk } }, { projection: { text: 1 } }).toArray(),
      );
      for (const doc of docs) found.set(doc._id, doc.text);
    }
    return found;
  }

  /** Stores translations; a key already stored keeps its text (the first one paid for). */
  async putMany(entries: ReadonlyMap<string, string>, at: Date): Promise<void> {
    const all = [...entries];
    for (let i = 0; i < all.length; i += CHUNK) {
      const ops: AnyBulkWriteOperation<TranslationDoc>[] = all.slice(i, i + CHUNK).map(([key, text]) => ({
        updateOne: { filter: { _id: key }, update: { $setOnInsert: { text, createdAt: at } }, upsert: true },
      }));
      try {
        await this.collection.bulkWrite(ops, { ordered: false });
      } catch (error) {
        // Two processes caching the same key at once: one upsert inserts, the other may fail on
        // the `_id` index. The key is then stored, which is all that was asked.
        if (!onlyDuplicateKeys(error)) throw storeFailure('translation cache write', error);
      }
    }
  }
}
