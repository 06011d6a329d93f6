import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.ts';
import { loadLocales } from '../../bots/locales.ts';
import { createTextRenderer } from '../../core/i18n/text-renderer.ts';
import { answersWithin, freePort, httpRequest, openRequest, requestHead, startMain, waitForHealth, type MainProcess } from '../support/main-process.ts';

/**
 * `npm start` as an operator runs it: the real adapters/main.ts in its own process, stopped
 * by SIGTERM (docker stop, systemd, Kubernetes). Its logs go to stdout as pino JSON lines.
 */

const t = createTextRenderer(loadLocales());
const USER_ID = 'shutdown-visitor-5f2c9a71';
const CHANNELS = ['telegram', 'whatsapp-cloud', 'whatsapp-web', 'messenger'];

let main: MainProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await main?.kill();
  main = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function started(): Promise<{ main: MainProcess; port: number; dataDir: string; sqliteFile: string }> {
  dataDir = mkdtempSync(join(tmpdir(), 'passerelle-main-'));
  const port = await freePort();
  // The longest busy timeout: the test holds a message in flight by holding SQLite's lock (below).
  main = startMain({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', SQLITE_BUSY_TIMEOUT_MS: '5000' });
  await waitForHealth(main, port);
  return { main, port, dataDir, sqliteFile: join(dataDir, 'passerelle.sqlite') };
}

const messages = (lines: Record<string, unknown>[]) => lines.map((l) => l['msg']);

/** What every web chat reply carries besides its words: where it sits in the stored history. */
const STORED = { cursor: expect.any(Number), at: expect.any(String), author: 'bot' };

describe('adapters/main.ts as a process', () => {
  it('answers, finishes the message in flight at SIGTERM, exits 0, logs no personal data, and leaves a clean SQLite file', async () => {
    const { main, port, sqliteFile } = await started();

    expect(await httpRequest(port, 'GET', '/readyz')).toMatchObject({ status: 200, body: JSON.stringify({ status: 'ready' }) });
    const first = await httpRequest(port, 'POST', '/api/webchat/messages', { userId: USER_ID, start: true });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({
      replies: [{ ...STORED, lang: 'en', dir: 'ltr', type: 'choices', text: t('en', 'common:pickLanguageFirst'), choices: expect.arrayContaining([{ id: 'fr', label: 'Français' }]) }],
    });

    // How the second message is held in flight, deterministically: this process takes SQLite's
    // write lock, so the child's next write (the message's dedupe record) waits in SQLite's busy
    // handler, which blocks its event loop (better-sqlite3 is synchronous; the child's busy timeout
    // is set to 5 s for this test, instead of the short default).
    // The broadcast dispatcher also writes once a second; we first let one of its rounds block
    // and go, so that the next write the child attempts is our message's.
    const locker = new Database(sqliteFile);
    locker.exec('BEGIN IMMEDIATE');
    const deadline = Date.now() + 3_000;
    while (await answersWithin(port, 150)) {
      if (Date.now() > deadline) throw new Error('the dispatcher never tried to write: cannot line the lock up with it');
    }
    locker.exec('ROLLBACK');
    expect(await answersWithin(port, 1_000)).toBe(true);
    locker.exec('BEGIN IMMEDIATE');

    const body = JSON.stringify({ userId: USER_ID, text: 'Français' });
    const second = openRequest(port);
    second.write(requestHead('POST', '/api/webchat/messages', body) + body);
    await sleep(300);
    expect(second.answered()).toBe(false);

    main.child.kill('SIGTERM');
    const signalled = Date.now();
    await sleep(300);
    // The child has not even seen the signal yet: it is inside our message's turn.
    expect(second.answered()).toBe(false);
    expect(messages(main.logLines())).not.toContain('shutting down: finishing in-flight messages');
    locker.exec('ROLLBACK');
    // Why close now: SQLite checkpoints and removes the WAL only when its last connection closes.
    locker.close();

    const reply = await second.response;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      replies: [
        {
          ...STORED,
          lang: 'fr',
          dir: 'ltr',
          type: 'choices',
          text: t('fr', 'onboarding:privacy'),
          choices: [
            { id: 'agree', label: t('fr', 'onboarding:agree') },
            { id: 'disagree', label: t('fr', 'onboarding:disagree') },
          ],
        },
      ],
    });
    const exit = await main.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);

    // The logs: one line per channel saying why it is off, then the shutdown, in order.
    const lines = main.logLines();
    for (const channel of CHANNELS) {
      expect(lines.filter((l) => l['channel'] === channel && /^channel (enabled|disabled)$/.test(String(l['msg'])))).toEqual([
        expect.objectContaining({ msg: 'channel disabled', enabled: false, reason: expect.stringMatching(/\S/) }),
      ]);
    }
    const said = messages(lines);
    expect(said).toContainEqual(expect.stringMatching(/^Passerelle listening/));
    expect(said.indexOf('shutting down: finishing in-flight messages')).toBeGreaterThan(-1);
    expect(said.indexOf('stopped')).toBeGreaterThan(said.indexOf('shutting down: finishing in-flight messages'));
    expect(lines.filter((l) => Number(l['level']) >= 50)).toEqual([]);
    // No personal data at all: neither who wrote nor what they wrote.
    for (const output of [main.stdout(), main.stderr()]) {
      expect(output).not.toContain(USER_ID);
      expect(output).not.toContain('Français');
    }
    expect(main.stderr()).toBe('');

    // The store was closed cleanly: the WAL is checkpointed away and the conversation is there.
    expect(existsSync(`${sqliteFile}-wal`)).toBe(false);
    const store = openSqliteStore(sqliteFile);
    try {
      expect((await store.conversations.load(`webchat:${USER_ID}`))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'privacy', lang: 'fr' });
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await store.close();
    }
  });

  it('a message whose body is still arriving at SIGTERM gets an HTTP answer, and the process still exits 0', async () => {
    const { main, port } = await started();
    expect((await httpRequest(port, 'POST', '/api/webchat/messages', { userId: USER_ID, start: true })).status).toBe(200);

    const body = JSON.stringify({ userId: USER_ID, text: 'Français' });
    const late = openRequest(port);
    late.write(requestHead('POST', '/api/webchat/messages', body) + body.slice(0, -1));
    await sleep(200);
    main.child.kill('SIGTERM');
    const deadline = Date.now() + 5_000;
    while (!messages(main.logLines()).includes('shutting down: finishing in-flight messages')) {
      if (Date.now() > deadline) throw new Error('main.ts never logged the shutdown');
      await sleep(20);
    }
    late.write(body.slice(-1));

    const answer = await late.response;
    expect(answer.status).toBeGreaterThanOrEqual(200);
    // Accepted before SIGTERM, so it is answered: the server stops taking connections, lets the
    // requests it holds finish, and only then drains the pipeline.
    expect(answer.status).toBe(200);
    expect(await main.exited).toEqual({ code: 0, signal: null });
    expect(messages(main.logLines())).toContain('stopped');
    expect(main.stdout()).not.toContain(USER_ID);
  });

  it('refuses an invalid configuration with exit code 2 and one message naming every variable, without values', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'passerelle-main-'));
    main = startMain({
      PORT: '99999',
      DATA_DIR: dataDir,
      MicrosoftAppId: 'c0ffee00-app-id-not-real',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hooks',
    });
    const exit = await main.exited;
    expect(exit).toEqual({ code: 2, signal: null });
    const stderr = main.stderr();
    expect(stderr.match(/Invalid configuration/g)).toHaveLength(1);
    expect(stderr).toMatch(/^Invalid configuration \(3 problems\):\n/);
    for (const name of ['PORT', 'MicrosoftAppPassword', 'TELEGRAM_WEBHOOK_SECRET']) expect(stderr).toMatch(new RegExp(`^  - ${name}: `, 'm'));
    // The cross-variable rules name their trigger too.
    expect(stderr).toContain('MicrosoftAppId');
    expect(stderr).toContain('TELEGRAM_WEBHOOK_URL');
    expect(stderr).toContain('See .env.example');
    // No stack trace, and no value echoed (they may be secrets).
    expect(stderr).not.toMatch(/^\s+at /m);
    for (const value of ['99999', 'c0ffee00', 'bot.example.org']) expect(stderr).not.toContain(value);
    expect(main.stdout()).toBe('');
    // Nothing was started: no SQLite file was created.
    expect(existsSync(join(dataDir, 'passerelle.sqlite'))).toBe(false);
  });
});
