/**
 * bench:busy — another process holds the SQLite write lock for a while (a backup, a CLI
 * import, a second server) while people use the web chat and the broadcast loops run; a probe
 * asks `/healthz` throughout. Prints how requests were answered (503 `busy` while locked, not a
 * frozen server), peak RSS and the slowest /healthz (goal under 200 ms).
 *
 *   npm run bench:busy                    a 5 s lock
 *   BENCH_LOCK_SECONDS=20 npm run bench:busy
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import { silentLogger } from '../core/ports/logger.port.ts';
import { printProbe, startProbe } from './load-probe.ts';

const LOCK_SECONDS = Number(process.env['BENCH_LOCK_SECONDS'] ?? 5);

function say(port: number, userId: string): Promise<number> {
  const body = JSON.stringify({ userId, start: true });
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/webchat/messages', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-busy-'));
const file = join(dir, 'passerelle.sqlite');
const app = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', WEBCHAT_RATE_PER_MINUTE: '100000' }), { logger: silentLogger });
await app.start();
const server = app.http.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;

console.log(`bench:busy  another process holds the SQLite write lock for ${LOCK_SECONDS} s; web chat requests every 50 ms; Node ${process.version}`);
const probe = startProbe(port);
// The lock holder is its own process, as a backup or a second server would be.
const holder = spawn(
  process.execPath,
  ['-e', `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); db.exec('INSERT INTO store_probe (id) VALUES (7)'); process.stdout.write('locked'); setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, ${LOCK_SECONDS * 1000});`],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await once(holder.stdout, 'data');
const statuses = new Map<number, number>();
let n = 0;
const load = (async () => {
  while (holder.exitCode === null) {
    const status = await say(port, `busy-bench-user-${++n}`);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
})();
await once(holder, 'exit');
await load;
const after = await say(port, 'busy-bench-after');
const report = await probe.stop();

console.log(`web chat during    ${[...statuses].map(([s, c]) => `${s}: ${c}`).join(', ')} (503 = "busy, try again"); after the lock: ${after}`);
printProbe(report);

server.close();
await app.close();
rmSync(dir, { recursive: true, force: true });
