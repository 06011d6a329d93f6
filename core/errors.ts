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
