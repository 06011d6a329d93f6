/**
 * The few named errors of the product. Expected outcomes (an invalid phone, a duplicate) are
 * returned as values; these are for what a caller must handle or report. Messages never carry
 * tokens, phone numbers or message bodies.
 */

/** A write lost the optimistic-concurrency race: someone else saved a newer version first. */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(what: string, options?: ErrorOptions) {
    super(`${what} was changed by someone else`, options);
  }
}

/** Input from outside did not match its schema; `issues` name the fields. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A channel could not send; `retryable` says whether trying later may help. */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Kinds of translation failure, so callers can tell quota from an outage. */
export type TranslationErrorKind = 'quota' | 'rate-limited' | 'unsupported-language' | 'auth' | 'unavailable';

/** The translator failed for one language; other languages are unaffected. */
export class TranslationError extends Error {
  override readonly name = 'TranslationError';
  constructor(
    message: string,
    readonly kind: TranslationErrorKind,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Configuration is missing or invalid; the message lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Why a store cannot serve right now, so callers can word a 503 and decide when to retry. */
export type StoreUnavailableReason = 'busy' | 'full' | 'read-only' | 'io' | 'unreachable' | 'cannot-open';

/**
 * The store cannot read or write for now (disk full, read-only, I/O error, server gone). The
 * request gets a 503 instead of a 500, and /readyz reports not ready. Set by every store
 * adapter alike, with the driver's error as `cause`.
 */
export class StoreUnavailableError extends Error {
  override readonly name: string = 'StoreUnavailableError';
  constructor(
    message: string,
    readonly reason: StoreUnavailableReason,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The store is busy (another process holds SQLite's write lock; a MongoDB lock or write
 * conflict timed out). Nothing was written: try again a little later, without blocking.
 */
export class StoreBusyError extends StoreUnavailableError {
  override readonly name: string = 'StoreBusyError';
  constructor(message = 'the store is busy', options?: ErrorOptions) {
    super(message, 'busy', options);
  }
}
