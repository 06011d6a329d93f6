import { z } from 'zod';

/** A required text argument whose absence reads "is required", not a type error. */
export function requiredText(): z.ZodString {
  return z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') });
}

/** An organisation code as people type it to join: lower case letters, digits and hyphens. */
export const orgCodeSchema = requiredText()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'must be 2-32 characters of a-z, 0-9 and -, starting with a letter or digit');

/** An id as the store made it (a UUID today); checked loosely so older ids keep working. */
export const idSchema = requiredText().trim().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be an id as listed (letters, digits, _ and -)');
