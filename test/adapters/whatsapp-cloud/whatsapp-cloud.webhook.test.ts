import nock from 'nock';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import {
  deliver,
  inbound,
  notification,
  PHONE_NUMBER_ID,
  recordSends,
  sign,
  VERIFY_TOKEN,
  WA_ID,
  wamid,
  whatsappApp,
  type WhatsappApp,
} from './whatsapp-cloud.fixtures.ts';

let app: WhatsappApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
  nock.cleanAll();
});

const person = { channel: 'whatsapp-cloud', id: WA_ID } as const;
// Why read the English texts: translators edit the locale files while this suite runs.
const t = createTextRenderer(loadLocales());
const en = (key: string, params?: Record<string, string>) => t('en', key, params);
const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: WA_ID } as const;
/** The language picker a stranger sees: 10 languages, so a list, each in its own name. */
const languagePicker = {
  ...envelope,
  type: 'interactive',
  interactive: {
    type: 'list',
    body: { text: en('common:pickLanguageFirst') },
    action: {
      button: '☰',
      sections: [
        {
          rows: [
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
          ].map(([id, title]) => ({ id, title })),
        },
      ],
    },
  },
};
const hello = (a: WhatsappApp, n = 1) => inbound(a, wamid(n), { type: 'text', text: { body: 'Hello' } });

/** Posts a body with the given signature header (or none) and waits for any processing. */
async function post(a: WhatsappApp, body: string, signature?: string) {
  let req = request(a.http).post('/webhooks/whatsapp').set('content-type', 'application/json');
  if (signature !== undefined) req = req.set('x-hub-signature-256', signature);
  const res = await req.send(body);
  await a.channel.idle();
  return res;
}

/** Nothing of the person was kept: no conversation, no reach record, no dedupe claim. */
async function expectNothingStored(a: WhatsappApp) {
  expect(await a.store.conversations.load(`whatsapp-cloud:${WA_ID}`)).toBeNull();
  expect(await a.store.reach.get(person)).toBeNull();
  expect(await a.store.ledger.claim('whatsapp-cloud', wamid(1), a.clock.now())).toBe(true);
}

