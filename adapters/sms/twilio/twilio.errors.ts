import type { SendResult, UnreachableReason } from '../../../core/ports/channel.port.ts';

/**
 * Twilio error codes that mean this number cannot be written to (whatever we retry). 21610:
 * the person texted STOP to our number (Twilio refuses until they text START).
 */
const UNREACHABLE: ReadonlyMap<number, UnreachableReason> = new Map([
  [21610, 'opted-out'], // unsubscribed recipient: texted STOP to Twilio (never a fallback elsewhere)
  [21211, 'unknown-address'], // invalid 'To' number
  [21614, 'not-on-channel'], // 'To' is not a mobile number (a landline cannot take an SMS)
  [21612, 'not-on-channel'], // no route to this number from ours
  [21408, 'not-on-channel'], // the destination's region is not enabled on the account
  [30003, 'not-on-channel'], // unreachable destination handset
  [30005, 'unknown-address'], // unknown destination handset
  [30006, 'not-on-channel'], // landline or unreachable carrier
]);

/** Codes Twilio uses for "too many, slow down", with the wait used when it sends no Retry-After. */
const RATE_LIMITS: ReadonlyMap<number, number> = new Map([
  [20429, 1_000], // too many concurrent requests
  [14107, 5_000], // SMS send rate limit exceeded
  [30001, 10_000], // queue overflow: more queued than the number's throughput drains
  [30022, 60_000], // US A2P 10DLC throughput exceeded
]);

/** Codes of a fault on Twilio's or a carrier's side, worth a later try. */
const TRANSIENT: ReadonlySet<number> = new Set([20500, 20503, 30008, 30009, 30010]);

/** Codes meaning our own credentials or sender are wrong: nothing will go until an operator acts. */
const AUTH: ReadonlySet<number> = new Set([20003, 20005, 20008, 21606, 21659, 21212]);

/**
 * Classifies a refused `POST /2010-04-01/Accounts/{Sid}/Messages.json` from its HTTP status and
 * Twilio's error code. Details name codes only: never the number or the text.
 */
export function classifyTwilioFailure(httpStatus: number, code: number | null, retryAfterMs: number | null): SendResult {
  const named = `twilio error ${code ?? 'none'} (HTTP ${httpStatus})`;
  if (code !== null) {
    const reason = UNREACHABLE.get(code);
    if (reason) return { status: 'unreachable', reason };
    const wait = RATE_LIMITS.get(code);
    if (wait !== undefined) return { status: 'rate-limited', retryAfterMs: retryAfterMs ?? wait };
    if (TRANSIENT.has(code)) return { status: 'transient-failure', detail: named };
    if (AUTH.has(code)) return { status: 'permanent-failure', detail: named };
  }
  if (httpStatus === 429) return { status: 'rate-limited', retryAfterMs: retryAfterMs ?? 1_000 };
  if (httpStatus >= 500 || httpStatus === 408) return { status: 'transient-failure', detail: named };
  if (httpStatus === 401 || httpStatus === 403) return { status: 'permanent-failure', detail: named };
  return { status: 'permanent-failure', detail: named };
}
