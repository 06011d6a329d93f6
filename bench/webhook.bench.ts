/**
 * bench:webhook — the Telegram webhook path of Passerelle against a bare telegraf echo bot, on
 * the same loopback fake Bot API and the same load generator, in one run. Each server runs in
 * its own child process; this process runs the fake Bot API (test/fakes) and autocannon. Every
 * request is a new person (unique update_id, chat and user id). Prints both rates, p50/p99 and
 * the ratio. Goal: Passerelle within 2x of the bare bot.
 *
 *   npm run bench:webhook                        10 s per server, 16 connections
 *   BENCH_DURATION=20 BENCH_CONNECTIONS=32 npm run bench:webhook
 */
import { cpus, loadavg } from 'node:os';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { startFakeBotApi } from '../test/fakes/telegram-bot-api.ts';
import { startChild } from './child.ts';

const DURATION = Number(process.env['BENCH_DURATION'] ?? 10);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 2);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
const SECRET = 'bench-webhook-secret';

const api = await startFakeBotApi();
let person = 0;

/** One new person per request: their first message, as Telegram would post it. */
function nextUpdate(): string {
  const n = ++person;
  const id = 600_000_000 + n;
  const from = { id, is_bot: false, first_name: 'Bench', language_code: 'en' };
  return JSON.stringify({
    update_id: 900_000_000 + n,
    message: { message_id: 1, from, chat: { id, first_name: 'Bench', type: 'private' }, date: Math.floor(Date.now() / 1000), text: 'hello' },
  });
}

const request: AutocannonRequest = {
  method: 'POST',
  path: '/webhooks/telegram',
  headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
  setupRequest: (req) => ({ ...req, body: nextUpdate() }),
};

interface Measured {
  readonly name: string;
  readonly result: AutocannonResult;
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly repliedChats: number;
  readonly drainSeconds: number;
}

type Cpu = { cpu: NodeJS.CpuUsage; rss: number };

async function measure(name: string, server: 'echo' | 'passerelle'): Promise<Measured> {
  const child = await startChild<{ port: number }>('./webhook-server.child.ts', { BENCH_SERVER: server, BENCH_TOKEN: api.token, BENCH_API_ROOT: api.apiRoot, BENCH_SECRET: SECRET });
  const url = `http://127.0.0.1:${child.ready.port}`;
  if (WARMUP > 0) await autocannon({ url, connections: CONNECTIONS, duration: WARMUP, requests: [request] });
  const firstPerson = person + 1;
  const before = await child.ask<Cpu>('cpu');
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, requests: [request] });
  const after = await child.ask<Cpu>('cpu');
  // Passerelle answers the webhook once the turn is stored; its reply leaves through the outbox
  // just after. Count the people who got a reply, waiting for the last ones.
  const ended = performance.now();
  // Incremental: the fake asks after every request, and a scan of every call each time would
  // make the fake itself the bottleneck of the replies still to come.
  const replied = new Set<unknown>();
  let scanned = 0;
  const repliedIn = (): number => {
    const calls = api.calls;
    for (; scanned < calls.length; scanned++) {
      const c = calls[scanned]!;
      if (c.method === 'sendMessage' && c.status === 200 && Number(c.body['chat_id']) - 600_000_000 >= firstPerson) replied.add(c.body['chat_id']);
    }
    return replied.size;
  };
  await api.until(() => repliedIn() >= result['2xx'], 30_000, 'replies').catch(() => undefined);
  const drainSeconds = (performance.now() - ended) / 1000;
  const repliedChats = repliedIn();
  await child.close();
  const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
  return { name, result, cpuMs, rssMb: after.rss / 1024 / 1024, repliedChats, drainSeconds };
}

const load = loadavg()[0]!.toFixed(2);
const echo = await measure('bare telegraf echo', 'echo');
const passerelle = await measure('Passerelle', 'passerelle');
await api.close();

console.log(`bench:webhook  POST /webhooks/telegram, one new person per request, ${CONNECTIONS} connections, ${DURATION} s each (after ${WARMUP} s warm-up)`);
console.log(`  servers in child processes; fake Bot API and autocannon in the bench process; ${cpus().length} cores, load average ${load} at start`);
for (const m of [echo, passerelle]) {
  const r = m.result;
  const failures = r.non2xx + r.errors + r.timeouts;
  console.log(
    `  ${m.name.padEnd(20)} ${r.requests.average.toFixed(0).padStart(6)} req/s   latency p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms   ` +
      `2xx ${r['2xx']}  failed ${failures}   people replied ${m.repliedChats} (last ${m.drainSeconds.toFixed(2)} s after the load)   ` +
      `server CPU ${(m.cpuMs / r['2xx']).toFixed(3)} ms/request, RSS ${m.rssMb.toFixed(0)} MB`,
  );
}
const ratio = echo.result.requests.average / passerelle.result.requests.average;
console.log(`  ratio bare/Passerelle: ${ratio.toFixed(2)}x   goal <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'}`);
