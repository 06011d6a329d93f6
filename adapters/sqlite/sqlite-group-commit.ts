import { setImmediate as afterIo } from 'node:timers';
import type Database from 'better-sqlite3';

interface Waiting {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Commits the writes of concurrent requests together. Why: in WAL mode a commit appends every
 * page it touched to the log, and a turn touches the same few pages as its neighbours (the
 * conversations and outbox B-trees and their indexes); sixteen turns committed one by one write
 * those pages sixteen times, committed together once. A write waits for the end of the current
 * round of I/O callbacks (setImmediate), then runs with the others of that round in one
 * transaction. When one fails (a version conflict), the round runs again with each write in its
 * own savepoint: the failing one is rolled back alone and its caller gets its error; the others
 * commit. A caller's promise settles only once its write is committed, so a
 * webhook acknowledged after it is as durable as before.
 *
 * A write runs inside this transaction, always: it needs no transaction of its own, and one of
 * its own would only add savepoints.
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly savepoint: (write: () => unknown) => unknown;
  private readonly commitAll: (batch: readonly Waiting[]) => { ok: boolean; value: unknown }[];
  private readonly commit: (batch: readonly Waiting[]) => { ok: boolean; value: unknown }[];
  /** Whether the last `commitAll` failed in a write, its transaction still open (not at BEGIN or COMMIT). */
  private writeFailed = false;

  constructor(private readonly db: Database.Database) {
    // A transaction function called inside another runs as a savepoint of it (better-sqlite3).
    this.savepoint = db.transaction((write: () => unknown) => write());
    // Why IMMEDIATE: the write lock is taken (or waited for) at BEGIN; a deferred transaction whose
    // first statement reads would fail on upgrading its snapshot once another process wrote.
    // First without savepoints (two statements per write saved): nearly every batch succeeds whole.
    this.commitAll = db.transaction((batch: readonly Waiting[]) =>
      batch.map((w) => {
        try {
          return { ok: true, value: w.write() };
        } catch (error) {
          this.writeFailed = this.db.inTransaction;
          throw error;
        }
      }),
    ).immediate;
    this.commit = db.transaction((batch: readonly Waiting[]) =>
      batch.map((w) => {
        try {
          return { ok: true, value: this.savepoint(w.write) };
        } catch (error) {
          // SQLite rolled the whole transaction back (a full disk, an I/O error): all of it failed.
          if (!this.db.inTransaction) throw error;
          return { ok: false, value: error };
        }
      }),
    ).immediate;
  }

  /** Runs `write` in the next group commit; resolves with its result once committed. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        afterIo(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    let outcomes: { ok: boolean; value: unknown }[];
    try {
      this.writeFailed = false;
      try {
        outcomes = this.commitAll(batch);
      } catch (error) {
        // BEGIN or COMMIT failed, or SQLite itself ended the transaction: nothing to single out.
        if (!this.writeFailed) throw error;
        // One write failed, so none was committed: again, each in its own savepoint, so that only
        // the failing one fails. (Writes are statements on their arguments: running one twice
        // after a rollback is running it once.)
        outcomes = this.commit(batch);
      }
    } catch (error) {
      // The commit itself failed (the disk, a lock held too long): none of these writes happened.
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => (outcomes[i]!.ok ? w.resolve(outcomes[i]!.value) : w.reject(outcomes[i]!.value)));
  }
}
