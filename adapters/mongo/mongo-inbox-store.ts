import { ObjectId, type Collection, type Filter } from 'mongodb';
import type { InboxEntry, InboxStore } from '../../core/ports/inbox.port.ts';
import type { InboxDoc } from './mongo-collections.ts';
import { guarded, isDuplicateKey } from './mongo-errors.ts';

function toEntry(doc: InboxDoc): InboxEntry {
  return {
    id: doc._id,
    orgId: doc.orgId,
    contactId: doc.contactId,
    direction: doc.direction,
    broadcastId: doc.broadcastId,
    text: doc.text,
    lang: doc.lang,
    translatedText: doc.translatedText,
    translatedLang: doc.translatedLang,
    at: doc.at,
  };
}

/**
 * The organisations' inboxes in MongoDB. Each entry gets an ObjectId `seq` when added, so that
 * entries written at the same `at` (a reply and its relay) still list newest first.
 */
export class MongoInboxStore implements InboxStore {
  constructor(private readonly collection: Collection<InboxDoc>) {}

  /** Adds one entry; an entry id already there adds nothing (a replayed effect, a form sent twice), as in SQLite. */
  async add(entry: InboxEntry): Promise<void> {
    await guarded('inbox add', () =>
      this.collection
        .insertOne({
        _id: entry.id,
        orgId: entry.orgId,
        contactId: entry.contactId,
        direction: entry.direction,
        broadcastId: entry.broadcastId,
        text: entry.text,
        lang: entry.lang,
        translatedText: entry.translatedText,
        translatedLang: entry.translatedLang,
        at: entry.at,
        seq: new ObjectId(),
      })
        .catch((error: unknown) => {
          if (!isDuplicateKey(error)) throw error;
        }),
    );
  }

  /** An organisation's entries, newest first, optionally one contact's only. */
  async list(orgId: string, options: { readonly limit: number; readonly contactId?: string }): Promise<InboxEntry[]> {
    if (options.limit <= 0) return [];
    const filter: Filter<InboxDoc> = options.contactId ? { orgId, contactId: options.contactId } : { orgId };
    const docs = await guarded('inbox list', () => this.collection.find(filter).sort({ at: -1, seq: -1 }).limit(options.limit).toArray());
    return docs.map(toEntry);
  }
}
