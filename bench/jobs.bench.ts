/**
 * bench:jobs — 50,000 candidate profiles and 5,000 open jobs in SQLite (a real WAL file):
 * "jobs for me" for one profile (the store's prefilter, exact scoring of every candidate, the
 * page of five read back), p50/p95 over many profiles (goal p95 at most 50 ms); then the alert
 * fan-out for one new job (profiles scored per second, notices queued).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../adapters/sqlite/sqlite-store.ts';
import { JobBoard } from '../bots/jobs/job-board.ts';
import { jobsFor } from '../bots/jobs/jobs-for-me.ts';
import { boxAround, MAX_TRAVEL_KM } from '../bots/jobs/matching.ts';
import { OCCUPATIONS } from '../bots/jobs/occupations.ts';
import { PAGE_SIZE } from '../bots/jobs/jobs.effects.ts';
import { loadLocales } from '../bots/locales.ts';
import { createTextRenderer } from '../core/i18n/text-renderer.ts';
import { CEFR_LEVELS, CONTRACT_TYPES, type Job, type Profile } from '../core/ports/jobs.port.ts';
import { silentLogger } from '../core/ports/logger.port.ts';
import type { NewOutboxMessage } from '../core/ports/outbox.port.ts';
import { TranslationService } from '../core/translation/translation-service.ts';

const PROFILES = Number(process.env['BENCH_PROFILES'] ?? 50_000);
const JOBS = Number(process.env['BENCH_JOBS'] ?? 5_000);
const QUERIES = Number(process.env['BENCH_QUERIES'] ?? 300);

// Deterministic: the same data on every run.
let seed = 42;
/** mulberry32: small, fast, and exact in 32-bit integer arithmetic. */
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
/** Twenty French towns where jobs and people are. */
const TOWNS = [
  [48.857, 2.352], [45.764, 4.836], [43.297, 5.37], [43.605, 1.444], [43.71, 7.262], [47.218, -1.554], [48.573, 7.752], [43.611, 3.877], [44.838, -0.579], [50.629, 3.057],
  [48.117, -1.678], [49.258, 4.032], [45.188, 5.724], [47.322, 5.041], [47.39, 0.689], [45.777, 3.087], [43.125, 5.93], [49.443, 1.1], [47.902, 1.909], [48.692, 6.184],
] as const;
const near = () => {
  const [lat, lng] = pick(TOWNS);
  return { latitude: lat + (random() - 0.5) * 0.3, longitude: lng + (random() - 0.5) * 0.4 };
};
const occupations = [...OCCUPATIONS.values()];
const levels = CEFR_LEVELS.filter((l) => l !== 'native');

const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-jobs-'));
const store = openSqliteStore(join(dir, 'bench.sqlite'));
const now = new Date('2026-12-01T09:00:00Z');
const at = now.toISOString();

