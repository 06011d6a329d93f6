import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.ts';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-bot-api.ts';
import { telegramUpdates } from '../fakes/telegram-updates.ts';
import { freePort, REPO_ROOT } from '../support/main-process.ts';
import { en, PUBLIC_URL, SECRET } from './telegram/telegram-harness.ts';

let api: FakeBotApi | undefined;
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await api?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A Passerelle process (test/fixtures/faulty-main.ts) that dies at `fault`, if given. */
async function start(dataDir: string, port: number, fault?: string): Promise<ChildProcess> {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: api!.token,
    TELEGRAM_API_ROOT: api!.apiRoot,
    TELEGRAM_WEBHOOK_URL: PUBLIC_URL,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    ...(fault ? { FAULT: fault } : { FAULT: '' }),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/faulty-main.ts'], { cwd: REPO_ROOT, env, stdio: 'ignore' });
  children.push(child);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await request(`http://127.0.0.1:${port}`).get('/healthz').then(() => true, () => false);
    if (up) return child;
    if (Date.now() > deadline) throw new Error('the process did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const script = ['/start', 'English', '1', '1', 'Amina', 'Lyon'];
const expected = [
  en('common:pickLanguageFirst'),
  en('onboarding:privacy'),
  en('onboarding:askRole'),
  en('onboarding:askName'),
  en('onboarding:askPlace'),
  en('onboarding:welcome', { firstName: 'Amina' }),
  en('menu:title'),
];

/**
 * Every point between taking the message, storing the turn, performing its effect (creating
 * the person at the last message) and sending its reply. A turn writes its conversation twice
 * (the turn, then once its work is handed on) and queues its replies once, so the 6th call is
 * in the middle of the onboarding.
 */
const FAULTS = [
  'conversations.save:6:before', // the last message's turn never stored
  'conversations.save:6:after', // stored, effect and replies not yet done
  'people.create:1:before', // in the middle of the effect
  'people.create:1:after', // the effect done, not yet marked done
  'outbox.enqueue:6:before', // the reply not yet in the outbox
  'outbox.enqueue:6:after', // in the outbox, not yet sent
  'outbox.settle:6:before', // sent, the outcome not recorded
];

describe('a process killed with SIGKILL at each point of a turn', () => {
  for (const fault of FAULTS) {
    it(`loses nothing when killed at ${fault}: every message processed once, the person created once, every reply sent`, async () => {
      api = await startFakeBotApi({ token: '7000000005:fault-test-token' });
      const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-fault-'));
      dirs.push(dataDir);
      const port = await freePort();
      const u = telegramUpdates();
      const person = { id: 920_001, firstName: 'Amina' };
      const updates = script.map((text) => (text === '/start' ? u.start(person) : u.text(person, text)));
      const post = (update: object) =>
        request(`http://127.0.0.1:${port}`).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(update).then((r) => r.status, () => 0);

      let child = await start(dataDir, port, fault);
      const died = once(child, 'exit');
      // Telegram delivers each update until it gets a 200: after a kill, to the restarted process.
      for (const update of updates) {
        let status = await post(update);
        if (status !== 200) {
          await died;
          child = await start(dataDir, port);
          status = await post(update);
        }
        expect(status).toBe(200);
        const deadline = Date.now() + 10_000;
        const index = updates.indexOf(update);
        while (new Set(api.sentMessages().filter((m) => m['chat_id'] === person.id).map((m) => m['text'])).size <= index && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      // A kill after the last message (in the outbox worker): the restarted process sends what was left.
      if (child.exitCode === null && child.signalCode === null) await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 1_500))]);
      if (child.exitCode !== null || child.signalCode !== null) child = await start(dataDir, port);
      const deadline = Date.now() + 10_000;
      while (new Set(api.sentMessages().filter((m) => m['chat_id'] === person.id).map((m) => m['text'])).size < expected.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 500));

      const texts = api.sentMessages().filter((m) => m['chat_id'] === person.id).map((m) => String(m['text']));
      // Every reply arrived, in order; only a reply in flight at the kill may come twice.
      expect([...new Set(texts)]).toEqual(expected);
      expect(texts.length - expected.length).toBeLessThanOrEqual(1);
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => undefined);
      const store = openSqliteStore(join(dataDir, 'passerelle.sqlite'));
      const people = store.db.prepare('SELECT first_name FROM people').all();
      expect(people).toEqual([{ first_name: 'Amina' }]);
      const conversation = await store.conversations.load(`telegram:${person.id}`);
      expect(conversation?.value.seen).toHaveLength(script.length);
      expect(conversation?.value).toMatchObject({ effects: [], outgoing: [], inputs: [] });
      await store.close();
    }, 60_000);
  }
});
