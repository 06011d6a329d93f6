import type { Database } from 'better-sqlite3';
import { shownPhrases } from '../../core/exchange/shown-phrases.ts';
import type { ExchangePost, ExchangeStore, PostPatch } from '../../core/ports/exchange.port.ts';

interface PostRow {
  id: string;
  person_id: string;
  kind: ExchangePost['kind'];
  category: string;
  description: string | null;
  lang: string;
  in_return: string | null;
  gift: number;
  cell: string;
  latitude: number;
  longitude: number;
  status: ExchangePost['status'];
  created_at: string;
  renewed_at: string;
  expires_at: string;
  remind_at: string;
  reminded_at: string | null;
}

function hydrate(row: PostRow): ExchangePost {
  return {
    id: row.id,
    personId: row.person_id,
    kind: row.kind,
    category: row.category,
    description: row.description,
    lang: row.lang,
    inReturn: row.in_return,
    gift: row.gift === 1,
    cell: row.cell,
    latitude: row.latitude,
    longitude: row.longitude,
    status: row.status,
    createdAt: row.created_at,
    renewedAt: row.renewed_at,
    expiresAt: row.expires_at,
    remindAt: row.remind_at,
    remindedAt: row.reminded_at,
  };
}

const EARTH_KM = 6371.0088;
const KM_PER_DEGREE = (Math.PI * EARTH_KM) / 180;

const COLUMNS: Record<keyof PostPatch, [string, (v: never) => unknown]> = {
  description: ['description', (v) => v],
  lang: ['lang', (v) => v],
  inReturn: ['in_return', (v) => v],
  gift: ['gift', (v: boolean) => (v ? 1 : 0)],
  status: ['status', (v) => v],
  renewedAt: ['renewed_at', (v) => v],
  expiresAt: ['expires_at', (v) => v],
  remindAt: ['remind_at', (v) => v],
  remindedAt: ['reminded_at', (v) => v],
};

/**
 * The exchange's posts in SQLite. Nearest-first: the partial index on (kind, category, latitude,
 * longitude) gives the box around the radius (the longitude is checked in the index, so only rows
 * inside the box are read), the exact haversine distance (SQLite's math functions) cuts it to
 * the circle, and only those few rows are sorted.
 */
