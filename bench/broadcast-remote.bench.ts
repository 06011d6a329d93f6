/**
 * bench:broadcast:remote — one NGO broadcast to N imported WhatsApp Cloud contacts in 8
 * languages at Meta's higher throughput tier (1,000 messages/s), with the Graph API and DeepL
 * fakes in a child process so that the CPU figure is Passerelle's alone. The bulk lane gets the
 * whole channel rate here (RATE_BULK_SHARE=1: nobody chats during the run). Every recipient has
 * a recent inbound message (reach.recordInbound), so their 24-hour windows are open.
 * Prints wall time against the rate-limit lower bound N/rate (goal: ratio <= 1.1), CPU per
 * message (goal <= 0.3 ms), duplicates at the fake (must be 0) and peak RSS.
 *
 *   npm run bench:broadcast:remote                       10,000 recipients, 1,000 messages/s
 *   BENCH_RECIPIENTS=2000 BENCH_RATE=500 npm run bench:broadcast:remote
 *   BENCH_PROFILE=/tmp npm run bench:broadcast:remote     also writes a CPU profile of the broadcast
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import { KeepAliveJsonClient } from '../adapters/http-client/keep-alive-json-client.ts';
import { silentLogger } from '../core/ports/logger.port.ts';
import { startChild } from './child.ts';
import type { RemoteCounts } from './loopback-fakes.child.ts';
import { BENCH_BROADCAST, BENCH_ORG, seedContacts } from './seed-contacts.ts';

const RECIPIENTS = Number(process.env['BENCH_RECIPIENTS'] ?? 10_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 1_000);
const BULK_SHARE = process.env['BENCH_BULK_SHARE'] ?? '1';
const LANGS = ['ar', 'fa', 'ps', 'uk', 'so', 'tr', 'fr', 'es'];

/** CPU milliseconds of the main thread and of the others (V8's GC and compiler threads, libuv's pool), where Linux tells. */
function threadCpuMs(): { main: number; others: number } | null {
  if (!existsSync('/proc/self/task')) return null;
  const tick = 10; // USER_HZ is 100 on Linux
  let main = 0;
  let others = 0;
  for (const task of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    } catch {
      continue; // the thread ended since the listing
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * tick;
    if (Number(task) === process.pid) main += ms;
    else others += ms;
  }
  return { main, others };
}

/**
 * The reference: the same number of Graph sends, at the same rate and concurrency, by the HTTP
 * client alone (the keep-alive client the product uses, nothing around it), after the broadcast.
 * Its CPU is the floor under Passerelle's figure on this machine.
 */
async function bareClientCpuMs(endpoint: string): Promise<{ cpuMs: number; failed: number }> {
  // The app's garbage is not the client's: collected before the clock starts.
  (globalThis as { gc?: () => void }).gc?.();
  const client = new KeepAliveJsonClient(endpoint, { maxSockets: 16 });
  const post = (n: number) =>
    client.post({ authorization: 'Bearer bench-token' }, { messaging_product: 'whatsapp', recipient_type: 'individual', to: String(990_000_000_000 + n), type: 'text', text: { body: 'Food distribution tomorrow at 10:00.' } });
  const before = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  let inFlight = 0;
  let failed = 0;
  await new Promise<void>((resolve) => {
    if (RECIPIENTS === 0) return resolve();
    let done = 0;
    const settled = (): void => {
      inFlight--;
      if (++done === RECIPIENTS) {
        clearInterval(clock);
        resolve();
      } else pump();
    };
    const pump = (): void => {
      const due = Math.min(RECIPIENTS, Math.floor(((performance.now() - started) / 1000) * RATE));
      while (sent < due && inFlight < 16) {
        inFlight++;
        void post(sent++).then((answer) => (failed += answer.status === 200 ? 0 : 1), () => failed++).finally(settled);
      }
    };
    const clock = setInterval(pump, 5);
  });
  const cpu = process.cpuUsage(before);
  client.close();
  return { cpuMs: (cpu.user + cpu.system) / 1000, failed };
}

let peakRss = 0;
// The bench's own watching (this sampler, the status poll below) runs in the measured process: kept sparse.
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
const load = loadavg()[0]!.toFixed(2);

const fakes = await startChild<{ url: string }>('./loopback-fakes.child.ts');
const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-broadcast-remote-'));
const app = await createApp(
  loadConfig({
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    WHATSAPP_CLOUD_TOKEN: 'bench-token',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_CLOUD_APP_SECRET: 'bench-secret',
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'bench-verify',
    GRAPH_API_URL: `${fakes.ready.url}/v23.0`,
    DEEPL_AUTH_KEY: 'bench-key:fx',
    DEEPL_SERVER_URL: fakes.ready.url,
    RATE_WHATSAPP_CLOUD: String(RATE),
    RATE_BULK_SHARE: BULK_SHARE,
    DISPATCH_CONCURRENCY: process.env['DISPATCH_CONCURRENCY'] ?? '16',
  }),
  // A 100 ms scheduler tick, so that the 'done' transition is seen soon after the last send.
  { logger: silentLogger, tickMs: 100 },
);

