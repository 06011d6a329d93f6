import type { Collection } from 'mongodb';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type { Broadcast, BroadcastStatus, BroadcastStore, BroadcastTranslation } from '../../core/ports/broadcasts.port.ts';
import type { BroadcastDoc, BroadcastTranslationDoc } from './mongo-collections.ts';
import { guarded, isDuplicateKey } from './mongo-errors.ts';

/** A fresh audience with only its own fields. */
function copyAudience(audience: Audience): Audience {
  const filters = { ...(audience.langs ? { langs: [...audience.langs] } : {}), ...(audience.channels ? { channels: [...audience.channels] } : {}) };
  return audience.type === 'all' ? { type: 'all', ...filters } : { type: 'tags', tags: [...audience.tags], ...filters };
}

function toBroadcast(doc: BroadcastDoc): Broadcast {
  return {
    id: doc._id,
    orgId: doc.orgId,
    text: doc.text,
    sourceLang: doc.sourceLang,
    audience: copyAudience(doc.audience),
    origin: doc.origin,
    status: doc.status,
    scheduledAt: doc.scheduledAt,
    createdAt: doc.createdAt,
  };
}

/** A stored translation with only its own fields. */
function toTranslation(t: BroadcastTranslation): BroadcastTranslation {
  return t.kind === 'translated' ? { kind: 'translated', text: t.text, by: t.by } : { kind: 'source', text: t.text, reason: t.reason };
}

/**
 * Broadcasts in MongoDB, with their per-language texts in a collection of their own. The time
 * of a broadcast is also kept as a date (`scheduledFor`), so that `due` compares instants and
 * not strings.
 */
export class MongoBroadcastStore implements BroadcastStore {
  constructor(
    private readonly broadcasts: Collection<BroadcastDoc>,
    private readonly translationDocs: Collection<BroadcastTranslationDoc>,
  ) {}

  /** Stores a new broadcast; its given translations first, so it is never found due without them. */
  async create(b: Broadcast, given: ReadonlyMap<string, BroadcastTranslation> = new Map()): Promise<void> {
    for (const [lang, translation] of given) await this.saveTranslation(b.id, lang, translation);
    await guarded('broadcast create', () =>
      this.broadcasts.insertOne({
        _id: b.id,
        orgId: b.orgId,
        text: b.text,
        sourceLang: b.sourceLang,
        audience: copyAudience(b.audience),
        origin: b.origin,
        status: b.status,
        scheduledAt: b.scheduledAt,
        scheduledFor: new Date(b.scheduledAt),
        createdAt: b.createdAt,
      }),
    );
  }

  /** A broadcast of this organisation (null for another organisation's). */
  async get(orgId: string, id: string): Promise<Broadcast | null> {
    const doc = await guarded('broadcast get', () => this.broadcasts.findOne({ _id: id, orgId }));
    return doc ? toBroadcast(doc) : null;
  }

  /** An organisation's broadcasts, newest first. */
  async list(orgId: string, limit: number): Promise<Broadcast[]> {
    if (limit <= 0) return [];
    const docs = await guarded('broadcast list', () => this.broadcasts.find({ orgId }).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray());
    return docs.map(toBroadcast);
  }

  /** Scheduled broadcasts whose time has come, oldest first. */
  async due(now: Date, limit: number): Promise<Broadcast[]> {
    if (limit <= 0) return [];
    const docs = await guarded('broadcast due', () =>
      this.broadcasts
        .find({ status: 'scheduled', scheduledFor: { $lte: now } })
        .sort({ scheduledFor: 1, _id: 1 })
        .limit(limit)
        .toArray(),
    );
    return docs.map(toBroadcast);
  }

  /** Broadcasts in a status, oldest scheduled first. */
  async inStatus(status: BroadcastStatus, limit: number): Promise<Broadcast[]> {
    if (limit <= 0) return [];
    const docs = await guarded('broadcast status list', () =>
      this.broadcasts.find({ status }).sort({ scheduledFor: 1, _id: 1 }).limit(limit).toArray(),
    );
    return docs.map(toBroadcast);
  }

  /**
   * Moves a broadcast from `from` to `to`. The status in the filter makes it a compare-and-set:
   * of several processes moving the same broadcast, exactly one matches.
   */
  async transition(id: string, from: BroadcastStatus, to: BroadcastStatus): Promise<boolean> {
    const result = await guarded('broadcast transition', () => this.broadcasts.updateOne({ _id: id, status: from }, { $set: { status: to } }));
    return result.matchedCount === 1;
  }

  /** Stores (or replaces) how a broadcast reads in one language. */
  async saveTranslation(id: string, lang: string, translation: BroadcastTranslation): Promise<void> {
    const run = (): Promise<unknown> =>
      this.translationDocs.updateOne(
        { _id: `${id}:${lang}` },
        { $set: { broadcastId: id, lang, translation: toTranslation(translation) } },
        { upsert: true },
      );
    await guarded('broadcast translation save', async () => {
      try {
        await run();
      } catch (error) {
        // Two processes saved the first translation of a language at once: the loser updates.
        if (isDuplicateKey(error)) await run();
        else throw error;
      }
    });
  }

  /** How a broadcast reads in each language translated so far. */
  async translations(id: string): Promise<Map<string, BroadcastTranslation>> {
    const docs = await guarded('broadcast translations', () => this.translationDocs.find({ broadcastId: id }).toArray());
    return new Map(docs.map((doc) => [doc.lang, toTranslation(doc.translation)]));
  }
}
