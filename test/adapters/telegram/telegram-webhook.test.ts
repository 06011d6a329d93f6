import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { telegramUpdates } from '../../fakes/telegram-updates.ts';
import { en, inline, LANGUAGE_KEYBOARD, PUBLIC_URL, SECRET, shownKeyboard, telegramApp } from './telegram-harness.ts';
import { storedPin } from '../../support/places.ts';

let api: FakeBotApi;
let app: Awaited<ReturnType<typeof telegramApp>>;
const amina = { id: 523_881_001, firstName: 'Amina' };
/** A sticker and one size of a photo, as the Bot API describes them (file ids of no real file). */
const STICKER = { file_id: 'CAACAgIAAxkBAAIBQ2ZsT1', file_unique_id: 'AgADqQ0AAtx', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false };
const PHOTO_SIZE = { file_id: 'AgACAgQAAxkBAAIBRGZsU2', file_unique_id: 'AQADxr0xG4', width: 1280, height: 960, file_size: 120_431 };

beforeEach(async () => {
  api = await startFakeBotApi();
  app = await telegramApp(api, 'webhook');
});
afterEach(async () => {
  await app.dispose();
  await api.close();
});

/** Posts an update as Telegram does, then lets the outbox send the replies it queued. */
async function post(update: object, secret: string | null = SECRET) {
  const req = request(app.http).post('/webhooks/telegram');
  const res = await (secret === null ? req : req.set('X-Telegram-Bot-Api-Secret-Token', secret)).send(update);
  await app.settle();
  return res;
}

