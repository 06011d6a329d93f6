/**
 * bench:broadcast — one NGO broadcast to many recipients in 8 languages across 3 channels
 * (Telegram, WhatsApp Cloud API, Messenger) whose APIs are loopback fakes, with a fake DeepL.
 * Runs the real adapters, outbox worker and translation service on a SQLite file.
 * Prints translate requests, billed characters, wall time against the rate-limit lower bound
 * (goal: within 1.1 of it) and peak memory (goal for 100,000 recipients: under 250 MB RSS).
 *
 *   npm run bench:broadcast                       10,000 recipients, 100 messages/s per channel
 *   BENCH_RECIPIENTS=100000 npm run bench:broadcast
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import type { ChannelName } from '../core/messages.ts';
import { silentLogger } from '../core/ports/logger.port.ts';
import { startLoopbackFakes } from './loopback-fakes.ts';
import { BENCH_BROADCAST, BENCH_ORG, seedContacts } from './seed-contacts.ts';

const RECIPIENTS = Number(process.env['BENCH_RECIPIENTS'] ?? 10_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 100);
const LANGS = ['ar', 'fa', 'ps', 'uk', 'so', 'tr', 'fr', 'es'];
const CHANNELS = (process.env['BENCH_CHANNELS'] ?? 'telegram,whatsapp-cloud,messenger').split(',') as ChannelName[];

let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const sampler = setInterval(sample, 25);

const fakes = await startLoopbackFakes();
const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-broadcast-'));
const app = await createApp(
  loadConfig({
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: '7000000009:bench',
    TELEGRAM_API_ROOT: fakes.url,
    WHATSAPP_CLOUD_TOKEN: 'bench-token',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_CLOUD_APP_SECRET: 'bench-secret',
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'bench-verify',
    GRAPH_API_URL: `${fakes.url}/v23.0`,
    MESSENGER_EMULATOR: 'true',
    DEEPL_AUTH_KEY: 'bench-key:fx',
    DEEPL_SERVER_URL: fakes.url,
    RATE_TELEGRAM: String(RATE),
    RATE_WHATSAPP_CLOUD: String(RATE),
    RATE_MESSENGER: String(RATE),
    // Nobody chats during the run: the bulk lane may use the whole rate (as bench:broadcast:remote),
    // else the bound below would be the bulk share's, 0.8 of it.
    RATE_BULK_SHARE: process.env['BENCH_BULK_SHARE'] ?? '1',
    DISPATCH_CONCURRENCY: '16',
  }),
  { logger: silentLogger },
);
// Seed in batches, as an import would: the recipients never sit in memory all at once.
const seedStarted = performance.now();
const perChannel = await seedContacts(app, { recipients: RECIPIENTS, channels: CHANNELS, langs: LANGS, serviceUrl: fakes.url });
const org = BENCH_ORG;
const seedSeconds = (performance.now() - seedStarted) / 1000;
sample();
const rssBefore = process.memoryUsage().rss;

const cpuBefore = process.cpuUsage();
const started = performance.now();
const { broadcast } = await app.broadcasts.create(BENCH_BROADCAST);
app.outbox.start();
for (;;) {
  await app.broadcasts.tick();
  if ((await app.store.broadcasts.get(org.id, broadcast.id))?.status === 'done') break;
  await new Promise((r) => setTimeout(r, 100));
}
const wall = (performance.now() - started) / 1000;
// With --expose-gc: what the broadcast really keeps, as opposed to garbage not yet collected.
(globalThis as { gc?: () => void }).gc?.();
const retained = process.memoryUsage().heapUsed;
const cpu = process.cpuUsage(cpuBefore);
sample();
clearInterval(sampler);
const stats = await app.store.outbox.stats(broadcast.id);
await app.close();
await fakes.close();
rmSync(dir, { recursive: true, force: true });

const bound = Math.max(...CHANNELS.map((c) => (perChannel.get(c) ?? 0) / RATE));
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(`bench:broadcast  ${RECIPIENTS} recipients, ${LANGS.length} languages, ${CHANNELS.length} channels on loopback, ${RATE} messages/s per channel`);
console.log(`  seeding: ${seedSeconds.toFixed(1)} s (not measured below)`);
console.log(`  translate requests: ${fakes.counts.translateRequests}   billed characters: ${fakes.counts.billedCharacters}`);
console.log(`  delivered: telegram ${fakes.counts.telegram}, whatsapp-cloud ${fakes.counts.whatsappCloud}, messenger ${fakes.counts.messenger}   duplicates: ${fakes.counts.duplicates}   statuses: ${JSON.stringify(stats.byStatus)}`);
console.log(`  first message after ${((fakes.counts.firstAt - started) / 1000).toFixed(2)} s, last after ${((fakes.counts.lastAt - started) / 1000).toFixed(2)} s (${Object.entries(fakes.counts.lastByChannel).map(([c, t]) => `${c} ${((t - started) / 1000).toFixed(2)} s`).join(', ')})`);
console.log(`  CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s for ${RECIPIENTS} messages (${((cpu.user + cpu.system) / RECIPIENTS / 1000).toFixed(2)} ms each, fakes included)`);
console.log(`  wall time: ${wall.toFixed(2)} s   rate-limit lower bound: ${bound.toFixed(2)} s   ratio: ${(wall / bound).toFixed(3)} (goal <= 1.1)`);
console.log(`  memory: peak RSS ${mb(peakRss)} (before the broadcast ${mb(rssBefore)}), peak heap ${mb(peakHeap)}, heap after GC ${mb(retained)}${RECIPIENTS >= 100_000 ? `   goal < 250 MB: ${peakRss < 250 * 1024 * 1024 ? 'met' : 'NOT met'}` : ''}`);
