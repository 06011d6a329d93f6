import { describe, expect, it } from 'vitest';
import { classifyTwilioFailure } from '../../../adapters/sms/twilio/twilio.errors.ts';

describe('Twilio error codes', () => {
  it.each([
    [400, 21610, { status: 'unreachable', reason: 'opted-out' }],
    [400, 21211, { status: 'unreachable', reason: 'unknown-address' }],
    [400, 21614, { status: 'unreachable', reason: 'not-on-channel' }],
    [429, 20429, { status: 'rate-limited', retryAfterMs: 1_000 }],
    [400, 14107, { status: 'rate-limited', retryAfterMs: 5_000 }],
    [503, 20503, { status: 'transient-failure', detail: 'twilio error 20503 (HTTP 503)' }],
    [500, null, { status: 'transient-failure', detail: 'twilio error none (HTTP 500)' }],
    [401, 20003, { status: 'permanent-failure', detail: 'twilio error 20003 (HTTP 401)' }],
    [400, 21606, { status: 'permanent-failure', detail: 'twilio error 21606 (HTTP 400)' }],
    [429, null, { status: 'rate-limited', retryAfterMs: 1_000 }],
  ])('HTTP %i with code %s', (httpStatus, code, expected) => {
    expect(classifyTwilioFailure(httpStatus, code, null)).toEqual(expected);
  });
});
