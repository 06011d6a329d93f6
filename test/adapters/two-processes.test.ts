import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.ts';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-bot-api.ts';
import { telegramUpdates } from '../fakes/telegram-updates.ts';
import { freePort, startMain, waitForHealth, type MainProcess } from '../support/main-process.ts';
import { peakPerSecond, telegramContacts } from '../support/audiences.ts';
import { createOrg } from '../support/organisations.ts';
import { en, PUBLIC_URL, SECRET } from './telegram/telegram-harness.ts';

const RECIPIENTS = 2000;
const CHATTERS = 6;
const RATE = 150;

let api: FakeBotApi | undefined;
const mains: MainProcess[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  await Promise.all(mains.splice(0).map((m) => m.kill()));
  await api?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});


describe('two server processes on one SQLite file', () => {
  it('process each message once, keep each conversation consistent, serve each recipient once, and never send above the channel rate together', async () => {
    api = await startFakeBotApi({ token: '7000000004:two-process-token' });
    dataDir = mkdtempSync(join(tmpdir(), 'passerelle-two-'));
    const file = join(dataDir, 'passerelle.sqlite');
    const store = openSqliteStore(file);
    const org = await createOrg(store, { code: 'twin', name: 'Twin NGO' });
    await store.contacts.importMany(org.id, telegramContacts(RECIPIENTS, 400_000, '3364'), () => crypto.randomUUID(), new Date());

    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      const main = startMain({
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        TELEGRAM_WEBHOOK_URL: PUBLIC_URL,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        RATE_TELEGRAM: String(RATE),
      });
      mains.push(main);
      await waitForHealth(main, port);
    }
    // One broadcast, which both processes' schedulers find and both outbox workers could send.
    await store.broadcasts.create({
      id: 'b-twin',
      orgId: org.id,
      text: 'Hello {{firstName}}',
      sourceLang: 'en',
      audience: { type: 'all' },
      origin: 'api',
      status: 'scheduled',
      scheduledAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
    });

    // People chat meanwhile; every update reaches BOTH processes (a redelivery to another
    // instance behind a load balancer), one after the other in random order.
    const u = telegramUpdates();
    const script = ['/start', 'English', '1', '1', 'Amina'];
    const expected = [en('common:pickLanguageFirst'), en('onboarding:privacy'), en('onboarding:askRole'), en('onboarding:askName'), en('onboarding:askPlace')];
    const post = (port: number, update: object) => request(`http://127.0.0.1:${port}`).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(update);
    await Promise.all(
      Array.from({ length: CHATTERS }, async (_, c) => {
        const person = { id: 910_000 + c, firstName: 'Amina' };
        for (const [n, text] of script.entries()) {
          const update = text === '/start' ? u.start(person) : u.text(person, text);
          const order = Math.random() < 0.5 ? ports : [...ports].reverse();
          const answers = await Promise.all(order.map((port) => post(port, update)));
          for (const res of answers) expect(res.status).toBe(200);
          const deadline = Date.now() + 20_000;
          while (api!.sentMessages().filter((m) => m['chat_id'] === person.id).length <= n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );

    const done = async () => (await store.broadcasts.get(org.id, 'b-twin'))?.status === 'done';
    for (let i = 0; i < 900 && !(await done()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await done()).toBe(true);

    // Each message processed once: each person read each reply once, in order.
    for (let c = 0; c < CHATTERS; c++) {
      expect(api.sentMessages().filter((m) => m['chat_id'] === 910_000 + c).map((m) => m['text'])).toEqual(expected);
      const conversation = await store.conversations.load(`telegram:${910_000 + c}`);
      expect(conversation?.value.session).toMatchObject({ dialog: 'onboarding', step: 'place' });
      expect(conversation?.value.seen).toHaveLength(script.length);
    }
    // Each recipient served once.
    const copies = new Map<string, number>();
    for (const m of api.sentMessages()) if (Number(m['chat_id']) < 900_000) copies.set(String(m['chat_id']), (copies.get(String(m['chat_id'])) ?? 0) + 1);
    expect(copies.size).toBe(RECIPIENTS);
    expect([...copies.values()].filter((n) => n > 1)).toEqual([]);
    // The channel's rate is the bot's: both processes together never exceed it.
    const peak = peakPerSecond(api.callsTo('sendMessage').map((c) => c.at));
    console.info(`two processes: ${RECIPIENTS} recipients and ${CHATTERS * script.length} messages (each to both), peak ${peak} sends/s for a rate of ${RATE}/s`);
    expect(peak).toBeLessThanOrEqual(RATE);
    await store.close();
  }, 120_000);
});
