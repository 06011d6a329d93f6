import type { Collection, Db, Filter } from 'mongodb';
import type { ExchangePost, ExchangeStore, PostPatch } from '../../core/ports/exchange.port.ts';
import { shownPhrases } from '../../core/exchange/shown-phrases.ts';
import { guarded } from './mongo-errors.ts';

/** A post; `location` is the GeoJSON point of its cell's centre, under a 2dsphere index. */
interface PostDoc extends Omit<ExchangePost, 'id' | 'latitude' | 'longitude'> {
  _id: string;
  location: { type: 'Point'; coordinates: [number, number] };
}

/** One stored translation of a post's description; `_id` is `postId:lang`. */
interface PostTranslationDoc {
  _id: string;
  postId: string;
  lang: string;
  text: string;
  createdAt: string;
}

function hydrate(doc: PostDoc): ExchangePost {
  const { _id, location, ...rest } = doc;
  return { id: _id, ...rest, latitude: location.coordinates[1], longitude: location.coordinates[0] };
}

/**
 * The exchange's posts in MongoDB: nearest-first through `$geoNear` on a 2dsphere index (created
 * at start-up by {@link openMongoExchange}). Same answers and order as the SQLite store.
 */
export class MongoExchange implements ExchangeStore {
  constructor(
    private readonly posts: Collection<PostDoc>,
    private readonly translationsOf: Collection<PostTranslationDoc>,
    private readonly contacts: Collection<{ orgId: string; personId: string | null }>,
    private readonly webchat: Collection<{ _id: string; entries: { cursor: number; entry: string }[] }>,
  ) {}

  async create(post: ExchangePost): Promise<void> {
    const { id, latitude, longitude, ...rest } = post;
    await guarded('exchange create', () =>
      this.posts.updateOne({ _id: id }, { $setOnInsert: { ...rest, location: { type: 'Point', coordinates: [longitude, latitude] } } }, { upsert: true }),
    );
  }

  async get(id: string): Promise<ExchangePost | null> {
    const doc = await guarded('exchange get', () => this.posts.findOne({ _id: id }));
    return doc ? hydrate(doc) : null;
  }

  async listByPerson(personId: string): Promise<ExchangePost[]> {
    const docs = await guarded('exchange list', () => this.posts.find({ personId, status: { $ne: 'hidden' } }).sort({ createdAt: -1, _id: -1 }).toArray());
    return docs.map(hydrate);
  }

  async countOpen(personId: string, now: Date): Promise<number> {
    return guarded('exchange count', () => this.posts.countDocuments({ personId, status: 'open', expiresAt: { $gt: now.toISOString() } }));
  }

  async update(id: string, patch: PostPatch): Promise<ExchangePost | null> {
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const doc = await guarded('exchange update', async () => {
      // New words: translations of the old ones must not be shown (nor kept).
      if (patch.description !== undefined || patch.inReturn !== undefined) await this.translationsOf.deleteMany({ postId: id });
      return Object.keys(set).length === 0 ? this.posts.findOne({ _id: id }) : this.posts.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' });
    });
    return doc ? hydrate(doc) : null;
  }

  async nearby(q: Parameters<ExchangeStore['nearby']>[0]): ReturnType<ExchangeStore['nearby']> {
    const query: Filter<PostDoc> = {
      status: 'open',
      kind: q.kind,
      expiresAt: { $gt: q.now.toISOString() },
      personId: { $nin: [...q.excludePersonIds] },
      ...(q.category === null ? {} : { category: q.category }),
    };
    const docs = await guarded('exchange nearby', () =>
      this.posts
        .aggregate<PostDoc & { meters: number }>([
          { $geoNear: { near: { type: 'Point', coordinates: [q.longitude, q.latitude] }, distanceField: 'meters', maxDistance: q.radiusKm * 1000, spherical: true, query } },
          { $sort: { meters: 1, renewedAt: -1, _id: 1 } },
          { $skip: q.offset },
          { $limit: q.limit },
        ])
        .toArray(),
    );
    return docs.map(({ meters, ...doc }) => ({ post: hydrate(doc), km: meters / 1000 }));
  }

