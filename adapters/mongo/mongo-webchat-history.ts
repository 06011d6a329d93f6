import type { Collection } from 'mongodb';
import { WEBCHAT_HISTORY_KEPT, type StoredWebchatEntry, type WebchatEntry, type WebchatHistory } from '../../core/ports/webchat-history.port.ts';
import type { WebchatHistoryDoc } from './mongo-collections.ts';
import { guarded } from './mongo-errors.ts';

function hydrate(item: WebchatHistoryDoc['entries'][number]): StoredWebchatEntry {
  return { ...(JSON.parse(item.entry) as WebchatEntry), cursor: item.cursor };
}

/**
 * Empties the histories of these web chat users. Why the document stays (with its counter and no
 * entries): cursors must keep growing, or a page still open after "forget" would skip new ones.
 */
export async function eraseWebchatHistories(collection: Collection<WebchatHistoryDoc>, userIds: readonly string[]): Promise<void> {
  if (userIds.length > 0) await collection.updateMany({ _id: { $in: [...userIds] } }, { $set: { entries: [] } });
}

/**
 * The web chat history in MongoDB: one document per person holding the counter and the latest
 * entries. Why one document: the counter and the entry are written in one atomic update, so two
 * processes appending at once can never expose a later cursor before an earlier one.
 */
export class MongoWebchatHistory implements WebchatHistory {
  constructor(private readonly collection: Collection<WebchatHistoryDoc>) {}

  /** Adds one entry and returns its cursor. */
  async append(userId: string, entry: WebchatEntry): Promise<number> {
    return guarded('webchat append', async () => {
      const doc = await this.collection.findOneAndUpdate(
        { _id: userId },
        [
          { $set: { seq: { $add: [{ $ifNull: ['$seq', 0] }, 1] } } },
          // $literal: the entry is people's text, which must never be read as an expression.
          { $set: { entries: { $slice: [{ $concatArrays: [{ $ifNull: ['$entries', []] }, [{ cursor: '$seq', entry: { $literal: JSON.stringify(entry) } }]] }, -WEBCHAT_HISTORY_KEPT] } } },
        ],
        { upsert: true, returnDocument: 'after', projection: { seq: 1 } },
      );
      if (!doc) throw new Error('webchat append returned no document');
      return doc.seq;
    });
  }

  /** Entries oldest first, after a cursor or the latest ones. */
  async list(userId: string, options: { readonly after?: number; readonly limit: number }): Promise<StoredWebchatEntry[]> {
    return guarded('webchat list', async () => {
      const after = options.after;
      // Why the counter in the filter: an open stream asks twice a second, and most of the time
      // nothing is new; then no entry crosses the network.
      const filter = after === undefined ? { _id: userId } : { _id: userId, seq: { $gt: after } };
      const doc = await this.collection.findOne(filter, { projection: { entries: 1 } });
      const entries = doc?.entries ?? [];
      if (after !== undefined) return entries.filter((e) => e.cursor > after).slice(0, options.limit).map(hydrate);
      return entries.slice(-options.limit).map(hydrate);
    });
  }

  /** Rewrites the entries (see WebchatHistory.rewrite), with a check that none was appended meanwhile. */
  async rewrite(userId: string, change: (entry: WebchatEntry) => WebchatEntry | null): Promise<number> {
    return guarded('webchat rewrite', async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const doc = await this.collection.findOne({ _id: userId }, { projection: { entries: 1, seq: 1 } });
        if (!doc) return 0;
        let changed = 0;
        const entries = doc.entries.flatMap((item) => {
          const next = change(JSON.parse(item.entry) as WebchatEntry);
          const json = next === null ? null : JSON.stringify(next);
          if (json !== item.entry) changed += 1;
          return json === null ? [] : [{ cursor: item.cursor, entry: json }];
        });
        if (changed === 0) return 0;
        const written = await this.collection.updateOne({ _id: userId, seq: doc.seq }, { $set: { entries } });
        if (written.modifiedCount === 1) return changed;
      }
      throw new Error('webchat history kept changing while it was rewritten');
    });
  }

  /** Deletes the entries; returns how many went. */
  async erase(userId: string): Promise<number> {
    return guarded('webchat erase', async () => {
      const before = await this.collection.findOneAndUpdate({ _id: userId }, { $set: { entries: [] } }, { returnDocument: 'before', projection: { entries: 1 } });
      return before?.entries.length ?? 0;
    });
  }
}