// --- Seeding (not timed): people, identities and profiles in one transaction, then the jobs.
const seedStarted = performance.now();
const insertPerson = store.db.prepare(
  `INSERT INTO people (id, role, role_status, lang, first_name, place, consent, org_id, subscribed, created_at, updated_at)
   VALUES (?, 'newcomer', 'active', ?, 'Bench', NULL, '{"noticeVersion":1,"givenAt":"2026-12-01"}', NULL, 1, ?, ?)`,
);
const insertIdentity = store.db.prepare("INSERT INTO identities (channel, address, person_id) VALUES ('webchat', ?, ?)");
const profiles: Profile[] = [];
store.db.transaction(() => {
  for (let i = 0; i < PROFILES; i++) {
    const id = `p${i}`;
    insertPerson.run(id, pick(['ar', 'fa', 'ps', 'uk', 'ti', 'so', 'tr', 'fr']), at, at);
    insertIdentity.run(`bench-person-${i}`, id);
  }
})();
for (let i = 0; i < PROFILES; i++) {
  const occ = pick(occupations);
  const profile: Profile = {
    personId: `p${i}`,
    occupations: [{ occupation: { id: occ.id, text: null }, years: Math.floor(random() * 15) }],
    skills: occ.skills.filter(() => random() < 0.6),
    skillsText: null,
    languages: [{ lang: pick(['ar', 'fa', 'ps', 'uk', 'ti', 'so']), level: 'native', source: 'native' }, { lang: 'fr', level: pick(levels), source: 'self-check' }],
    education: [],
    availability: 'now',
    area: { ...near(), label: null },
    travelKm: pick([10, 20, 30, 50]),
    rightToWork: null,
    visible: random() < 0.8,
    alerts: random() < 0.5,
    lastAlertAt: null,
    updatedAt: at,
  };
  profiles.push(profile);
}
store.db.transaction(() => {
  for (const profile of profiles) void store.jobs.putProfile(profile);
})();
store.db.prepare("INSERT INTO organisations (id, name, code, lang, created_at) VALUES ('org-bench', 'Bench employer', 'bench', 'fr', ?)").run(at);
const job = (i: number): Job => {
  const occ = pick(occupations);
  const remote = random() < 0.03;
  return {
    id: `job-${i}`,
    orgId: 'org-bench',
    recruiterId: null,
    title: `Job ${i}`,
    description: 'A bench job.',
    sourceLang: 'fr',
    translations: {},
    occupation: { id: occ.id, text: null },
    place: remote ? null : { ...near(), label: null },
    placeName: null,
    remote,
    contract: pick(CONTRACT_TYPES),
    hoursPerWeek: 35,
    languages: random() < 0.8 ? [{ lang: 'fr', level: pick(['A2', 'B1', 'B2'] as const) }] : [],
    skills: occ.skills.filter(() => random() < 0.5),
    pay: null,
    closesAt: '2027-06-30T23:59:59.999Z',
    status: 'open',
    closedAt: null,
    createdAt: new Date(now.getTime() - Math.floor(random() * 30) * 86_400_000).toISOString(),
    updatedAt: at,
  };
};
store.db.transaction(() => {
  for (let i = 0; i < JOBS; i++) void store.jobs.createJob(job(i));
})();
store.db.pragma('wal_checkpoint(TRUNCATE)');
store.db.exec('ANALYZE');
const seedSeconds = (performance.now() - seedStarted) / 1000;

// --- "Jobs for me": ranking and the first page read back, as the chat does.
const latencies: number[] = [];
let shown = 0;
for (let q = 0; q < QUERIES; q++) {
  const profile = profiles[Math.floor(random() * profiles.length)]!;
  const started = performance.now();
  const ranked = await jobsFor(store.jobs, profile, now);
  for (const { job: candidate } of ranked.slice(0, PAGE_SIZE)) if (await store.jobs.getJob(candidate.id)) shown++;
  latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;

// --- Alert fan-out for one new job in Lyon: every alertable profile in range scored, notices queued.
const queued: NewOutboxMessage[] = [];
const board = new JobBoard({
  store,
  translation: new TranslationService({ primary: null, secondary: null, cache: store.translations, clock: { now: () => now }, logger: silentLogger }),
  text: createTextRenderer(loadLocales()),
  send: async (messages) => void queued.push(...messages),
  clock: { now: () => now },
  logger: silentLogger,
});
const lyonJob: Job = { ...job(JOBS), id: 'job-new', occupation: { id: 'cook', text: null }, place: { latitude: 45.764, longitude: 4.836, label: 'Lyon' }, remote: false, skills: ['cooking'], languages: [{ lang: 'fr', level: 'B1' }] };
await store.jobs.createJob(lyonJob);
const alertable = (await store.jobs.alertableProfiles(null)).length;
const inRange = (await store.jobs.alertableProfiles(boxAround(45.764, 4.836, MAX_TRAVEL_KM))).length;
const fanStarted = performance.now();
const told = await board.alert(lyonJob);
const fanSeconds = (performance.now() - fanStarted) / 1000;

console.log(`bench:jobs  ${PROFILES.toLocaleString('en')} profiles, ${JOBS.toLocaleString('en')} open jobs, SQLite (WAL)  [seeded in ${seedSeconds.toFixed(1)} s]`);
console.log(`  jobs for me   ${QUERIES} profiles: p50 ${quantile(0.5).toFixed(1)} ms, p95 ${quantile(0.95).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms (goal p95 <= 50 ms)  [${shown} jobs shown]`);
console.log(`  alert fan-out 1 new job: ${inRange.toLocaleString('en')} alertable profiles in range (of ${alertable.toLocaleString('en')}) scored in ${(fanSeconds * 1000).toFixed(0)} ms = ${Math.round(inRange / fanSeconds).toLocaleString('en')} profiles/s, ${told} notices queued`);
await store.close();
rmSync(dir, { recursive: true, force: true });
