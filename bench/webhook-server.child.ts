/**
 * The server side of bench:webhook, in its own process so that the load generator's CPU does
 * not count against it. `BENCH_SERVER=passerelle` runs the product (createApp + app.start(),
 * Telegram in webhook mode); `BENCH_SERVER=echo` runs a bare telegraf bot that answers each text
 * with ctx.reply. Both take `POST /webhooks/telegram` with the secret header, on 127.0.0.1, and
 * tell the parent their port over IPC; 'cpu' asks for this process's CPU time, 'close' ends it.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Telegraf } from 'telegraf';
import { message } from 'telegraf/filters';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import { silentLogger } from '../core/ports/logger.port.ts';

const kind = process.env['BENCH_SERVER'];
const token = process.env['BENCH_TOKEN'] ?? '';
const apiRoot = process.env['BENCH_API_ROOT'] ?? '';
const secret = process.env['BENCH_SECRET'] ?? '';
const PATH = '/webhooks/telegram';

async function listen(server: Server): Promise<number> {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

let stop: () => Promise<void>;
let port: number;
if (kind === 'passerelle') {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-webhook-'));
  const app = await createApp(
    loadConfig({
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bench.invalid/',
      TELEGRAM_WEBHOOK_SECRET: secret,
      // The path's cost is measured, not the pacing: the bare bot has none either.
      RATE_TELEGRAM: '1000000',
    }),
    { logger: silentLogger },
  );
  const server = createServer(app.http);
  port = await listen(server);
  // getMe and setWebhook go to the fake, as in production.
  await app.start();
  stop = async () => {
    server.closeAllConnections();
    server.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  };
} else if (kind === 'echo') {
  const bot = new Telegraf(token, { telegram: { apiRoot, webhookReply: false } });
  bot.botInfo = await bot.telegram.getMe();
  bot.on(message('text'), (ctx) => ctx.reply(ctx.message.text));
  const server = createServer(bot.webhookCallback(PATH, { secretToken: secret }));
  port = await listen(server);
  stop = async () => {
    server.closeAllConnections();
    server.close();
  };
} else {
  throw new Error('BENCH_SERVER must be passerelle or echo');
}

// BENCH_PROFILE=<dir>: a CPU profile of the server during the measured load (from the first
// 'cpu' question to the second), written when it closes.
const profileDir = process.env['BENCH_PROFILE'];
const profiler = profileDir ? new (await import('node:inspector/promises')).Session() : null;
let cpuAsked = 0;
let profile: unknown = null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
}

process.on('message', (msg: unknown) => {
  if (msg === 'cpu') {
    void (async () => {
      cpuAsked++;
      if (profiler && cpuAsked === 1) await profiler.post('Profiler.start');
      if (profiler && cpuAsked === 2) profile = (await profiler.post('Profiler.stop')).profile;
      process.send?.({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
    })();
  }
  if (msg === 'close') {
    void (async () => {
      if (profile) (await import('node:fs')).writeFileSync(join(profileDir!, `webhook-${kind}.cpuprofile`), JSON.stringify(profile));
      await stop();
      process.exit(0);
    })();
  }
});
process.send?.({ port });
