import type Database from 'better-sqlite3';
import { StoreBusyError, StoreUnavailableError } from '../../core/errors.ts';

/** The extended result code better-sqlite3 puts on its errors (`SQLITE_BUSY_SNAPSHOT`, ...). */
function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/**
 * Translates SQLite's "cannot serve now" errors into the store's named errors, with the
 * original as `cause`; other errors (constraints, bugs) pass unchanged.
 */
export function translateSqliteError(error: unknown): unknown {
  const code = codeOf(error);
  if (code === null) return error;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new StoreBusyError('the database is locked by another connection', { cause: error });
  if (code === 'SQLITE_FULL') return new StoreUnavailableError('the database disk is full', 'full', { cause: error });
  if (code.startsWith('SQLITE_READONLY')) return new StoreUnavailableError('the database is read-only', 'read-only', { cause: error });
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return new StoreUnavailableError('the database file cannot be read or written', 'io', { cause: error });
  return error;
}

/** After a statement gave up on a held lock, how long the next ones give up at once instead of waiting. */
export const BUSY_COOL_DOWN_MS = 1_000;

/**
 * The busy wait of one connection, with a cool-down. Why: better-sqlite3 waits for a lock
 * synchronously, so N loops (dispatcher lanes, the broadcast scheduler, requests) each waiting
 * the full timeout would freeze the server for N timeouts a second. Once one statement has
 * waited in vain, the lock is a long one: for a moment the others fail at once (the lock
 * freed, they simply succeed), then the normal wait comes back.
 */
class BusyWait {
  private coolingUntil = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly timeoutMs: number,
  ) {}

  /** Before a statement: the normal wait again once the cool-down is over. */
  check(): void {
    if (this.coolingUntil !== 0 && Date.now() >= this.coolingUntil) {
      this.coolingUntil = 0;
      this.db.pragma(`busy_timeout = ${this.timeoutMs}`);
    }
  }

  /** A statement gave up on the lock: no waiting for a moment. */
  busy(): void {
    if (this.coolingUntil === 0) this.db.pragma('busy_timeout = 0');
    this.coolingUntil = Date.now() + BUSY_COOL_DOWN_MS;
  }
}

function guarded<A extends unknown[], R>(fn: (...args: A) => R, wait?: BusyWait): (...args: A) => R {
  return (...args) => {
    wait?.check();
    try {
      return fn(...args);
    } catch (error) {
      const translated = translateSqliteError(error);
      if (translated instanceof StoreBusyError) wait?.busy();
      throw translated;
    }
  };
}

function* guardedIterator<T>(iterator: IterableIterator<T>): IterableIterator<T> {
  try {
    yield* iterator;
  } catch (error) {
    throw translateSqliteError(error);
  }
}

type Methods = Record<'run' | 'get' | 'all' | 'iterate', (...args: unknown[]) => unknown>;

/**
 * Makes every statement and transaction of `db` throw {@link StoreBusyError} or
 * {@link StoreUnavailableError} instead of a raw SqliteError. Why at the connection: every
 * store port built on it then reports a locked or full database the same way, and callers
 * (the HTTP layer, the dispatcher) catch one class instead of parsing driver codes.
 */
export function guardSqlite(db: Database.Database, busyTimeoutMs: number): void {
  const prepare = db.prepare.bind(db);
  const wait = new BusyWait(db, busyTimeoutMs);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    const methods = statement as unknown as Methods;
    for (const name of ['run', 'get', 'all'] as const) methods[name] = guarded(methods[name].bind(statement), wait);
    const iterate = methods.iterate.bind(statement);
    methods.iterate = (...args) => guardedIterator(guarded(iterate, wait)(...args) as IterableIterator<unknown>);
    return statement;
  }) as typeof db.prepare;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = transaction(fn);
    const variants = tx as unknown as Record<'deferred' | 'immediate' | 'exclusive', (...args: unknown[]) => unknown>;
    return Object.assign(guarded(tx, wait), {
      default: guarded(tx, wait),
      deferred: guarded(variants.deferred, wait),
      immediate: guarded(variants.immediate, wait),
      exclusive: guarded(variants.exclusive, wait),
    });
  }) as typeof db.transaction;
}