export function sqliteExchange(db: Database): ExchangeStore {
  const insert = db.prepare(`INSERT OR IGNORE INTO exchange_posts
    (id, person_id, kind, category, description, lang, in_return, gift, cell, latitude, longitude, status, created_at, renewed_at, expires_at, remind_at, reminded_at)
    VALUES (@id, @person_id, @kind, @category, @description, @lang, @in_return, @gift, @cell, @latitude, @longitude, @status, @created_at, @renewed_at, @expires_at, @remind_at, @reminded_at)`);
  const byId = db.prepare<[string], PostRow>('SELECT * FROM exchange_posts WHERE id = ?');
  const byPerson = db.prepare<[string], PostRow>("SELECT * FROM exchange_posts WHERE person_id = ? AND status != 'hidden' ORDER BY created_at DESC, id DESC");
  const countOpen = db.prepare<[string, string], { n: number }>("SELECT count(*) AS n FROM exchange_posts WHERE person_id = ? AND status = 'open' AND expires_at > ?");
  // Why two statements: the planner picks the category index only when the category is bound.
  const distance = `(${EARTH_KM} * 2 * asin(min(1, sqrt(
      pow(sin(radians(latitude - @lat) / 2), 2) + cos(radians(@lat)) * cos(radians(latitude)) * pow(sin(radians(longitude - @lng) / 2), 2)))))`;
  const nearbyWhere = `status = 'open' AND kind = @kind AND latitude BETWEEN @minLat AND @maxLat
      AND longitude BETWEEN @minLng AND @maxLng AND expires_at > @now
      AND person_id NOT IN (SELECT value FROM json_each(@exclude))`;
  const nearbyIn = db.prepare<Record<string, unknown>, PostRow & { km: number }>(
    `SELECT *, ${distance} AS km FROM exchange_posts INDEXED BY exchange_posts_near
     WHERE category = @category AND ${nearbyWhere} AND km <= @radius ORDER BY km, renewed_at DESC, id LIMIT @limit OFFSET @offset`,
  );
  const nearbyAll = db.prepare<Record<string, unknown>, PostRow & { km: number }>(
    `SELECT *, ${distance} AS km FROM exchange_posts INDEXED BY exchange_posts_near_all
     WHERE ${nearbyWhere} AND km <= @radius ORDER BY km, renewed_at DESC, id LIMIT @limit OFFSET @offset`,
  );
  const due = db.prepare<[string, number], PostRow>(
    "SELECT * FROM exchange_posts WHERE status = 'open' AND reminded_at IS NULL AND remind_at <= ? ORDER BY remind_at, id LIMIT ?",
  );
  const purge = db.prepare('DELETE FROM exchange_posts WHERE id IN (SELECT id FROM exchange_posts WHERE expires_at < ? LIMIT ?)');
  const translationsOf = db.prepare<[string, string], { lang: string; text: string }>(
    'SELECT lang, text FROM exchange_post_translations WHERE post_id = ? AND lang IN (SELECT value FROM json_each(?))',
  );
  const putTranslation = db.prepare('INSERT OR REPLACE INTO exchange_post_translations (post_id, lang, text, created_at) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM exchange_posts WHERE id = ?)');
  const forOrg = db.prepare<[string, number], PostRow>(
    `SELECT p.* FROM exchange_posts p WHERE p.person_id IN (SELECT person_id FROM contacts WHERE org_id = ? AND person_id IS NOT NULL)
     ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
  );
  const oneForOrg = db.prepare<[string, string], PostRow>(
    'SELECT p.* FROM exchange_posts p WHERE p.id = ? AND p.person_id IN (SELECT person_id FROM contacts WHERE org_id = ? AND person_id IS NOT NULL)',
  );
  const deletePostsOf = db.prepare('DELETE FROM exchange_posts WHERE person_id = ?');
  const wordsOf = db.prepare<[string], { description: string | null; in_return: string | null; translated: string | null }>(
    `SELECT p.description, p.in_return, t.text AS translated FROM exchange_posts p LEFT JOIN exchange_post_translations t ON t.post_id = p.id WHERE p.person_id = ?`,
  );
  const scrubShown = db.prepare('DELETE FROM webchat_history WHERE instr(entry, ?) > 0');
  const eraseByPerson = db.transaction((personId: string): number => {
    // Search results a web chat page was shown hold the poster's words (and their translations):
    // those entries of readers' pages go with the poster.
    for (const phrase of shownPhrases(wordsOf.all(personId))) scrubShown.run(phrase);
    return deletePostsOf.run(personId).changes;
  });
  const dropTranslations = db.prepare('DELETE FROM exchange_post_translations WHERE post_id = ?');
  const patch = db.transaction((id: string, sets: string[], params: Record<string, unknown>, reworded: boolean) => {
    if (sets.length > 0) db.prepare(`UPDATE exchange_posts SET ${sets.join(', ')} WHERE id = @id`).run(params);
    // New words: translations of the old ones must not be shown (nor kept).
    if (reworded) dropTranslations.run(id);
  });

  return {
    async create(post) {
      insert.run({
        id: post.id,
        person_id: post.personId,
        kind: post.kind,
        category: post.category,
        description: post.description,
        lang: post.lang,
        in_return: post.inReturn,
        gift: post.gift ? 1 : 0,
        cell: post.cell,
        latitude: post.latitude,
        longitude: post.longitude,
        status: post.status,
        created_at: post.createdAt,
        renewed_at: post.renewedAt,
        expires_at: post.expiresAt,
        remind_at: post.remindAt,
        reminded_at: post.remindedAt,
      });
    },
    async get(id) {
      const row = byId.get(id);
      return row ? hydrate(row) : null;
    },
    async listByPerson(personId) {
      return byPerson.all(personId).map(hydrate);
    },
    async countOpen(personId, now) {
      return countOpen.get(personId, now.toISOString())!.n;
    },
    async update(id, changes) {
      const sets: string[] = [];
      const params: Record<string, unknown> = { id };
      for (const [field, value] of Object.entries(changes) as [keyof PostPatch, never][]) {
        if (value === undefined) continue;
        const [column, encode] = COLUMNS[field];
        sets.push(`${column} = @${column}`);
        params[column] = encode(value);
      }
      patch(id, sets, params, changes.description !== undefined || changes.inReturn !== undefined);
      const row = byId.get(id);
      return row ? hydrate(row) : null;
    },
    async nearby(q) {
      const dLat = q.radiusKm / KM_PER_DEGREE;
      // Why the clamp: near the poles a degree of longitude shrinks to nothing.
      const dLng = q.radiusKm / (KM_PER_DEGREE * Math.max(0.01, Math.cos((q.latitude * Math.PI) / 180)));
      const params = {
        lat: q.latitude,
        lng: q.longitude,
        minLat: q.latitude - dLat,
        maxLat: q.latitude + dLat,
        minLng: q.longitude - dLng,
        maxLng: q.longitude + dLng,
        radius: q.radiusKm,
        kind: q.kind,
        now: q.now.toISOString(),
        exclude: JSON.stringify(q.excludePersonIds),
        limit: q.limit,
        offset: q.offset,
        ...(q.category === null ? {} : { category: q.category }),
      };
      const rows = q.category === null ? nearbyAll.all(params) : nearbyIn.all(params);
      return rows.map((row) => ({ post: hydrate(row), km: row.km }));
    },
    async dueReminders(now, limit) {
      return due.all(now.toISOString(), limit).map(hydrate);
    },
    async purgeExpired(before, limit) {
      return purge.run(before.toISOString(), limit).changes;
    },
    async translations(postId, langs) {
      return new Map(translationsOf.all(postId, JSON.stringify(langs)).map((r) => [r.lang, r.text]));
    },
    async putTranslation(postId, lang, text, at) {
      putTranslation.run(postId, lang, text, at.toISOString(), postId);
    },
    async listForOrganisation(orgId, { limit }) {
      return forOrg.all(orgId, limit).map(hydrate);
    },
    async getForOrganisation(orgId, id) {
      const row = oneForOrg.get(id, orgId);
      return row ? hydrate(row) : null;
    },
    async eraseByPerson(personId) {
      return eraseByPerson(personId);
    },
  };
}
