import type { Collection } from 'mongodb';
import type { HousekeepingStore } from '../../core/ports/housekeeping.port.ts';
import type { ConversationDoc, PersonDoc, ReachDoc, WebchatHistoryDoc } from './mongo-collections.ts';
import { guarded } from './mongo-errors.ts';
import { eraseWebchatHistories } from './mongo-webchat-history.ts';

/** The collections housekeeping reads and cleans. */
export interface HousekeepingCollections {
  readonly conversations: Collection<ConversationDoc>;
  readonly people: Collection<PersonDoc>;
  readonly reach: Collection<ReachDoc>;
  readonly webchatHistory: Collection<WebchatHistoryDoc>;
}

/** Whether a stored session (JSON text) has no language yet and was last touched before `before`. */
function idleStranger(session: string, before: Date): boolean {
  try {
    const parsed = JSON.parse(session) as { lang?: unknown; updatedAt?: unknown } | null;
    return parsed !== null && parsed.lang === null && typeof parsed.updatedAt === 'string' && Date.parse(parsed.updatedAt) < before.getTime();
  } catch {
    return false;
  }
}

/** Whether the record's work (JSON text) has no effect, outgoing message or input waiting; seen marks are no work. */
function noWork(work: string | null | undefined): boolean {
  if (work === null || work === undefined) return true;
  try {
    const parsed = JSON.parse(work) as Record<string, unknown> | null;
    return (['effects', 'outgoing', 'inputs'] as const).every((part) => {
      const list = parsed?.[part];
      return list === undefined || (Array.isArray(list) && list.length === 0);
    });
  } catch {
    return false;
  }
}

/** Housekeeping in MongoDB, with the same rules as SQLite's. */
export class MongoHousekeeping implements HousekeepingStore {
  constructor(private readonly c: HousekeepingCollections) {}

  async pruneStrangers(before: Date, limit: number): Promise<number> {
    return guarded('housekeeping', async () => {
      // Sessions are JSON text (see ConversationDoc): the text filter narrows, the parse decides,
      // by the session's own time (as SQLite does), so the scan reads strangers' rows only.
      const strangers: { _id: string; version: number }[] = [];
      // wakeAt null (or absent) and no work: a conversation with work still to do is not housekeeping's.
      const cursor = this.c.conversations.find({ session: { $regex: '"lang":null' }, wakeAt: null }, { projection: { _id: 1, version: 1, session: 1, work: 1 } });
      for await (const doc of cursor) {
        if (!idleStranger(doc.session, before) || !noWork(doc.work)) continue;
        strangers.push({ _id: doc._id, version: doc.version });
        if (strangers.length >= limit) break;
      }
      await cursor.close();
      const known = new Set(
        (await this.c.people.find({ identityKeys: { $in: strangers.map((d) => d._id) } }, { projection: { identityKeys: 1 } }).toArray()).flatMap((p) => p.identityKeys),
      );
      let deleted = 0;
      for (const doc of strangers) {
        if (known.has(doc._id)) continue;
        // Only if untouched since it was read: a stranger who wrote meanwhile keeps the conversation.
        const result = await this.c.conversations.deleteOne({ _id: doc._id, version: doc.version });
        if (result.deletedCount === 0) continue;
        await this.c.reach.deleteOne({ _id: doc._id });
        // The page's copy of a stranger's web chat goes too, as on SQLite.
        if (doc._id.startsWith('webchat:')) await eraseWebchatHistories(this.c.webchatHistory, [doc._id.slice('webchat:'.length)]);
        deleted++;
      }
      return deleted;
    });
  }
}
