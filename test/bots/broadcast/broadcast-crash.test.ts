import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../adapters/sqlite/sqlite-store.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { createOrg } from '../../support/organisations.ts';

const RECIPIENTS = 300;
const CONCURRENCY = 4;
const WORKER = new URL('../../fixtures/broadcast-worker.ts', import.meta.url).pathname;

let api: FakeBotApi | undefined;
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await api?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function startWorker(env: Record<string, string>): ChildProcess {
  const child = fork(WORKER, [], { env: { ...process.env, ...env }, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  return child;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('broadcast delivery survives a crash', () => {
  it('a dispatcher killed with SIGKILL halfway resumes after restart: nobody missed, duplicates only for in-flight sends', async () => {
    api = await startFakeBotApi({ token: '7000000001:crash-test-token', maxLongPollMs: 200 });
    const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-crash-'));
    dirs.push(dataDir);
    const store = openSqliteStore(join(dataDir, 'passerelle.sqlite'));
    const org = await createOrg(store, { code: 'crash', name: 'Crash Test NGO' });
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => ({
      firstName: `Person${i}`,
      phone: `+3361${String(i).padStart(7, '0')}`,
      lang: 'en',
      channel: 'telegram' as const,
      address: { channel: 'telegram' as const, id: String(100_000 + i) },
      tags: [],
    }));
    await store.contacts.importMany(org.id, rows, () => crypto.randomUUID(), new Date());
    await store.broadcasts.create({
      id: 'b-crash',
      orgId: org.id,
      text: 'Hello {{firstName}}, distribution today at 14:00.',
      sourceLang: 'en',
      audience: { type: 'all' },
      origin: 'api',
      status: 'scheduled',
      scheduledAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
    });

    const env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PORT: '0',
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      RATE_TELEGRAM: '150',
      DISPATCH_CONCURRENCY: String(CONCURRENCY),
      DISPATCH_LEASE_SECONDS: '1',
    };
    const first = startWorker(env);
    await until(() => api!.sentMessages().length >= RECIPIENTS / 2, 30_000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const atKill = api.sentMessages().length;
    expect(atKill).toBeLessThan(RECIPIENTS);

    startWorker(env);
    await until(() => new Set(api!.sentMessages().map((m) => String(m['chat_id']))).size === RECIPIENTS, 30_000);
    const done = async () => (await store.broadcasts.get(org.id, 'b-crash'))?.status === 'done';
    for (let i = 0; i < 100 && !(await done()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await done()).toBe(true);

    const copies = new Map<string, number>();
    for (const m of api.sentMessages()) copies.set(String(m['chat_id']), (copies.get(String(m['chat_id'])) ?? 0) + 1);
    const duplicates = [...copies.values()].reduce((n, c) => n + (c - 1), 0);
    // Every recipient got the broadcast; the only second copies are sends in flight at the kill and
    // sends whose outcomes were not yet written (outcomes are recorded in batches of CONCURRENCY).
    expect(copies.size).toBe(RECIPIENTS);
    console.info(`crash test: ${atKill}/${RECIPIENTS} sent before SIGKILL, ${duplicates} duplicate copies after restart`);
    expect(duplicates).toBeLessThanOrEqual(2 * CONCURRENCY);
    expect((await store.outbox.stats('b-crash')).byStatus).toEqual({ sent: RECIPIENTS });
    for (const m of api.sentMessages().slice(0, 3)) expect(String(m['text'])).toMatch(/^📢 Crash Test NGO\nHello Person\d+, distribution today at 14:00\./);
    await store.close();
  }, 90_000);
});