  async dueReminders(now: Date, limit: number): Promise<ExchangePost[]> {
    const docs = await guarded('exchange reminders', () =>
      this.posts.find({ status: 'open', remindedAt: null, remindAt: { $lte: now.toISOString() } }).sort({ remindAt: 1, _id: 1 }).limit(limit).toArray(),
    );
    return docs.map(hydrate);
  }

  async purgeExpired(before: Date, limit: number): Promise<number> {
    return guarded('exchange purge', async () => {
      const ids = (await this.posts.find({ expiresAt: { $lt: before.toISOString() } }, { projection: { _id: 1 } }).limit(limit).toArray()).map((d) => d._id);
      await this.translationsOf.deleteMany({ postId: { $in: ids } });
      return (await this.posts.deleteMany({ _id: { $in: ids } })).deletedCount;
    });
  }

  async translations(postId: string, langs: readonly string[]): Promise<Map<string, string>> {
    const docs = await guarded('exchange translations', () => this.translationsOf.find({ postId, lang: { $in: [...langs] } }).toArray());
    return new Map(docs.map((d) => [d.lang, d.text]));
  }

  async putTranslation(postId: string, lang: string, text: string, at: Date): Promise<void> {
    await guarded('exchange translation', async () => {
      // Like SQLite's condition: no translation outlives (or precedes) its post.
      if (!(await this.posts.countDocuments({ _id: postId }, { limit: 1 }))) return;
      await this.translationsOf.replaceOne({ _id: `${postId}:${lang}` }, { postId, lang, text, createdAt: at.toISOString() }, { upsert: true });
    });
  }

  async listForOrganisation(orgId: string, { limit }: { readonly limit: number }): Promise<ExchangePost[]> {
    return guarded('exchange org posts', async () => {
      const people = (await this.contacts.distinct('personId', { orgId, personId: { $ne: null } })).filter((p): p is string => typeof p === 'string');
      const docs = await this.posts.find({ personId: { $in: people } }).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
      return docs.map(hydrate);
    });
  }

  async getForOrganisation(orgId: string, id: string): Promise<ExchangePost | null> {
    return guarded('exchange org post', async () => {
      const doc = await this.posts.findOne({ _id: id });
      if (!doc || !(await this.contacts.countDocuments({ orgId, personId: doc.personId }, { limit: 1 }))) return null;
      return hydrate(doc);
    });
  }

  async eraseByPerson(personId: string): Promise<number> {
    return guarded('exchange erase', async () => {
      const posts = await this.posts.find({ personId }).toArray();
      const ids = posts.map((d) => d._id);
      const translated = await this.translationsOf.find({ postId: { $in: ids } }).toArray();
      const rows = [
        ...posts.map((p) => ({ description: p.description, in_return: p.inReturn, translated: null })),
        ...translated.map((t) => ({ description: null, in_return: null, translated: t.text })),
      ];
      // Like SQLite: readers' web chat entries that showed these words go with the poster.
      for (const phrase of shownPhrases(rows)) {
        const pattern = new RegExp(phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        await this.webchat.updateMany({ 'entries.entry': pattern }, { $pull: { entries: { entry: pattern } } });
      }
      await this.translationsOf.deleteMany({ postId: { $in: ids } });
      return (await this.posts.deleteMany({ personId })).deletedCount;
    });
  }
}

/** The exchange's collections, with their indexes created (idempotently) at start-up. */
export async function openMongoExchange(db: Db): Promise<MongoExchange> {
  const posts = db.collection<PostDoc>('exchange_posts');
  const translations = db.collection<PostTranslationDoc>('exchange_post_translations');
  await guarded('exchange indexes', () =>
    Promise.all([
      posts.createIndex({ location: '2dsphere', kind: 1, category: 1 }, { name: 'near' }),
      posts.createIndex({ personId: 1, createdAt: -1 }, { name: 'person' }),
      posts.createIndex({ remindAt: 1 }, { name: 'remind', partialFilterExpression: { status: 'open' } }),
      posts.createIndex({ expiresAt: 1 }, { name: 'expires' }),
      translations.createIndex({ postId: 1 }, { name: 'post' }),
    ]),
  );
  return new MongoExchange(posts, translations, db.collection('contacts'), db.collection('webchat_history'));
}