describe('Telegram webhook mode', () => {
  it('registers its webhook with the secret and the update types it handles at start-up', async () => {
    await app.start();
    expect(api.callsTo('getMe')).toHaveLength(1);
    expect(api.webhook).toEqual({
      url: `${PUBLIC_URL}/webhooks/telegram`,
      secret_token: SECRET,
      allowed_updates: ['message', 'callback_query', 'channel_post'],
    });
    expect(app.channelStatus).toContainEqual({ channel: 'telegram', enabled: true, detail: 'webhook mode, POST /webhooks/telegram' });
  });

  it('holds the whole onboarding: buttons, answered taps, a location keyboard, and a stored person', async () => {
    await app.start();
    const u = telegramUpdates();
    const chat_id = amina.id;

    expect((await post(u.start(amina))).status).toBe(200);
    expect(api.sentMessages()).toEqual([{ chat_id, text: en('common:pickLanguageFirst'), reply_markup: LANGUAGE_KEYBOARD }]);

    const tapEnglish = u.callback(amina, 'en', shownKeyboard(api));
    expect((await post(tapEnglish)).status).toBe(200);
    const tapAgree = u.callback(amina, 'agree', shownKeyboard(api));
    expect((await post(tapAgree)).status).toBe(200);
    const tapNewcomer = u.callback(amina, 'newcomer', shownKeyboard(api));
    expect((await post(tapNewcomer)).status).toBe(200);
    // Every tap is answered, so the spinner on the button stops.
    expect(api.callsTo('answerCallbackQuery').map((c) => c.body)).toEqual([
      { callback_query_id: tapEnglish.callback_query.id },
      { callback_query_id: tapAgree.callback_query.id },
      { callback_query_id: tapNewcomer.callback_query.id },
    ]);

    expect((await post(u.text(amina, 'Amina'))).status).toBe(200);
    expect((await post(u.location(amina, 48.8566, 2.3522))).status).toBe(200);

    expect(api.sentMessages().slice(1)).toEqual([
      { chat_id, text: en('onboarding:privacy'), reply_markup: inline([[en('onboarding:agree'), 'agree'], [en('onboarding:disagree'), 'disagree']]) },
      {
        chat_id,
        text: en('onboarding:askRole'),
        // "New in the country" is long: one button per row.
        reply_markup: inline(
          [[en('onboarding:roleNewcomer'), 'newcomer']],
          [[en('onboarding:roleResident'), 'resident']],
          [[en('onboarding:roleStaff'), 'ngo-staff']],
          [[en('onboarding:roleRecruiter'), 'recruiter']],
        ),
      },
      { chat_id, text: en('onboarding:askName') },
      {
        chat_id,
        text: en('onboarding:askPlace'),
        reply_markup: { keyboard: [[{ text: '📍', request_location: true }], [{ text: en('onboarding:skip') }]], one_time_keyboard: true, resize_keyboard: true },
      },
      // The location was shared: the next message takes the reply keyboard away.
      { chat_id, text: en('onboarding:welcome', { firstName: 'Amina' }), reply_markup: { remove_keyboard: true } },
      {
        chat_id,
        text: en('menu:title'),
        reply_markup: inline([[en('exchange:menuEntry'), 'exchange']], [[en('menu:work'), 'work']], [[en('menu:join'), 'join']], [[en('menu:language'), 'language']], [[en('menu:privacy'), 'privacy']], [[en('menu:help'), 'help']], [[en('common:relay.myConversations'), 'conversations']], [[en('channels:menuEntry'), 'channels']]),
      },
    ]);

    const person = await app.store.people.findByAddress({ channel: 'telegram', id: String(amina.id) });
    expect(person).toMatchObject({
      firstName: 'Amina',
      lang: 'en',
      role: 'newcomer',
      roleStatus: 'active',
      // Kept as the centre of its coarse cell, never the exact point.
      place: storedPin(48.8566, 2.3522),
      identities: [{ channel: 'telegram', id: String(amina.id) }],
    });
  });

  it('takes the Skip button of the location keyboard (it arrives as its label in text) and removes the keyboard', async () => {
    const u = telegramUpdates();
    await post(u.start(amina));
    for (const choice of ['en', 'agree', 'resident']) await post(u.callback(amina, choice, shownKeyboard(api)));
    await post(u.text(amina, 'Amina'));
    expect((await post(u.text(amina, en('onboarding:skip')))).status).toBe(200);
    expect(api.sentMessages().slice(-2, -1)).toEqual([
      { chat_id: amina.id, text: en('onboarding:welcome', { firstName: 'Amina' }), reply_markup: { remove_keyboard: true } },
    ]);
    const person = await app.store.people.findByAddress({ channel: 'telegram', id: String(amina.id) });
    expect(person).toMatchObject({ firstName: 'Amina', role: 'resident', place: null });
  });

  it('refuses a wrong or missing secret with 401 and keeps nothing', async () => {
    const u = telegramUpdates();
    const wrong = await post(u.start(amina), 'not-the-secret');
    const missing = await post(u.text(amina, 'hello'), null);
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(api.callsTo('sendMessage')).toEqual([]);
    expect(await app.store.conversations.load(`telegram:${amina.id}`)).toBeNull();
    expect(await app.store.reach.get({ channel: 'telegram', id: String(amina.id) })).toBeNull();
  });

  it('processes a redelivered update once: one set of replies', async () => {
    const u = telegramUpdates();
    const update = u.start(amina);
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    expect(api.sentMessages()).toHaveLength(1);

    const tap = u.callback(amina, 'en', shownKeyboard(api));
    await post(tap);
    await post(tap);
    expect(api.sentMessages().map((m) => m['text'])).toEqual([en('common:pickLanguageFirst'), en('onboarding:privacy')]);
    // The redelivered tap is answered as well: its spinner must stop too.
    expect(api.callsTo('answerCallbackQuery')).toHaveLength(2);
  });

  it('hands a /start deep-link payload to the core', async () => {
    const u = telegramUpdates();
    expect((await post(u.start(amina, 'ngo-code'))).status).toBe(200);
    expect(api.sentMessages()).toEqual([{ chat_id: amina.id, text: en('common:pickLanguageFirst'), reply_markup: LANGUAGE_KEYBOARD }]);
    const stored = await app.store.conversations.load(`telegram:${amina.id}`);
    expect(stored?.value.session).toMatchObject({ dialog: 'onboarding', step: 'language', data: { startPayload: 'ngo-code' } });
  });

  it('answers 400 naming update_id for a body that is not an update', async () => {
    const res = await post({ message: { text: 'hi' } });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ field: 'update_id', message: expect.any(String) }]);
    const malformed = await request(app.http)
      .post('/webhooks/telegram')
      .set('X-Telegram-Bot-Api-Secret-Token', SECRET)
      .set('content-type', 'application/json')
      .send('{"update_id": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: 'invalid request', issues: [{ field: 'body', message: 'malformed JSON' }] });
  });

  it('answers the other faults of a body as the rest of the API does, and leaves other methods to the app', async () => {
    const withSecret = () => request(app.http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET);
    const notJson = await withSecret().set('content-type', 'text/plain').send('update_id=1');
    expect(notJson.status).toBe(400);
    expect(notJson.body.issues).toEqual([{ field: 'content-type', message: 'must be application/json' }]);
    const huge = await withSecret().send({ update_id: 1, padding: 'x'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.issues).toEqual([{ field: 'body', message: 'too large' }]);
    expect(huge.headers['connection']).toBe('close');
    const gzipped = await withSecret().set('content-type', 'application/json').set('content-encoding', 'gzip').send('{}');
    expect(gzipped.status).toBe(415);
    expect(gzipped.body.issues).toEqual([{ field: 'content-encoding', message: 'send the body unencoded' }]);
    // The body's length announced by nobody (chunked): counted as it arrives.
    const server = createServer(app.http).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/webhooks/telegram', method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write('{"update_id": 1, "padding": "');
        for (let i = 0; i < 17; i++) req.write('x'.repeat(64 * 1024));
        req.end('"}');
      });
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body)).toEqual({ error: 'request too large', issues: [{ field: 'body', message: 'too large' }] });
      // A client that goes away mid-body: nothing is processed, nothing is answered, the server goes on.
      const cut = httpRequest({ host: '127.0.0.1', port, path: '/webhooks/telegram', method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET } });
      cut.on('error', () => undefined);
      cut.write(JSON.stringify(telegramUpdates().text({ id: 523_881_003, firstName: 'Cut' }, 'hi')).slice(0, 40));
      await new Promise((resolve) => setTimeout(resolve, 50));
      cut.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await app.store.conversations.load('telegram:523881003')).toBeNull();
    } finally {
      server.closeAllConnections();
      server.close();
    }
    // A charset in the content type is fine.
    expect((await withSecret().set('content-type', 'application/json; charset=utf-8').send(JSON.stringify(telegramUpdates().text({ id: 523_881_002, firstName: 'Omar' }, 'hi')))).status).toBe(200);
    // A query string (some proxies add one) reaches the same route.
    expect((await request(app.http).post('/webhooks/telegram?via=proxy').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(telegramUpdates().text(amina, 'hi'))).status).toBe(200);
    await app.settle();
    expect(api.sentMessages()).toHaveLength(2);
    // A trailing slash is the same route, as express matches it.
    expect((await request(app.http).post('/webhooks/telegram/').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send({})).status).toBe(400);
    expect((await request(app.http).get('/webhooks/telegram')).status).toBe(404);
    // The process still serves the next request normally.
    expect((await request(app.http).get('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('acknowledges and ignores unknown update types, groups, other bots and edits, even when they carry a photo or sticker', async () => {
    const u = telegramUpdates();
    const ignored = [
      { update_id: 900_000_001, my_chat_member: { chat: { id: amina.id, type: 'private' } } },
      { update_id: 900_000_002, edited_message: { message_id: 1, date: 1, chat: { id: amina.id, type: 'private' }, text: 'edit' } },
      u.groupText(amina, -100_200_300, 'hello group'),
      u.fromBot(amina, 'I am a bot'),
      // Media outside a private chat with a person is not for the bot either.
      { update_id: 900_000_003, message: { message_id: 9, date: 1, chat: { id: -100_200_300, type: 'group' }, from: { id: amina.id, is_bot: false }, photo: [PHOTO_SIZE] } },
      { update_id: 900_000_004, message: { message_id: 10, date: 1, chat: { id: amina.id, type: 'private' }, from: { id: amina.id, is_bot: true }, sticker: STICKER } },
      { update_id: 900_000_005, edited_message: { message_id: 11, date: 1, chat: { id: amina.id, type: 'private' }, from: { id: amina.id, is_bot: false }, photo: [PHOTO_SIZE] } },
    ];
    for (const update of ignored) expect((await post(update)).status).toBe(200);
    expect(api.callsTo('sendMessage')).toEqual([]);
    expect(await app.store.conversations.load(`telegram:${amina.id}`)).toBeNull();
    expect(await app.store.conversations.load('telegram:-100200300')).toBeNull();
  });

  it('starts a stranger who sends a sticker with the language picker, then answers a photo with "text only" and the question again', async () => {
    const u = telegramUpdates();
    const chat_id = amina.id;
    const key = `telegram:${amina.id}`;
    /** A private message from Amina that carries `fields` instead of text (ids keep growing). */
    const media = (fields: object) => {
      const update = u.text(amina, '');
      const { text: _text, ...message } = update['message'] as Record<string, unknown>;
      return { ...update, message: { ...message, ...fields } };
    };

    // A first message the bot cannot read still opens the onboarding, like any first message.
    expect((await post(media({ sticker: STICKER }))).status).toBe(200);
    expect(api.sentMessages()).toEqual([{ chat_id, text: en('common:pickLanguageFirst'), reply_markup: LANGUAGE_KEYBOARD }]);
    expect((await app.store.conversations.load(key))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'language', attempts: 0, lang: null });

    expect((await post(u.callback(amina, 'en', shownKeyboard(api)))).status).toBe(200);
    expect((await post(media({ photo: [PHOTO_SIZE], caption: 'my papers' }))).status).toBe(200);
    const privacy = { chat_id, text: en('onboarding:privacy'), reply_markup: inline([[en('onboarding:agree'), 'agree'], [en('onboarding:disagree'), 'disagree']]) };
    expect(api.sentMessages().slice(1)).toEqual([privacy, { chat_id, text: en('common:unsupported') }, privacy]);
    // The question still waits, and the photo was not counted as a wrong answer.
    expect((await app.store.conversations.load(key))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'privacy', attempts: 0, lang: 'en' });

    expect((await post(u.callback(amina, 'agree', shownKeyboard(api)))).status).toBe(200);
    expect(api.sentMessages().slice(4).map((m) => m['text'])).toEqual([en('onboarding:askRole')]);
  });

  it('answers 503 when the product cannot take the update, so that Telegram delivers it again', async () => {
    await app.pipeline.drain();
    const res = await post(telegramUpdates().text(amina, 'hello'));
    expect(res.status).toBe(503);
    expect(api.callsTo('sendMessage')).toEqual([]);
  });
});
