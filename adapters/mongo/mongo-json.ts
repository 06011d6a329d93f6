import { MongoStoreError } from './mongo-errors.ts';

/**
 * Parses JSON text the store wrote (sessions, work, references, messages). The error names what
 * failed and has no cause: JSON.parse quotes the text it choked on, and that text is a
 * person's answers, chat reference or message.
 */
export function storedJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MongoStoreError(`A stored ${what} is not valid JSON`);
  }
}

/** Parses stored JSON text that must be an object (not an array, not null). */
export function storedObject(text: string, what: string): Record<string, unknown> {
  const value = storedJson(text, what);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MongoStoreError(`A stored ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}
