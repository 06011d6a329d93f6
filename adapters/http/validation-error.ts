import type { Response } from 'express';
import type { ZodError } from 'zod';

/** Each offending field and what is wrong with it, so a client knows what to fix. */
export function validationIssues(error: ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.join('.');
    // Unknown fields are reported one by one, by name.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'unknown field' }));
    return [{ field: path || 'body', message: issue.message }];
  });
}

/** Answers 400 naming each offending field. */
export function sendValidationError(res: Response, error: ZodError): void {
  res.status(400).json({ error: 'invalid request', issues: validationIssues(error) });
}
