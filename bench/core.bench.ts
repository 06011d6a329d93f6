/**
 * bench:core — many simulated people through the dialog runtime, the pipeline and the SQLite
 * store (a real WAL file), in one process. Prints messages per second and p50/p99 latency.
 * Goal: at least 2,000 messages/s on one core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import type { InboundContent } from '../core/messages.ts';
import { silentLogger } from '../core/ports/logger.port.ts';

const USERS = Number(process.env['BENCH_USERS'] ?? 2000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 64);

// One person's whole onboarding, then a few menu turns and a language change.
const script: InboundContent[] = [
  { type: 'start' },
  { type: 'text', text: 'Français' },
  { type: 'choice', choiceId: 'agree' },
  { type: 'choice', choiceId: 'newcomer' },
  { type: 'text', text: 'Amina' },
  { type: 'location', latitude: 45.76, longitude: 4.83 },
  { type: 'text', text: '2' },
  { type: 'text', text: 'aide' },
  { type: 'text', text: 'langue' },
  { type: 'text', text: 'العربية' },
];

const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-'));
const app = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), { logger: silentLogger });
const latencies: number[] = [];
let next = 0;
let messageId = 0;

async function person(index: number): Promise<void> {
  for (const content of script) {
    const started = performance.now();
    const replies = await app.pipeline.handle({
      id: `bench-${++messageId}`,
      from: { channel: 'webchat', id: `bench-user-${index}` },
      content,
      receivedAt: new Date(),
    });
    latencies.push(performance.now() - started);
    if (replies.length === 0) throw new Error('a turn produced no reply');
  }
}

async function worker(): Promise<void> {
  while (next < USERS) await person(next++);
}

const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2);
const people = (await app.store.people.findByAddress({ channel: 'webchat', id: 'bench-user-0' })) ? 'ok' : 'MISSING';
await app.close();
rmSync(dir, { recursive: true, force: true });

const rate = latencies.length / seconds;
console.log(`bench:core  ${USERS} people x ${script.length} messages = ${latencies.length} messages, ${CONCURRENCY} people at a time`);
console.log(`  store: SQLite file (WAL)   people stored: ${people}`);
console.log(`  throughput: ${rate.toFixed(0)} messages/s   (wall ${seconds.toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`);
console.log(`  latency per message: p50 ${pct(50)} ms   p99 ${pct(99)} ms   max ${latencies.at(-1)!.toFixed(2)} ms`);
console.log(`  goal >= 2000 messages/s on one core: ${rate >= 2000 ? 'met' : 'NOT met'}`);
