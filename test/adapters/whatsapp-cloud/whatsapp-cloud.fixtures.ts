import { createHmac } from 'node:crypto';
import nock from 'nock';
import request from 'supertest';
import { afterEach, expect } from 'vitest';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import { WhatsappCloudChannel } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.channel.ts';
import { manualClock, testApp } from '../../support/test-app.ts';

/** Test credentials: the shapes of real ones, values of no account. */
export const GRAPH = 'https://graph.facebook.com';
export const PHONE_NUMBER_ID = '106540352242922';
export const DISPLAY_NUMBER = '15550783881';
export const TOKEN = 'EAAGtest-token-not-real';
export const APP_SECRET = 'test-app-secret-0123456789abcdef';
export const VERIFY_TOKEN = 'verify-me-please';
export const MESSAGES_PATH = `/v23.0/${PHONE_NUMBER_ID}/messages`;
/** The person: a wa_id is their phone number in international form without "+". */
export const WA_ID = '4915112345678';

export const ENV = {
  WHATSAPP_CLOUD_TOKEN: TOKEN,
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
  WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
};

/** A product with the channel on, a hand-moved clock, and the channel runtime itself. */
export async function whatsappApp(overrides: { logger?: Logger } = {}) {
  const clock = manualClock();
  const app = await testApp(ENV, { clock, ...overrides });
  const channel = app.channels.find((c): c is WhatsappCloudChannel => c instanceof WhatsappCloudChannel);
  if (!channel) throw new Error('the WhatsApp Cloud channel did not start');
  return Object.assign(app, { clock, channel });
}
export type WhatsappApp = Awaited<ReturnType<typeof whatsappApp>>;

/**
 * Registers an `afterEach` that disposes every product the returned function started (it takes
 * the options of {@link whatsappApp}) during the test, then drops nock's interceptors.
 */
export function whatsappAppsPerTest(): typeof whatsappApp {
  const started: WhatsappApp[] = [];
  afterEach(async () => {
    for (const app of started.splice(0)) await app.dispose();
    nock.cleanAll();
  });
  return async (overrides) => {
    const app = await whatsappApp(overrides);
    started.push(app);
    return app;
  };
}

/** The `X-Hub-Signature-256` Meta computes over the exact body bytes. */
export function sign(body: string, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Posts a notification signed like Meta does, then waits until it is processed. */
export async function deliver(app: WhatsappApp, payload: object) {
  const body = JSON.stringify(payload);
  const res = await request(app.http)
    .post('/webhooks/whatsapp')
    .set('content-type', 'application/json')
    .set('x-hub-signature-256', sign(body))
    .send(body);
  await app.channel.idle();
  await app.settle();
  return res;
}

/**
 * One step of a conversation: delivers the person's `n`-th message signed, expects it accepted,
 * and returns the Graph requests it caused (`sent` from {@link recordSends}).
 */
export async function deliverStep(app: WhatsappApp, sent: { bodies: unknown[] }, n: number, message: Record<string, unknown>, from = WA_ID): Promise<unknown[]> {
  sent.bodies.length = 0;
  const res = await deliver(app, inbound(app, wamid(n), message, from));
  expect(res.status).toBe(200);
  return [...sent.bodies];
}

/** A `messages` notification as Meta sends it, carrying one value. */
export function notification(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: DISPLAY_NUMBER, phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** A notification with one message from the person, sent at the clock's time. */
export function inbound(app: WhatsappApp, id: string, message: Record<string, unknown>, from = WA_ID) {
  const timestamp = String(Math.floor(app.clock.now().getTime() / 1000));
  return notification({
    contacts: [{ profile: { name: 'Amina K.' }, wa_id: from }],
    messages: [{ from, id, timestamp, ...message }],
  });
}

/** A wamid of the shape Meta uses. */
export function wamid(n: number): string {
  return `wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFjNFQjA${String(n).padStart(6, '0')}A==`;
}

/**
 * Answers every `POST /messages` like the Graph API and records the request bodies, so a
 * test can compare them whole. Checks the bearer token on each.
 */
export function recordSends(): { bodies: unknown[]; scope: nock.Scope } {
  const bodies: unknown[] = [];
  const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } })
    .post(MESSAGES_PATH)
    .times(100)
    .reply(200, (_uri, body) => {
      bodies.push(body);
      return { messaging_product: 'whatsapp', contacts: [{ input: WA_ID, wa_id: WA_ID }], messages: [{ id: wamid(900 + bodies.length) }] };
    });
  return { bodies, scope };
}

/** A logger that keeps every line, to prove what the logs never contain. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push(JSON.stringify({ level, ...fields, message }));
  };
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

const t = createTextRenderer(loadLocales());
/** The product's English wording of a locale key: translators edit the files while tests run. */
export const en = (key: string, params?: Record<string, string>): string => t('en', key, params);

/** What every Graph message request to `to` starts with. */
const envelope = (to: string) => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to }) as const;

/** The Graph request body of a text message to `to`. */
export function text(body: string, to = WA_ID) {
  return { ...envelope(to), type: 'text', text: { body, preview_url: false } };
}

/** The Graph request body of reply buttons to `to`, from [id, title] pairs. */
export function buttons(body: string, choices: [string, string][], to = WA_ID) {
  return {
    ...envelope(to),
    type: 'interactive',
    interactive: { type: 'button', body: { text: body }, action: { buttons: choices.map(([id, title]) => ({ type: 'reply', reply: { id, title } })) } },
  };
}

/** The Graph request body of a list message to `to`, from [id, title] rows. */
export function list(body: string, rows: [string, string][], to = WA_ID) {
  return {
    ...envelope(to),
    type: 'interactive',
    interactive: { type: 'list', body: { text: body }, action: { button: '☰', sections: [{ rows: rows.map(([id, title]) => ({ id, title })) }] } },
  };
}

/** The language picker a person without a language sees: 10 languages, so a list, each in its own name. */
export function languagePicker(to = WA_ID) {
  return list(
    en('common:pickLanguageFirst'),
    [
      ['ar', 'العربية'],
      ['fa', 'فارسی / دری'],
      ['ps', 'پښتو'],
      ['uk', 'Українська'],
      ['ti', 'ትግርኛ'],
      ['so', 'Soomaali'],
      ['tr', 'Türkçe'],
      ['fr', 'Français'],
      ['es', 'Español'],
      ['en', 'English'],
    ],
    to,
  );
}
