import type { Response } from 'express';
import type { ZodError } from 'zod';

/** Answers 400 naming each offending field, so a client knows what to fix. */
export function sendValidationError(res: Response, error: ZodError): void {
  const issues = error.issues.flatMap((issue) => {
    const path = issue.path.join('.');
    // Unknown fields are reported one by one, by name.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'unknown field' }));
    return [{ field: path || 'body', message: issue.message }];
  });
  res.status(400).json({ error: 'invalid request', issues });
}
