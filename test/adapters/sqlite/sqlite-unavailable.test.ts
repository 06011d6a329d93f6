import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUSY_COOL_DOWN_MS } from '../../../adapters/sqlite/sqlite-errors.ts';
import { openSqliteStore } from '../../../adapters/sqlite/sqlite-store.ts';
import { StoreBusyError, StoreUnavailableError } from '../../../core/errors.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
let other: Database.Database | undefined;
afterEach(async () => {
  other?.close();
  other = undefined;
  await app?.dispose();
  app = undefined;
});

const dbOf = (a: NonNullable<typeof app>) => (a.store as unknown as { db: Database.Database }).db;

/** Fills the database up to a page limit, as a full disk would: no write that needs a page succeeds. */
function fillDisk(db: Database.Database): void {
  db.exec('CREATE TABLE filler (pad BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  for (let i = 0; i < 10_000; i++) {
    try {
      db.prepare('INSERT INTO filler VALUES (zeroblob(1024))').run();
    } catch {
      return;
    }
  }
  throw new Error('the database never filled up');
}

describe('a store that cannot write', () => {
  it('is reported by /readyz (503) and gives 503 with a clear message, not 500, while /healthz answers', async () => {
    app = await testApp();
    const org = await createOrg(app.store, { code: 'alpha' });
    expect((await request(app.http).get('/readyz')).status).toBe(200);
    fillDisk(dbOf(app));

    const ready = await request(app.http).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'store unavailable', reason: 'full' });
    expect((await request(app.http).get('/healthz')).status).toBe(200);

    const rows = Array.from({ length: 200 }, (_, i) => `Amina,+33 6 12 34 ${String(10 + Math.floor(i / 100)).padStart(2, '0')} ${String(i % 100).padStart(2, '0')},ar,whatsapp`);
    const upload = await request(app.http)
      .post('/api/contacts/import')
      .set('authorization', `Bearer ${org.apiKey}`)
      .set('content-type', 'text/csv')
      .send(['first_name,phone,language,channel', ...rows].join('\n'));
    expect(upload.status).toBe(503);
    expect(upload.headers['retry-after']).toBe('5');
    expect(upload.body).toEqual({ error: 'temporarily unavailable', reason: 'full', message: 'the service cannot store data right now; try again in a moment' });
  });

  it('answers 503 to the web chat when the database refuses writes', async () => {
    app = await testApp();
    dbOf(app).pragma('query_only = ON');
    const res = await request(app.http).post('/api/webchat/messages').send({ userId: 'web-user-ro-1', start: true });
    expect(res.status).toBe(503);
    expect(res.body.reason).toBe('read-only');
    expect((await request(app.http).get('/readyz')).body).toEqual({ status: 'store unavailable', reason: 'read-only' });
  });
});

describe('another process holding the SQLite write lock', () => {
  it('makes store calls fail fast with StoreBusyError, requests answer 503 and /healthz 200', async () => {
    app = await testApp();
    const file = join(app.dataDir, 'passerelle.sqlite');
    other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    other.exec('INSERT INTO store_probe (id) VALUES (2)');

    const error = await app.store.receipts.record('whatsapp-cloud', 'wamid.held', 'sent', new Date()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreBusyError);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreBusyError).name).toBe('StoreBusyError');
    expect(((error as StoreBusyError).cause as { code: string }).code).toBe('SQLITE_BUSY');

    const res = await request(app.http).post('/api/webchat/messages').send({ userId: 'web-user-busy-1', start: true });
    expect(res.status).toBe(503);
    expect(res.body.reason).toBe('busy');
    expect((await request(app.http).get('/healthz')).status).toBe(200);
    expect((await request(app.http).get('/readyz')).body).toEqual({ status: 'store unavailable', reason: 'busy' });

    other.exec('ROLLBACK');
    expect((await request(app.http).post('/api/webchat/messages').send({ userId: 'web-user-busy-1', start: true })).status).toBe(200);
  });

  it('stops waiting for the lock for a moment after one statement waited in vain, then waits again', async () => {
    app = await testApp();
    const db = dbOf(app);
    other = new Database(join(app.dataDir, 'passerelle.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    other.exec('INSERT INTO store_probe (id) VALUES (3)');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(100);
    await expect(app.store.ping()).rejects.toBeInstanceOf(StoreBusyError);
    // The dispatcher lanes and the scheduler meeting the same lock now fail at once.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(0);
    await expect(app.store.ping()).rejects.toBeInstanceOf(StoreBusyError);
    other.exec('ROLLBACK');
    await expect(app.store.ping()).resolves.toBeUndefined();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + BUSY_COOL_DOWN_MS + 1);
      await app.store.ping();
      expect(db.pragma('busy_timeout', { simple: true })).toBe(100);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a data directory the server cannot write', () => {
  it('stops with the path and a hint instead of "unable to open database file"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-ro-'));
    // A directory where the file should be: SQLite cannot open it, whoever runs the tests (even root).
    mkdirSync(join(dir, 'passerelle.sqlite'));
    try {
      expect(() => openSqliteStore(join(dir, 'passerelle.sqlite'))).toThrow(StoreUnavailableError);
      expect(() => openSqliteStore(join(dir, 'passerelle.sqlite'))).toThrow(
        `cannot open the database file ${join(dir, 'passerelle.sqlite')} (SQLITE_CANTOPEN): check that DATA_DIR exists and that this user may write to it`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
