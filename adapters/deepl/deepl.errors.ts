import { AuthorizationError, ConnectionError, DeepLError, QuotaExceededError, TooManyRequestsError } from 'deepl-node';
import { TranslationError } from '../../core/errors.ts';

/**
 * Maps what deepl-node throws to a TranslationError with a kind, the original as `cause`.
 * deepl-node turns 456 into QuotaExceededError, 429 (after its retries) into
 * TooManyRequestsError, 403 into AuthorizationError and 400 into a DeepLError whose message
 * starts with "Bad request" and quotes DeepL's reason (e.g. "Value for 'target_lang' not
 * supported."). Messages here name the failure only: never a text, never the key.
 */
export function toTranslationError(error: unknown): TranslationError {
  if (error instanceof TranslationError) return error;
  if (error instanceof ConnectionError) {
    // Why detach: the nested axios error holds the request config, with the Authorization
    // header (the auth key) and the form body (people's words). A logged cause must not.
    error.error = undefined;
    return new TranslationError('DeepL could not be reached', 'unavailable', { cause: error });
  }
  if (error instanceof QuotaExceededError) return new TranslationError('DeepL quota for this billing period is used up', 'quota', { cause: error });
  if (error instanceof TooManyRequestsError) return new TranslationError('DeepL is rate limiting requests', 'rate-limited', { cause: error });
  if (error instanceof AuthorizationError) return new TranslationError('DeepL refused the auth key', 'auth', { cause: error });
  if (error instanceof DeepLError && /^Bad request/.test(error.message) && /(target_lang|source_lang|language)/i.test(error.message)) {
    return new TranslationError('DeepL does not support this language (pair)', 'unsupported-language', { cause: error });
  }
  return new TranslationError('DeepL failed', 'unavailable', { cause: error });
}
