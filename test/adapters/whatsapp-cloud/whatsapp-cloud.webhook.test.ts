import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  deliver,
  en,
  inbound,
  languagePicker,
  notification,
  PHONE_NUMBER_ID,
  recordSends,
  sign,
  text,
  VERIFY_TOKEN,
  WA_ID,
  wamid,
  whatsappAppsPerTest,
  type WhatsappApp,
} from './whatsapp-cloud.fixtures.ts';

const startApp = whatsappAppsPerTest();

const person = { channel: 'whatsapp-cloud', id: WA_ID } as const;
const hello = (a: WhatsappApp, n = 1) => inbound(a, wamid(n), { type: 'text', text: { body: 'Hello' } });

/** Posts a body with the given signature header (or none) and waits for any processing. */
async function post(a: WhatsappApp, body: string, signature?: string) {
  let req = request(a.http).post('/webhooks/whatsapp').set('content-type', 'application/json');
  if (signature !== undefined) req = req.set('x-hub-signature-256', signature);
  const res = await req.send(body);
  await a.channel.idle();
  await a.settle();
  return res;
}

/** Nothing of the person was kept: no conversation (which would hold the dedupe marks), no reach record. */
async function expectNothingStored(a: WhatsappApp) {
  expect(await a.store.conversations.load(`whatsapp-cloud:${WA_ID}`)).toBeNull();
  expect(await a.store.reach.get(person)).toBeNull();
}

describe('GET /webhooks/whatsapp (subscription check)', () => {
  const verify = (a: WhatsappApp, query: Record<string, string>) => request(a.http).get('/webhooks/whatsapp').query(query);

  it('answers the challenge as plain text when the verify token matches', async () => {
    const app = await startApp();
    const res = await verify(app, { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('1158201444');
  });

  it('refuses a wrong token, a wrong mode or a missing challenge with 403', async () => {
    const app = await startApp();
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
    const app = await startApp();
    const sent = recordSends();
    const res = await post(app, JSON.stringify(hello(app)));
    expect(res.status).toBe(401);
    expect(sent.bodies).toEqual([]);
    await expectNothingStored(app);
  });

  it('refuses a signature made with another secret, or malformed, with 401 and keeps nothing', async () => {
    const app = await startApp();
    const sent = recordSends();
    const body = JSON.stringify(hello(app));
    expect((await post(app, body, sign(body, 'another-secret'))).status).toBe(401);
    expect((await post(app, body, sign(body).replace('sha256=', 'sha1='))).status).toBe(401);
    expect((await post(app, body, 'sha256=zz')).status).toBe(401);
    expect(sent.bodies).toEqual([]);
    await expectNothingStored(app);
  });

  it('refuses a valid signature over a different body (a replayed header) with 401', async () => {
    const app = await startApp();
    const sent = recordSends();
    const signed = JSON.stringify(inbound(app, wamid(7), { type: 'text', text: { body: 'Hi' } }));
    const tampered = JSON.stringify(hello(app));
    expect((await post(app, tampered, sign(signed))).status).toBe(401);
    // Same JSON, other bytes: the signature is over the exact bytes, not the meaning.
    expect((await post(app, `${signed} `, sign(signed))).status).toBe(401);
    expect(sent.bodies).toEqual([]);
    await expectNothingStored(app);
  });

  it('answers a correctly signed notification sent as text/plain with 415, not "invalid signature"', async () => {
    const app = await startApp();
    const sent = recordSends();
    const body = JSON.stringify(hello(app));
    const res = await request(app.http).post('/webhooks/whatsapp').set('content-type', 'text/plain').set('x-hub-signature-256', sign(body)).send(body);
    await app.channel.idle();
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'unsupported media type', issues: [{ field: 'content-type', message: 'must be application/json' }] });
    expect(sent.bodies).toEqual([]);
    await expectNothingStored(app);
  });

  it('answers a signed notification with 200 and processes it', async () => {
    const app = await startApp();
    const sent = recordSends();
    const res = await deliver(app, hello(app));
    expect(res.status).toBe(200);
    expect(sent.bodies).toHaveLength(1);
    expect((await app.store.reach.get(person))?.lastInboundAt).toEqual(new Date(Math.floor(app.clock.now().getTime() / 1000) * 1000));
  });
});

describe('POST /webhooks/whatsapp payloads', () => {
  it('answers malformed JSON and a notification without its metadata with 400 naming the field', async () => {
    const app = await startApp();
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
    const app = await startApp();
    const sent = recordSends();
    expect((await deliver(app, { object: 'page', entry: [{ id: '1', time: 1, messaging: [] }] })).status).toBe(200);
    const templateUpdate = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] };
    expect((await deliver(app, templateUpdate)).status).toBe(200);
    expect(sent.bodies).toEqual([]);
  });

  it('ignores messages to another phone number of the same account and echoes of our own number', async () => {
    const app = await startApp();
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
    const app = await startApp();
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
      languagePicker(),
      // "Hello" is then taken as an answer to the picker, which it is not.
      text(en('common:pickOne')),
      languagePicker(),
    ]);
    // The conversation waits at the picker with one wrong answer: "Hello".
    expect((await app.store.conversations.load(`whatsapp-cloud:${WA_ID}`))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'language', attempts: 1, lang: null });
    expect((await app.store.reach.get(person))?.lastInboundAt).toEqual(new Date(Number(timestamp) * 1000));
    // Both of the person's messages were handled (marked seen with their turns), the sender-less one never was.
    expect((await app.store.conversations.load(`whatsapp-cloud:${WA_ID}`))?.value.seen).toHaveLength(2);
  });

  it('processes the same wamid once, even when Meta redelivers it', async () => {
    const app = await startApp();
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
    const app = await startApp();
    await app.channel.stop();
    expect((await deliver(app, hello(app))).status).toBe(503);
  });
});

describe('status callbacks', () => {
  it('records sent, delivered, read and failed as delivery receipts', async () => {
    const app = await startApp();
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
    const app = await startApp();
    const payload = notification({ statuses: [{ id: wamid(905), status: 'read', timestamp: '1795860000', recipient_id: WA_ID }] });
    payload.entry[0]!.changes[0]!.value.metadata = { display_phone_number: '15550000000', phone_number_id: `${PHONE_NUMBER_ID}0` };
    await deliver(app, payload);
    expect(await app.store.receipts.get('whatsapp-cloud', wamid(905))).toBeNull();
  });
});
