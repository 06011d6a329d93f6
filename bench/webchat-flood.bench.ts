/**
 * bench:webchat — one client floods the public web chat API on loopback, each request from a
 * new anonymous user id (what an attacker does to fill the disk), while a probe asks
 * `/healthz`. Prints requests/s, how many got 429, the rows and bytes the store kept, peak RSS
 * and the slowest /healthz (goals: RSS under 250 MB, /healthz under 200 ms; rows bounded by
 * the rate limit, not by the flood).
 *
 *   npm run bench:webchat                         10 s, 32 connections
 *   BENCH_SECONDS=30 BENCH_CONNECTIONS=64 npm run bench:webchat
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import { silentLogger } from '../core/ports/logger.port.ts';
import { printProbe, startProbe } from './load-probe.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);

/** One POST as a brand-new visitor; resolves with the status. */
function visit(port: number, agent: Agent): Promise<number> {
  const body = JSON.stringify({ userId: `flood-${randomUUID()}`, start: true });
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/webchat/messages', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

// The flooding client runs in a child process, so that its own work is not charged to the server.
if (process.argv[2] === '--flood') {
  const port = Number(process.argv[3]);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const statuses = new Map<number, number>();
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const status = await visit(port, agent);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  process.stdout.write(JSON.stringify(Object.fromEntries(statuses)));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-webchat-'));
const app = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), { logger: silentLogger });
const server = app.http.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;
const db = (app.store as unknown as { db: Database.Database }).db;
const bytes = () => ['passerelle.sqlite', 'passerelle.sqlite-wal'].reduce((sum, f) => sum + (statSync(join(dir, f), { throwIfNoEntry: false })?.size ?? 0), 0);
const bytesBefore = bytes();

console.log(`bench:webchat  ${SECONDS} s flood from one client, ${CONNECTIONS} connections, a new user id per request, Node ${process.version}`);
const probe = startProbe(port);
const started = performance.now();
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--flood', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
await once(child, 'exit');
const seconds = (performance.now() - started) / 1000;
const report = await probe.stop();
const statuses = JSON.parse(out) as Record<string, number>;
const total = Object.values(statuses).reduce((a, b) => a + b, 0);
const rows = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

console.log(`requests            ${total.toLocaleString('en')} (${Math.round(total / seconds).toLocaleString('en')}/s): ${Object.entries(statuses).map(([s, n]) => `${s}: ${n}`).join(', ')}`);
console.log(`stored              ${rows('conversations')} conversations, ${rows('reach')} reach rows, ${rows('inbound_ledger')} ledger rows; +${Math.round((bytes() - bytesBefore) / 1024)} KB on disk (file and WAL)`);
printProbe(report);

server.close();
await app.close();
rmSync(dir, { recursive: true, force: true });