const seedStarted = performance.now();
await seedContacts(app, { recipients: RECIPIENTS, channels: ['whatsapp-cloud'], langs: LANGS, serviceUrl: fakes.ready.url });
const seedSeconds = (performance.now() - seedStarted) / 1000;
const rssBefore = process.memoryUsage().rss;

// BENCH_PROFILE=<dir>: a CPU profile of this process during the measured broadcast.
const profileDir = process.env['BENCH_PROFILE'];
const profiler = profileDir ? new (await import('node:inspector/promises')).Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const threadsBefore = threadCpuMs();
const cpuBefore = process.cpuUsage();
const fakesCpuBefore = (await fakes.ask<RemoteCounts>('counts')).cpu;
const startedAt = Date.now();
const started = performance.now();
const { broadcast } = await app.broadcasts.create(BENCH_BROADCAST);
await app.start();
for (;;) {
  if ((await app.store.broadcasts.get(BENCH_ORG.id, broadcast.id))?.status === 'done') break;
  await new Promise((r) => setTimeout(r, 50));
}
const wall = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const threadsAfter = threadCpuMs();
if (profiler) {
  writeFileSync(join(profileDir!, 'broadcast-remote.cpuprofile'), JSON.stringify((await profiler.post('Profiler.stop')).profile));
  profiler.disconnect();
}
clearInterval(sampler);
const counts = await fakes.ask<RemoteCounts>('counts');
const stats = await app.store.outbox.stats(broadcast.id);
await app.close();
const bare = await bareClientCpuMs(`${fakes.ready.url}/v23.0/1234567890/messages`);
await fakes.close();
rmSync(dir, { recursive: true, force: true });

const bound = RECIPIENTS / RATE;
const cpuMs = (cpu.user + cpu.system) / 1000;
const fakesCpuMs = (counts.cpu.user + counts.cpu.system - fakesCpuBefore.user - fakesCpuBefore.system) / 1000;
const sendSeconds = (counts.lastAt - counts.firstAt) / 1000;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(`bench:broadcast:remote  ${RECIPIENTS} WhatsApp Cloud recipients, ${LANGS.length} languages, ${RATE} messages/s (RATE_BULK_SHARE=${BULK_SHARE}); fakes in child process ${fakes.pid}`);
console.log(`  ${cpus().length} cores, load average ${load} at start; seeding ${seedSeconds.toFixed(1)} s (not measured)`);
console.log(`  translate requests: ${counts.translateRequests}   billed characters: ${counts.billedCharacters}`);
console.log(`  delivered: ${counts.whatsappCloud} to ${counts.recipients} recipients   duplicates: ${counts.duplicates}   statuses: ${JSON.stringify(stats.byStatus)}`);
console.log(`  first message after ${((counts.firstAt - startedAt) / 1000).toFixed(2)} s, last after ${((counts.lastAt - startedAt) / 1000).toFixed(2)} s (${(counts.whatsappCloud / sendSeconds).toFixed(0)} messages/s in between)`);
console.log(`  wall time to 'done': ${wall.toFixed(2)} s   rate-limit lower bound: ${bound.toFixed(2)} s   ratio: ${(wall / bound).toFixed(3)} (goal <= 1.1: ${wall / bound <= 1.1 ? 'met' : 'NOT met'})`);
console.log(`  CPU, Passerelle's process only (all its threads, GC and compiler included; user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s): ${(cpuMs / 1000).toFixed(2)} s = ${(cpuMs / RECIPIENTS).toFixed(3)} ms per message (goal <= 0.3 ms: ${cpuMs / RECIPIENTS <= 0.3 ? 'met' : 'NOT met'});  fakes' process: ${(fakesCpuMs / RECIPIENTS).toFixed(3)} ms per message`);
if (threadsBefore && threadsAfter) {
  const perMessage = (ms: number) => (ms / RECIPIENTS).toFixed(3);
  console.log(`    of which the main thread ${perMessage(threadsAfter.main - threadsBefore.main)} ms, the other threads (GC, compiler, I/O pool) ${perMessage(threadsAfter.others - threadsBefore.others)} ms per message`);
}
console.log(
  `  reference: the HTTP client alone, the same ${RECIPIENTS} sends at the same rate: ${(bare.cpuMs / RECIPIENTS).toFixed(3)} ms per message (Passerelle ${(cpuMs / bare.cpuMs).toFixed(2)}x that)${bare.failed > 0 ? `, ${bare.failed} failed` : ''}`,
);
if (profiler) console.log('  (profiled: the figures include the profiler)');
console.log(`  memory: peak RSS ${mb(peakRss)} (before the broadcast ${mb(rssBefore)})`);
