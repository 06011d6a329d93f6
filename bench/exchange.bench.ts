/**
 * bench:exchange — nearest-first search of the exchange on SQLite: 100,000 open posts spread over
 * a country-sized area (mainland France's bounding box, about 1,000 km across), then the nearest
 * 10 of one category within a radius around random points. Prints p50/p95/p99 per radius.
 * Goal: p95 at most 20 ms on one core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellOf } from '../bots/common/places/coarse-place.ts';
import { CATEGORIES } from '../bots/exchange/categories.ts';
import { lifeFrom } from '../bots/exchange/post-life.ts';
import { openSqliteStore } from '../adapters/sqlite/sqlite-store.ts';

const POSTS = Number(process.env['BENCH_POSTS'] ?? 100_000);
const QUERIES = Number(process.env['BENCH_QUERIES'] ?? 2_000);
const PEOPLE = 20_000;
const BOX = { south: 42.5, north: 51.0, west: -4.5, east: 8.0 };

// A fixed pseudo-random sequence, so that every run measures the same data and queries.
let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const inBox = () => ({ latitude: BOX.south + random() * (BOX.north - BOX.south), longitude: BOX.west + random() * (BOX.east - BOX.west) });

const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-exchange-'));
const store = openSqliteStore(join(dir, 'bench.sqlite'));
const now = new Date('2026-11-28T10:00:00Z');
const life = lifeFrom(now);

const seeding = performance.now();
const insertPerson = store.db.prepare(
  "INSERT INTO people (id, role, role_status, lang, first_name, place, consent, org_id, subscribed, created_at, updated_at) VALUES (?, 'newcomer', 'active', 'fr', ?, NULL, '{}', NULL, 1, ?, ?)",
);
const insertPost = store.db.prepare(`INSERT INTO exchange_posts
  (id, person_id, kind, category, description, lang, in_return, gift, cell, latitude, longitude, status, created_at, renewed_at, expires_at, remind_at, reminded_at)
  VALUES (?, ?, ?, ?, ?, 'fr', NULL, 1, ?, ?, ?, 'open', ?, ?, ?, ?, NULL)`);
store.db.transaction(() => {
  for (let i = 0; i < PEOPLE; i++) insertPerson.run(`p${i}`, `Person${i}`, now.toISOString(), now.toISOString());
  for (let i = 0; i < POSTS; i++) {
    const point = inBox();
    // Posts sit at their cell's centre, as the product stores them.
    const cell = cellOf(point.latitude, point.longitude);
    insertPost.run(`post${i}`, `p${i % PEOPLE}`, random() < 0.5 ? 'offer' : 'need', CATEGORIES[i % CATEGORIES.length], `Post ${i}`, cell.cell, cell.latitude, cell.longitude, now.toISOString(), life.renewedAt, life.expiresAt, life.remindAt);
  }
})();
store.db.exec('ANALYZE');
const seededMs = performance.now() - seeding;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

console.log(`bench:exchange: ${POSTS.toLocaleString('en')} open posts over ${BOX.north - BOX.south}° x ${BOX.east - BOX.west}° (seeded in ${(seededMs / 1000).toFixed(1)} s), ${QUERIES} queries per row`);
console.log('radius  category  p50 ms  p95 ms  p99 ms  mean hits');
for (const [radiusKm, category] of [
  [5, true],
  [10, true],
  [25, true],
  [50, true],
  [25, false],
  [50, false],
] as const) {
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < QUERIES; i++) {
    const at = inBox();
    const started = performance.now();
    const found = await store.exchange.nearby({
      ...at,
      radiusKm,
      kind: 'offer',
      category: category ? CATEGORIES[i % CATEGORIES.length]! : null,
      now,
      excludePersonIds: ['p1', 'p2'],
      limit: 10,
      offset: 0,
    });
    times.push(performance.now() - started);
    hits += found.length;
  }
  times.sort((a, b) => a - b);
  const row = [`${radiusKm} km`.padEnd(6), (category ? 'one' : 'all').padEnd(8), ...[50, 95, 99].map((p) => percentile(times, p).toFixed(2).padStart(6)), (hits / QUERIES).toFixed(1).padStart(9)];
  console.log(row.join('  '));
}
const plan = store.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM exchange_posts INDEXED BY exchange_posts_near WHERE status = 'open' AND kind = 'offer' AND category = 'plumbing' AND latitude BETWEEN 45 AND 46").all() as { detail: string }[];
console.log(`plan: ${plan.map((p) => p.detail).join('; ')}`);
console.log('goal: p95 <= 20 ms (nearest 10 of one category)');
await store.close();
rmSync(dir, { recursive: true, force: true });
