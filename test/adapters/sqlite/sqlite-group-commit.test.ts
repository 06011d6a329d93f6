import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../adapters/sqlite/sqlite-group-commit.ts';

describe('SQLite group commit', () => {
  it('commits the writes of one round together; one that fails is rolled back alone and its caller gets its error', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    const group = new GroupCommit(db);

    const first = group.run(() => insert.run(1, 'a').changes);
    const failing = group.run(() => {
      insert.run(2, 'half');
      throw new Error('version conflict');
    });
    const third = group.run(() => insert.run(3, 'c').changes);
    // Nothing is written before the round ends: callers only learn of it once committed.
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(0);

    await expect(first).resolves.toBe(1);
    await expect(failing).rejects.toThrow('version conflict');
    await expect(third).resolves.toBe(1);
    expect(db.prepare('SELECT id, v FROM t ORDER BY id').all()).toEqual([
      { id: 1, v: 'a' },
      { id: 3, v: 'c' },
    ]);
    expect(db.inTransaction).toBe(false);
  });

  it('rejects each write the database refuses (read-only here), and writes none of them', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const group = new GroupCommit(db);
    db.exec('PRAGMA query_only = 1');
    const writes = [group.run(() => db.prepare('INSERT INTO t (id) VALUES (1)').run()), group.run(() => db.prepare('INSERT INTO t (id) VALUES (2)').run())];
    for (const write of writes) await expect(write).rejects.toThrow();
    db.exec('PRAGMA query_only = 0');
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(0);
  });
});
