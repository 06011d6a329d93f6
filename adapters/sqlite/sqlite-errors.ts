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

function guarded<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      throw translateSqliteError(error);
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
export function guardSqlite(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    const methods = statement as unknown as Methods;
    for (const name of ['run', 'get', 'all'] as const) methods[name] = guarded(methods[name].bind(statement));
    const iterate = methods.iterate.bind(statement);
    methods.iterate = (...args) => guardedIterator(guarded(iterate)(...args) as IterableIterator<unknown>);
    return statement;
  }) as typeof db.prepare;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = transaction(fn);
    const variants = tx as unknown as Record<'deferred' | 'immediate' | 'exclusive', (...args: unknown[]) => unknown>;
    return Object.assign(guarded(tx), {
      default: guarded(tx),
      deferred: guarded(variants.deferred),
      immediate: guarded(variants.immediate),
      exclusive: guarded(variants.exclusive),
    });
  }) as typeof db.transaction;
}
