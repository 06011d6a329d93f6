import { z } from 'zod';
import type { SendResult } from '../../core/ports/channel.port.ts';

/** Why: without a Retry-After header we still wait long enough for Facebook's limits to ease. */
const DEFAULT_RETRY_AFTER_MS = 10_000;

const headersSchema = z.custom<{ get(name: string): string | null | undefined }>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { get?: unknown }).get === 'function',
);

/**
 * The parts of a failed send we branch on. The Bot Connector client throws a RestError with
 * `statusCode`, `code` (the body's `error.code`) and `response.headers`; MSAL token errors carry
 * `errorCode`; network errors a Node `code` (ECONNREFUSED). Never the message: it may hold the
 * conversation URL.
 */
const sendErrorSchema = z.object({
  name: z.string().max(100).catch('Error'),
  statusCode: z.number().int().min(100).max(599).optional().catch(undefined),
  code: z.string().max(100).optional().catch(undefined),
  errorCode: z.string().max(100).optional().catch(undefined),
  response: z.object({ headers: headersSchema }).optional().catch(undefined),
});

/** Reads a Retry-After header (seconds or an HTTP date) as milliseconds from `now`. */
export function retryAfterMs(header: string | null | undefined, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** A short, personal-data-free code for an error (`BotBlocked`, `ECONNREFUSED`, `invalid_client`). */
function safeCode(value: string | undefined): string | null {
  return value && /^[A-Za-z0-9_.-]{1,60}$/.test(value) ? value : null;
}

/**
 * Classifies an error thrown while sending through the Bot Connector: 429 rate-limited (with
 * Retry-After), 403 blocked, 404 the conversation is gone, 5xx and no answer at all transient,
 * any other 4xx permanent. Details carry statuses and error codes only.
 */
export function classifySendError(error: unknown, now: Date): SendResult {
  const parsed = sendErrorSchema.safeParse(error);
  if (!parsed.success) return { status: 'transient-failure', detail: 'unknown error' };
  const { name, statusCode, response } = parsed.data;
  const code = safeCode(parsed.data.code) ?? safeCode(parsed.data.errorCode);
  if (statusCode === undefined) {
    // No HTTP answer: a network error, a timeout, or no token from Microsoft Entra ID.
    return { status: 'transient-failure', detail: code ? `${name} ${code}` : name };
  }
  const detail = code ? `HTTP ${statusCode} ${code}` : `HTTP ${statusCode}`;
  if (statusCode === 429) {
    return { status: 'rate-limited', retryAfterMs: retryAfterMs(response?.headers.get('retry-after'), now) ?? DEFAULT_RETRY_AFTER_MS };
  }
  if (statusCode === 403) return { status: 'unreachable', reason: 'blocked' };
  if (statusCode === 404) return { status: 'unreachable', reason: 'unknown-address' };
  if (statusCode >= 500 || statusCode === 408) return { status: 'transient-failure', detail };
  return { status: 'permanent-failure', detail };
}
