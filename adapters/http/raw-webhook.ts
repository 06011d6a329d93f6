import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import { validationIssues } from './validation-error.ts';

/**
 * A platform webhook answered on node's own request and response, ahead of express. Why: it is
 * the busiest route by far (one request per message of every person), and express's router,
 * body parser and response helpers took more CPU per request than the rest of the HTTP work
 * together; such a webhook needs none of them: one path, one method, a JSON body, a status.
 */
export interface RawWebhook {
  /** The path it takes POST requests on (a query string is ignored); other methods go to express (404). */
  readonly path: string;
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Whether `url` (a request's path and query) is `path`, with or without a trailing slash (as express matches). */
export function isPath(url: string | undefined, path: string): boolean {
  if (url === undefined || !url.startsWith(path)) return false;
  let end = path.length;
  if (url[end] === '/') end++;
  return end === url.length || url[end] === '?';
}

/** Answers `status` with a JSON body (or none). */
export function answer(res: ServerResponse, status: number, body?: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { ...headers, 'content-length': '0' }).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}

/** Answers 400 naming each offending field, as the express routes do (sendValidationError). */
export function answerValidationError(res: ServerResponse, error: ZodError): void {
  answer(res, 400, { error: 'invalid request', issues: validationIssues(error) });
}

/** A request body read as JSON, or the 4xx (and headers) that say why it could not be. */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly error: unknown; readonly headers?: Readonly<Record<string, string>> };

const MALFORMED = { error: 'invalid request', issues: [{ field: 'body', message: 'malformed JSON' }] };
const NOT_JSON = { error: 'invalid request', issues: [{ field: 'content-type', message: 'must be application/json' }] };
const ENCODED = { error: 'unsupported media type', issues: [{ field: 'content-encoding', message: 'send the body unencoded' }] };
const TOO_LARGE = { error: 'request too large', issues: [{ field: 'body', message: 'too large' }] };
// Why close: the rest of an oversized body is not worth reading to keep the connection.
const CLOSE = { connection: 'close' };

/**
 * Reads a JSON body of at most `limitBytes`, with the answers the express app gives for the same
 * faults (400 malformed, 413 too large). Resolves null when the client went away mid-body.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<JsonBody | null> {
  const type = req.headers['content-type'];
  if (type === undefined || !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) return Promise.resolve({ ok: false, status: 400, error: NOT_JSON });
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return Promise.resolve({ ok: false, status: 415, error: ENCODED });
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) return Promise.resolve({ ok: false, status: 413, error: TOO_LARGE, headers: CLOSE });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else {
        req.off('data', onData);
        resolve({ ok: false, status: 413, error: TOO_LARGE, headers: CLOSE });
      }
    };
    req.on('data', onData);
    req.on('error', () => resolve(null));
    req.on('close', () => {
      if (!req.complete) resolve(null);
    });
    req.on('end', () => {
      if (size > limitBytes) return;
      try {
        resolve({ ok: true, value: JSON.parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')) as unknown });
      } catch {
        resolve({ ok: false, status: 400, error: MALFORMED });
      }
    });
  });
}
