import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../adapters/app.ts';
import { loadConfig } from '../../../adapters/config.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { telegramUpdates } from '../../fakes/telegram-updates.ts';
import { telegramContacts } from '../../support/audiences.ts';
import { createOrg } from '../../support/organisations.ts';
import { en, PUBLIC_URL, SECRET } from './telegram-harness.ts';

const RECIPIENTS = 2000;
const CHATTERS = 8;
const RATE = 200;

let api: FakeBotApi | undefined;
let app: App | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await app?.close();
  await api?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

describe('a 429 storm during a broadcast', () => {
  it('delivers every reply to people chatting meanwhile, in order and once, ahead of the broadcast, which completes', async () => {
    // The fake refuses with 429 (retry_after 1 s) every send beyond its limit per second.
    api = await startFakeBotApi({ token: '7000000003:storm-test-token', rateLimit: { perSecond: RATE, retryAfter: 1 } });
    dataDir = mkdtempSync(join(tmpdir(), 'passerelle-storm-'));
    const env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_URL: PUBLIC_URL,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      RATE_TELEGRAM: String(RATE),
    };
    app = await createApp(loadConfig(env), { logger: silentLogger, tickMs: 100 });
    const org = await createOrg(app.store, { code: 'storm', name: 'Storm NGO' });
    await app.store.contacts.importMany(org.id, telegramContacts(RECIPIENTS, 300_000, '3363'), () => crypto.randomUUID(), new Date());
    await app.start();
    const began = Date.now();
    const { broadcast } = await app.broadcasts.create({ orgId: org.id, text: 'Hello {{firstName}}', sourceLang: 'en', audience: { type: 'all' }, origin: 'api' });

    // A storm: for two seconds the platform takes a tenth of the rate.
    setTimeout(() => (api!.rateLimit = { perSecond: RATE / 10, retryAfter: 1 }), 800);
    setTimeout(() => (api!.rateLimit = { perSecond: RATE, retryAfter: 1 }), 2_800);

    // Meanwhile people who are not in the audience sign up, one message every 300 ms each.
    const u = telegramUpdates();
    const script = ['/start', 'English', '1', '1', 'Amina'];
    const expected = [en('common:pickLanguageFirst'), en('onboarding:privacy'), en('onboarding:askRole'), en('onboarding:askName'), en('onboarding:askPlace')];
    const asked: { chat: number; at: number }[] = [];
    await Promise.all(
      Array.from({ length: CHATTERS }, async (_, c) => {
        const person = { id: 900_000 + c, firstName: 'Amina' };
        for (const text of script) {
          const update = text === '/start' ? u.start(person) : u.text(person, text);
          asked.push({ chat: person.id, at: Date.now() });
          const res = await request(app!.http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(update);
          expect(res.status).toBe(200);
          // Each reply must arrive before the person writes again (a person reads before answering).
          const seen = (): number => api!.sentMessages().filter((m) => m['chat_id'] === person.id).length;
          const want = script.indexOf(text) + 1;
          const deadline = Date.now() + 15_000;
          while (seen() < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          await new Promise((r) => setTimeout(r, 300));
        }
      }),
    );

    for (let i = 0; i < 600 && (await app.store.outbox.openCount(broadcast.id)) > 0 || (await app.store.outbox.stats(broadcast.id)).total === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const broadcastSeconds = (Date.now() - began) / 1000;

    // Every chatter read exactly the five replies, in order.
    for (let c = 0; c < CHATTERS; c++) {
      expect(api.sentMessages().filter((m) => m['chat_id'] === 900_000 + c).map((m) => m['text'])).toEqual(expected);
    }
    // Every recipient got the broadcast once.
    const broadcastCalls = api.sentMessages().filter((m) => Number(m['chat_id']) < 900_000);
    expect(broadcastCalls).toHaveLength(RECIPIENTS);
    expect(new Set(broadcastCalls.map((m) => m['chat_id'])).size).toBe(RECIPIENTS);
    expect((await app.store.outbox.stats(broadcast.id)).byStatus).toEqual({ sent: RECIPIENTS });

    // Reply latency: from the person's message to the bot's answer reaching the platform.
    const replies = api.callsTo('sendMessage').filter((c) => c.status === 200 && Number(c.body['chat_id']) >= 900_000);
    const latencies = asked
      .map((a) => {
        const before = asked.filter((b) => b.chat === a.chat && b.at <= a.at).length;
        const reply = replies.filter((r) => r.body['chat_id'] === a.chat)[before - 1];
        return reply ? reply.at - a.at : Infinity;
      })
      .sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    console.info(
      `storm test: ${RECIPIENTS} recipients at ${RATE}/s in ${broadcastSeconds.toFixed(1)} s, ${api.rateLimitedCount} answered 429; ` +
        `${latencies.length} replies during it: p50 ${p50} ms, p95 ${p95} ms, max ${latencies.at(-1)} ms`,
    );
    // A handful of 429s: one shared pause per storm second, not one per sender.
    expect(api.rateLimitedCount).toBeLessThanOrEqual(10);
    // Replies wait far less than the broadcast does.
    expect(p95).toBeLessThan(broadcastSeconds * 1000 / 2);
  }, 90_000);
});
