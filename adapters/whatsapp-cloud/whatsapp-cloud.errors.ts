import { z } from 'zod';
import type { SendResult, UnreachableReason } from '../../core/ports/channel.port.ts';

/** A Graph API error body: `{error: {message, type, code, error_subcode?, error_data?, fbtrace_id}}`. */
export const graphErrorSchema = z.object({
  error: z.object({
    type: z.string().optional(),
    code: z.coerce.number().int(),
    error_subcode: z.coerce.number().int().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/**
 * Rate limits by error code, with the wait used when Meta sends no Retry-After header.
 * Why these waits: throughput (80 messages/s per number) frees up within a second; the pair
 * limit (about one message every 6 s to one person, with bursts) and the app and account
 * call limits need longer; a spam-rate restriction lasts hours.
 */
const RATE_LIMITS: ReadonlyMap<number, number> = new Map([
  [4, 60_000], // application request limit
  [80007, 60_000], // WhatsApp Business Account rate limit
  [130429, 1_000], // Cloud API throughput reached
  [131056, 60_000], // (business, consumer) pair rate limit
  [131048, 3_600_000], // spam rate limit: too many messages blocked or reported
]);

/** Codes meaning this person cannot be written to now, whatever we retry. */
const UNREACHABLE: ReadonlyMap<number, UnreachableReason> = new Map([
  [131047, 'outside-window'], // re-engagement: more than 24 h since the person last wrote
  [131026, 'not-on-channel'], // undeliverable: not on WhatsApp, old app, terms not accepted
  [131050, 'blocked'], // the person stopped messages from this business
]);

/** Codes Meta documents as temporary: unknown error, service down, maintenance. */
const TRANSIENT: ReadonlySet<number> = new Set([1, 2, 131000, 131016, 131057, 133004]);

/** Codes meaning the access token is expired, revoked or lacks a permission. */
const AUTH: ReadonlySet<number> = new Set([0, 10, 190]);

/**
 * Reads a Retry-After header (seconds or an HTTP date) as milliseconds from `now`; null when
 * absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * Classifies a failed `POST /messages` from its HTTP status, its body and its Retry-After
 * header. Details name codes and statuses only: no phone number, no text.
 */
export function classifyGraphFailure(httpStatus: number, body: unknown, retryAfter: number | null): SendResult {
  const parsed = graphErrorSchema.safeParse(body);
  if (!parsed.success) {
    if (httpStatus === 429) return { status: 'rate-limited', retryAfterMs: retryAfter ?? 60_000 };
    if (httpStatus >= 500) return { status: 'transient-failure', detail: `HTTP ${httpStatus}` };
    return { status: 'permanent-failure', detail: `HTTP ${httpStatus} without a Graph error body` };
  }
  const { code, error_subcode: subcode } = parsed.data.error;
  const named = `graph error ${code}${subcode === undefined ? '' : `/${subcode}`} (HTTP ${httpStatus})`;
  const wait = RATE_LIMITS.get(code);
  if (wait !== undefined) return { status: 'rate-limited', retryAfterMs: retryAfter ?? wait };
  const reason = UNREACHABLE.get(code);
  if (reason) return { status: 'unreachable', reason };
  if (AUTH.has(code) || (code >= 200 && code <= 299)) return { status: 'permanent-failure', detail: 'auth' };
  if (TRANSIENT.has(code) || httpStatus >= 500) return { status: 'transient-failure', detail: named };
  if (httpStatus === 429) return { status: 'rate-limited', retryAfterMs: retryAfter ?? 60_000 };
  return { status: 'permanent-failure', detail: named };
}

/** The system error code of a failed request (`ECONNRESET`), on the error or its cause. */
export function networkErrorCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
  }
  return null;
}

/** Classifies a request that got no answer at all (refused, reset, timed out): always worth a later try. */
export function classifyNetworkFailure(error: unknown): SendResult {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { status: 'transient-failure', detail: 'timeout' };
  }
  const code = networkErrorCode(error);
  return { status: 'transient-failure', detail: code ? `network error ${code}` : 'network error' };
}