describe('GET /webhooks/whatsapp (subscription check)', () => {
  const verify = (a: WhatsappApp, query: Record<string, string>) => request(a.http).get('/webhooks/whatsapp').query(query);

  it('answers the challenge as plain text when the verify token matches', async () => {
    app = await whatsappApp();
    const res = await verify(app, { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('1158201444');
  });

  it('refuses a wrong token, a wrong mode or a missing challenge with 403', async () => {
    app = await whatsappApp();
    const wrongToken = await verify(app, { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me-please!', 'hub.challenge': '1' });
    expect(wrongToken.status).toBe(403);
    expect(wrongToken.text).not.toContain('1');
    expect((await verify(app, { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' })).status).toBe(403);
    expect((await verify(app, { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN })).status).toBe(403);
    expect((await verify(app, {})).status).toBe(403);
  });
});

describe('POST /webhooks/whatsapp signature', () => {
  it('refuses a missing signature with 401 and keeps nothing', async () => {
    app = await whatsappApp();
    const sent = recordSends();
    const res = await post(app, JSON.stringify(hello(app)));
    expect(res.status).toBe(401);
    expect(sent.bodies).toEqual([]);
    await expectNothingStored(app);
  });

  it('refuses a signature made with another secret, or malformed, with 401 and keeps nothing', async () => {
    app = await whatsappApp();
    const sent = recordSends();
    const body = JSON.stringify(hello(app));
    expect((await post(app, body, sign(body, 'another-secret'))).status).toBe(401);
    expect((await post(app, body, sign(body).replace('sha256=', 'sha1='))).status).toBe(401);
    expect((await post(app, body, 'sha256=zz')).status).toBe(401);
    expect(sent.bodies).toEqual([]);
    await expectNothingStored(app);
  });

  it('refuses a valid signature over a different body (a replayed header) with 401', async () => {
    app = await whatsappApp();
    const sent = recordSends();
    const signed = JSON.stringify(inbound(app, wamid(7), { type: 'text', text: { body: 'Hi' } }));
    const tampered = JSON.stringify(hello(app));
    expect((await post(app, tampered, sign(signed))).status).toBe(401);
    // Same JSON, other bytes: the signature is over the exact bytes, not the meaning.
    expect((await post(app, `${signed} `, sign(signed))).status).toBe(401);
    expect(sent.bodies).toEqual([]);
    await expectNothingStored(app);
  });

  it('answers a signed notification with 200 and processes it', async () => {
    app = await whatsappApp();
    const sent = recordSends();
    const res = await deliver(app, hello(app));
    expect(res.status).toBe(200);
    expect(sent.bodies).toHaveLength(1);
    expect((await app.store.reach.get(person))?.lastInboundAt).toEqual(new Date(Math.floor(app.clock.now().getTime() / 1000) * 1000));
  });
});

describe('POST /webhooks/whatsapp payloads', () => {
  it('answers malformed JSON and a notification without its metadata with 400 naming the field', async () => {
    app = await whatsappApp();
    const broken = '{"object": "whatsapp_business_account", ';
    const malformed = await post(app, broken, sign(broken));
    expect(malformed.status).toBe(400);
    expect(malformed.body.issues).toEqual([{ field: 'body', message: 'malformed JSON' }]);
    const payload = hello(app);
    delete (payload.entry[0]!.changes[0]!.value as { metadata?: unknown }).metadata;
    const body = JSON.stringify(payload);
    const missing = await post(app, body, sign(body));
    expect(missing.status).toBe(400);
    expect(missing.body.issues[0].field).toBe('entry.0.changes.0.value.metadata');
  });

  it('acknowledges other products and other webhook fields with 200 and ignores them', async () => {
    app = await whatsappApp();
    const sent = recordSends();
    expect((await deliver(app, { object: 'page', entry: [{ id: '1', time: 1, messaging: [] }] })).status).toBe(200);
    const templateUpdate = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] };
    expect((await deliver(app, templateUpdate)).status).toBe(200);
    expect(sent.bodies).toEqual([]);
  });

  it('ignores messages to another phone number of the same account and echoes of our own number', async () => {
    app = await whatsappApp();
    const sent = recordSends();
    const other = hello(app);
    other.entry[0]!.changes[0]!.value.metadata = { display_phone_number: '15550000000', phone_number_id: '999999999999999' };
    expect((await deliver(app, other)).status).toBe(200);
    const echo = inbound(app, wamid(2), { type: 'text', text: { body: 'Hello' } }, '15550783881');
    expect((await deliver(app, echo)).status).toBe(200);
    expect(sent.bodies).toEqual([]);
    expect(await app.store.reach.get(person)).toBeNull();
  });

  it('answers a malformed message as one it cannot read, drops one without a sender, and still processes the other messages of the notification', async () => {
    app = await whatsappApp();
    const sent = recordSends();
    const timestamp = String(Math.floor(app.clock.now().getTime() / 1000));
    const payload = notification({
      messages: [
        // No sender: nobody to answer, so it is dropped.
        { id: wamid(3), timestamp, type: 'text', text: { body: 'Hello' } },
        { from: WA_ID, id: wamid(1), timestamp, type: 'location', location: { latitude: 'north' } },
        { from: WA_ID, id: wamid(2), timestamp, type: 'text', text: { body: 'Hello' } },
      ],
    });
    expect((await deliver(app, payload)).status).toBe(200);
    expect(sent.bodies).toEqual([
      // The unreadable pin is the stranger's first message: it opens the onboarding.
      languagePicker,
      // "Hello" is then taken as an answer to the picker, which it is not.
      { ...envelope, type: 'text', text: { body: en('common:pickOne'), preview_url: false } },
      languagePicker,
    ]);
    // The conversation waits at the picker with one wrong answer: "Hello".
    expect((await app.store.conversations.load(`whatsapp-cloud:${WA_ID}`))?.value).toMatchObject({ dialog: 'onboarding', step: 'language', attempts: 1, lang: null });
    expect((await app.store.reach.get(person))?.lastInboundAt).toEqual(new Date(Number(timestamp) * 1000));
    // Both of the person's messages were handled (claimed), the sender-less one never was.
    expect(await app.store.ledger.claim('whatsapp-cloud', wamid(1), app.clock.now())).toBe(false);
    expect(await app.store.ledger.claim('whatsapp-cloud', wamid(2), app.clock.now())).toBe(false);
    expect(await app.store.ledger.claim('whatsapp-cloud', wamid(3), app.clock.now())).toBe(true);
  });

  it('processes the same wamid once, even when Meta redelivers it', async () => {
    app = await whatsappApp();
    const sent = recordSends();
    expect((await deliver(app, hello(app))).status).toBe(200);
    expect((await deliver(app, hello(app))).status).toBe(200);
    expect(sent.bodies).toHaveLength(1);
    // Two deliveries of the next message racing each other: still one turn, one answer.
    const english = inbound(app, wamid(2), { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'en', title: 'English' } } });
    await Promise.all([deliver(app, english), deliver(app, english)]);
    expect(sent.bodies).toHaveLength(2);
    expect(sent.bodies[1]).toMatchObject({ interactive: { type: 'button', action: { buttons: [{ reply: { id: 'agree' } }, { reply: { id: 'disagree' } }] } } });
  });

  it('tells Meta to retry later (503) once the channel is stopping', async () => {
    app = await whatsappApp();
    await app.channel.stop();
    expect((await deliver(app, hello(app))).status).toBe(503);
  });
});

describe('status callbacks', () => {
  it('records sent, delivered, read and failed as delivery receipts', async () => {
    app = await whatsappApp();
    const at = (s: number) => String(1_795_860_000 + s);
    const status = (id: string, s: string, t: number, extra: object = {}) => ({ id, status: s, timestamp: at(t), recipient_id: WA_ID, ...extra });
    const payload = notification({
      statuses: [
        status(wamid(901), 'sent', 0, { conversation: { id: 'c1', origin: { type: 'service' } }, pricing: { billable: false, category: 'service' } }),
        status(wamid(901), 'delivered', 2),
        status(wamid(901), 'read', 9),
        status(wamid(902), 'failed', 4, { errors: [{ code: 131047, title: 'Re-engagement message' }] }),
        status(wamid(903), 'deleted', 4),
      ],
    });
    expect((await deliver(app, payload)).status).toBe(200);
    expect(await app.store.receipts.get('whatsapp-cloud', wamid(901))).toEqual({ status: 'read', at: new Date(Number(at(9)) * 1000) });
    expect(await app.store.receipts.get('whatsapp-cloud', wamid(902))).toEqual({ status: 'failed', at: new Date(Number(at(4)) * 1000) });
    expect(await app.store.receipts.get('whatsapp-cloud', wamid(903))).toBeNull();
    // A late "delivered" never takes a read message backwards.
    await deliver(app, notification({ statuses: [status(wamid(901), 'delivered', 3)] }));
    expect((await app.store.receipts.get('whatsapp-cloud', wamid(901)))?.status).toBe('read');
  });

  it('does not record statuses of another phone number', async () => {
    app = await whatsappApp();
    const payload = notification({ statuses: [{ id: wamid(905), status: 'read', timestamp: '1795860000', recipient_id: WA_ID }] });
    payload.entry[0]!.changes[0]!.value.metadata = { display_phone_number: '15550000000', phone_number_id: `${PHONE_NUMBER_ID}0` };
    await deliver(app, payload);
    expect(await app.store.receipts.get('whatsapp-cloud', wamid(905))).toBeNull();
  });
});
