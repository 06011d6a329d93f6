/**
 * bench:import — CSV imports through `POST /api/contacts/import` on loopback while a probe asks
 * `/healthz`: several organisations upload at once (streamed, one import per organisation),
 * plus one extra upload for an organisation already importing (must get 409). Prints rows/s,
 * peak RSS and the slowest /healthz (goals: RSS under 250 MB, /healthz under 200 ms).
 *
 *   npm run bench:import                                   8 uploads of 50,000 rows
 *   BENCH_IMPORTS=2 BENCH_ROWS=500000 npm run bench:import  two ~20 MB files
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import { newApiKey } from '../adapters/http/org-auth.ts';
import { silentLogger } from '../core/ports/logger.port.ts';
import { printProbe, startProbe } from './load-probe.ts';

const IMPORTS = Number(process.env['BENCH_IMPORTS'] ?? 8);
const ROWS = Number(process.env['BENCH_ROWS'] ?? 50_000);
const LANGS = ['ar', 'fa', 'ps', 'uk', 'so', 'tr', 'fr', 'es'];

/** A CSV file generated as it is sent, so no file is held in memory. */
function csvBody(org: number): Readable {
  return Readable.from(
    (function* () {
      yield 'first_name,phone,language,channel,tags\n';
      let lines: string[] = [];
      for (let i = 0; i < ROWS; i++) {
        lines.push(`Amina Haddad,+336${String(10_000_000 + org * 1_000_000 + i)},${LANGS[i % LANGS.length]},whatsapp,paris;food\n`);
        if (lines.length === 1000) {
          yield lines.join('');
          lines = [];
        }
      }
      yield lines.join('');
    })(),
  );
}

function upload(port: number, apiKey: string, body: Readable): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/contacts/import', agent: false, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' } },
      (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
}

// The uploading side runs in a child process: generating and sending 8 files is CPU work that
// must not be counted against the server's event loop or memory.
if (process.argv[2] === '--upload') {
  const [port, ...keys] = process.argv.slice(3);
  const uploads = keys.map((key, i) => upload(Number(port), key, csvBody(i)));
  await new Promise((resolve) => setTimeout(resolve, 200));
  // While the first organisation's import runs, a second upload for it must be refused.
  const second = await upload(Number(port), keys[0]!, Readable.from(['first_name,phone,language,channel\nAmina,+33612345678,ar,whatsapp\n']));
  process.stdout.write(JSON.stringify({ second: second.status, results: await Promise.all(uploads) }));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-import-'));
const app = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', HOST: '127.0.0.1' }), { logger: silentLogger });
const keys: string[] = [];
for (let i = 0; i < IMPORTS; i++) {
  const { key, hash } = newApiKey();
  keys.push(key);
  await app.store.organisations.create({ id: `org-${i}`, name: `NGO ${i}`, code: `ngo${i}`, lang: 'en', createdAt: new Date().toISOString(), apiKeyHash: hash, telegramChannelId: null, staffChatId: null, linkCode: null, glossary: {} });
}
const server = app.http.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

console.log(`bench:import  ${IMPORTS} concurrent uploads of ${ROWS.toLocaleString('en')} rows, SQLite, Node ${process.version}`);
const probe = startProbe(port);
const started = performance.now();
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--upload', String(port), ...keys], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
await once(child, 'exit');
const { second, results } = JSON.parse(out) as { second: number; results: { status: number; body: string }[] };
const seconds = (performance.now() - started) / 1000;
const report = await probe.stop();

const created = results.reduce((sum, r) => sum + ((JSON.parse(r.body) as { created?: number }).created ?? 0), 0);
console.log(`uploads             ${results.map((r) => r.status).join(' ')}; second upload for one organisation: ${second} (expected 409)`);
console.log(`contacts created    ${created.toLocaleString('en')} in ${seconds.toFixed(1)} s (${Math.round(created / seconds).toLocaleString('en')} rows/s)`);
printProbe(report);

server.close();
await app.close();
rmSync(dir, { recursive: true, force: true });
