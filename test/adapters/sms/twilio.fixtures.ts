import { createHmac } from 'node:crypto';
import nock from 'nock';
import request from 'supertest';
import { afterEach } from 'vitest';
import { loadLocales } from '../../../bots/locales.ts';
import { createVariantTextRenderer } from '../../../core/i18n/text-renderer.ts';
import { numberedList } from '../../../core/outbox/render-for-channel.ts';
import { measureSms, smsFriendly } from '../../../core/text/sms-segments.ts';
import type { AppOverrides } from '../../../adapters/app.ts';
import { manualClock, testApp } from '../../support/test-app.ts';

/** Test credentials of Twilio's shapes, of no account. */
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const OUR_NUMBER = '+33757000000';
export const PUBLIC_URL = 'https://sms.example.org';
export const TWILIO = 'https://api.twilio.com';
export const MESSAGES_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

export const TWILIO_ENV = { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: OUR_NUMBER, TWILIO_PUBLIC_URL: PUBLIC_URL };

/** A product with Twilio on and a hand-moved clock; every app started is disposed after the test. */
export function twilioAppsPerTest() {
  const started: { dispose(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const app of started.splice(0)) await app.dispose();
    nock.cleanAll();
  });
  return async (env: Record<string, string> = {}, overrides: AppOverrides = {}) => {
    const clock = manualClock();
    const app = Object.assign(await testApp({ ...TWILIO_ENV, ...env }, { clock, ...overrides }), { clock });
    started.push(app);
    return app;
  };
}
export type TwilioApp = Awaited<ReturnType<ReturnType<typeof twilioAppsPerTest>>>;

/**
 * Twilio's request signature, written out from its documentation rather than taken from the
 * library: base64 HMAC-SHA1, with the auth token, of the URL followed by every POST field name
 * and value, sorted by name.
 */
export function twilioSignature(url: string, params: Record<string, string>, token = AUTH_TOKEN): string {
  const data = url + Object.keys(params).sort().map((k) => `${k}${params[k]}`).join('');
  return createHmac('sha1', token).update(Buffer.from(data, 'utf8')).digest('base64');
}

let sids = 0;
/** A message SID of Twilio's shape. */
export function messageSid(n = ++sids): string {
  return `SM${n.toString(16).padStart(32, '0')}`;
}

/** The form fields of an SMS from `from`, as Twilio posts them. */
export function inboundFields(from: string, body: string, sid = messageSid()): Record<string, string> {
  return { ToCountry: 'FR', SmsMessageSid: sid, NumMedia: '0', SmsSid: sid, SmsStatus: 'received', Body: body, To: OUR_NUMBER, NumSegments: '1', MessageSid: sid, AccountSid: ACCOUNT_SID, From: from, ApiVersion: '2010-04-01' };
}

/** Posts signed form fields to one of our Twilio webhooks (a wrong `signature` when given). */
export async function postTwilio(app: TwilioApp, path: string, fields: Record<string, string>, signature?: string) {
  const res = await request(app.http)
    .post(path)
    .type('form')
    .set('x-twilio-signature', signature ?? twilioSignature(`${PUBLIC_URL}${path}`, fields))
    .send(fields);
  await app.settle();
  return res;
}

/** One SMS a person sends; returns the webhook's answer once the turn's replies went out. */
export async function texts(app: TwilioApp, from: string, body: string, sid?: string) {
  const res = await postTwilio(app, '/webhooks/twilio/sms', inboundFields(from, body, sid));
  app.clock.advance(20_000);
  return res;
}

/**
 * A JSON answer with its length. Why: Twilio's client keeps connections alive, and nock 14 never
 * ends such an answer without an explicit content-length (the request would hang to its timeout).
 */
function json(status: number, body: object): [number, string, Record<string, string>] {
  const text = JSON.stringify(body);
  return [status, text, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }];
}

/** What Twilio received: one form body per message sent, in order. */
export interface Outgoing {
  readonly To: string;
  readonly From?: string;
  readonly Body: string;
  readonly StatusCallback?: string;
}

/**
 * Answers `POST /2010-04-01/Accounts/{Sid}/Messages.json` like Twilio (201 with the message
 * resource), checks basic auth, and records each form body. `fail` answers chosen calls
 * (counted from 1) with an error instead.
 */
export function recordTwilio(fail: Record<number, { status: number; code: number }> = {}): { sent: Outgoing[]; calls: () => number } {
  const sent: Outgoing[] = [];
  let calls = 0;
  nock(TWILIO, { reqheaders: { authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` } })
    .persist()
    .post(MESSAGES_PATH)
    .reply((_uri, body) => {
      calls++;
      const failure = fail[calls];
      if (failure) return json(failure.status, { code: failure.code, message: 'refused', more_info: `https://www.twilio.com/docs/errors/${failure.code}`, status: failure.status });
      const form = Object.fromEntries(new URLSearchParams(String(body))) as unknown as Outgoing;
      sent.push(form);
      return json(201, { sid: messageSid(10_000 + calls), account_sid: ACCOUNT_SID, to: form.To, from: OUR_NUMBER, body: form.Body, status: 'queued', num_segments: String(measureSms(form.Body).segments) });
    });
  return { sent, calls: () => calls };
}

const words = createVariantTextRenderer(loadLocales(), 'sms');
/** The product's SMS wording of a key in a language (its `_sms` variant where there is one), as sent. */
export const sms = (lang: string, key: string, params?: Record<string, string>): string => smsFriendly(words(lang, key, params));
/** A question with its choices, as an SMS shows them. */
export const smsList = (lang: string, key: string, labels: readonly string[]): string => smsFriendly(numberedList(words(lang, key), labels.map((label, i) => ({ id: String(i), label })), true));

/** The languages in the order the picker lists them, in their own names. */
export const PICKER = ['العربية', 'فارسی / دری', 'پښتو', 'Українська', 'ትግርኛ', 'Soomaali', 'Türkçe', 'Français', 'Español', 'English'];

/** The menu a newcomer sees after signing up, as label keys. */
export const MENU = ['exchange:menuEntry', 'menu:work', 'menu:join', 'menu:language', 'menu:privacy', 'menu:help', 'common:relay.myConversations'];
