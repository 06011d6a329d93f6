import { MongoBulkWriteError, MongoError, MongoServerError } from 'mongodb';
import { StoreBusyError, StoreUnavailableError } from '../../core/errors.ts';

/** MongoDB's code for a write that would break a unique index. */
const DUPLICATE_KEY = 11000;

/** True when a write failed because a unique index (or `_id`) already holds the value. */
export function isDuplicateKey(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * True when a bulk write failed only on duplicate keys: concurrent writers inserted the same
 * documents first. With `ordered: false` every other operation of the batch was still applied.
 */
export function onlyDuplicateKeys(error: unknown): error is MongoBulkWriteError {
  if (!(error instanceof MongoBulkWriteError)) return false;
  const errors = [error.writeErrors].flat();
  return errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY) && error.writeConcernError === undefined;
}

/** The index a duplicate-key error names, as field names only (never the duplicated values). */
export function duplicateKeyFields(error: MongoServerError): string[] {
  const pattern: unknown = error.keyPattern;
  return typeof pattern === 'object' && pattern !== null ? Object.keys(pattern) : [];
}

/**
 * A driver error reduced to its name and code. Server messages quote the offending values
 * ("dup key: { _id: \"whatsapp-cloud:+33...\" }"), which are phone numbers and chat ids, so they
 * must not travel up as a cause into logs.
 */
export class RedactedMongoError extends Error {
  override readonly name: string;
  readonly code: number | string | undefined;
  readonly codeName: string | undefined;

  constructor(source: MongoError) {
    const codeName = source instanceof MongoServerError ? source.codeName : undefined;
    super(`${source.name}${source.code === undefined ? '' : ` code ${String(source.code)}`}${codeName ? ` (${codeName})` : ''}`);
    this.name = source.name;
    this.code = source.code;
    this.codeName = codeName;
  }
}

/**
 * The cause to attach to an error leaving the store: server errors are redacted (their messages
 * may quote stored values); driver-side errors (network, timeout) are kept as they are, since
 * they only name hosts and are what an operator needs to see.
 */
export function safeCause(error: unknown): unknown {
  if (error instanceof MongoServerError) return new RedactedMongoError(error);
  if (error instanceof MongoError) return error;
  if (error instanceof Error) return new Error(error.name);
  return undefined;
}

/** A MongoDB operation failed for a reason the caller cannot act on (outage, misconfiguration). */
export class MongoStoreError extends Error {
  override readonly name = 'MongoStoreError';
}

/**
 * The error to throw when a MongoDB operation fails for a reason the caller cannot act on:
 * driver errors become a MongoStoreError naming the operation, with a redacted cause; errors
 * the store raised on purpose pass through unchanged.
 */
export function storeFailure(operation: string, error: unknown): Error {
  if (error instanceof MongoError) return unavailableError(operation, error) ?? new MongoStoreError(`MongoDB ${operation} failed`, { cause: safeCause(error) });
  if (error instanceof Error) return error;
  return new MongoStoreError(`MongoDB ${operation} failed`);
}

/** Server codes meaning "busy, try again": LockTimeout, LockBusy, MaxTimeMSExpired, WriteConflict, ExceededTimeLimit. */
const BUSY_CODES: ReadonlySet<number> = new Set([24, 46, 50, 112, 262]);
/** OutOfDiskSpace. */
const FULL_CODES: ReadonlySet<number> = new Set([14031]);
/** Driver errors meaning no server answers now. */
const UNREACHABLE_NAMES: ReadonlySet<string> = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoTopologyClosedError']);

/**
 * The store's named error for a driver error that means "not now", as the SQLite store raises
 * them (a busy store, a full disk, no server), or null for any other failure.
 */
export function unavailableError(operation: string, error: MongoError): StoreUnavailableError | null {
  const options = { cause: safeCause(error) };
  const code = typeof error.code === 'number' ? error.code : undefined;
  if (code !== undefined && BUSY_CODES.has(code)) return new StoreBusyError(`MongoDB ${operation}: the database is busy`, options);
  if (code !== undefined && FULL_CODES.has(code)) return new StoreUnavailableError(`MongoDB ${operation}: the database disk is full`, 'full', options);
  if (UNREACHABLE_NAMES.has(error.name)) return new StoreUnavailableError(`MongoDB ${operation}: no server answers`, 'unreachable', options);
  return null;
}

/** Runs one store operation, throwing {@link storeFailure} of whatever it throws. */
export async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw storeFailure(operation, error);
  }
}
