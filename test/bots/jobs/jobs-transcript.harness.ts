import nock from 'nock';
import request from 'supertest';
import { expect } from 'vitest';
import { deeplTranslatorFromConfig } from '../../../adapters/deepl/deepl.translator.ts';
import { WhatsappCloudChannel } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.channel.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { telegramUpdates, type FakePerson } from '../../fakes/telegram-updates.ts';
import { createOrg } from '../../support/organisations.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { FREE, FREE_KEY, interceptTranslate, targetLanguages, type SeenTranslate } from '../../adapters/deepl/deepl.fixtures.ts';
import { PUBLIC_URL, SECRET } from '../../adapters/telegram/telegram-harness.ts';
import { deliver, ENV as WHATSAPP_ENV, GRAPH, inbound, MESSAGES_PATH, TOKEN, wamid } from '../../adapters/whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { t } from './jobs-harness.ts';
import type { Json } from '../../../core/dialog/json.ts';

/** The recruiter's Telegram account and the candidate's WhatsApp number (never shown to the other side). */
export const RECRUITER: FakePerson = { id: 5_551_234_567, firstName: 'Claire', languageCode: 'fr' };
export const CANDIDATE_WA = '33755501234';

/** Words of the product in a language, as the locale files have them. */
export const fr = (key: string, params?: Record<string, Json>) => t('fr', key, params);
export const ps = (key: string, params?: Record<string, Json>) => t('ps', key, params);

/** DeepL's made-up answers: the target language in brackets, then the text (DeepL never sees a tag for Pashto). */
export const deepl = (text: string, form: URLSearchParams) => `[${form.get('target_lang')}] ${text}`;

/**
 * One product with Telegram (loopback fake), WhatsApp Cloud (nock at Graph) and DeepL (nock),
 * an employer and another organisation with their API keys, and a step function per side that
 * returns what that side received.
 */
export async function jobsProduct() {
  const api: FakeBotApi = await startFakeBotApi();
  const clock = manualClock(new Date('2026-12-01T09:00:00Z'));
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  targetLanguages(FREE, ['AR', 'EN-GB', 'ES', 'FA', 'FR', 'PS', 'SO', 'TR', 'UK']);
  const translated: { seen: SeenTranslate[] } = interceptTranslate(FREE, deepl);
  const app = await testApp(
    { ...WHATSAPP_ENV, TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_WEBHOOK_URL: PUBLIC_URL, TELEGRAM_WEBHOOK_SECRET: SECRET },
    { clock, translators: { primary: deeplTranslatorFromConfig({ DEEPL_AUTH_KEY: FREE_KEY, DEEPL_SERVER_URL: undefined }, { maxRetries: 0 }), secondary: null } },
  );
  const channel = app.channels.find((c): c is WhatsappCloudChannel => c instanceof WhatsappCloudChannel);
  if (!channel) throw new Error('the WhatsApp Cloud channel did not start');
  const whatsapp = Object.assign(app, { clock, channel });
  const employer = await createOrg(app.store, { code: 'bistro', name: 'Bistro Lumière', lang: 'fr' });
  const other = await createOrg(app.store, { code: 'garage', name: 'Garage Central', lang: 'fr' });
  const graph = graphRecorder();
  const u = telegramUpdates();
  let waMessage = 0;

  /** Sends what the product has due, then lets the clock pass (retries after a 429 wait for it). */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await app.settle();
      clock.advance(5_000);
    }
  };
  /** The recruiter types a text on Telegram; returns the texts Telegram was asked to send to them. */
  const recruiter = async (text: string) => {
    const before = api.sentMessages().length;
    const res = await request(app.http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(u.text(RECRUITER, text));
    expect(res.status).toBe(200);
    await settle();
    return api.sentMessages().slice(before);
  };
  /** The candidate sends one WhatsApp message; returns the Graph request bodies it caused. */
  const candidate = async (message: Record<string, unknown>, id = wamid(++waMessage)) => {
    graph.bodies.length = 0;
    const res = await deliver(whatsapp, inbound(whatsapp, id, message, CANDIDATE_WA));
    expect(res.status).toBe(200);
    await settle();
    return [...graph.bodies];
  };
  /** What the admin API answers an organisation's key. */
  const admin = (key: string) => ({
    get: (path: string) => request(app.http).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string, body?: object) => request(app.http).post(path).set('Authorization', `Bearer ${key}`).send(body),
  });
  return {
    app,
    api,
    clock,
    employer,
    other,
    graph,
    translated,
    recruiter,
    candidate,
    admin,
    settle,
    get lastWamid() {
      return wamid(waMessage);
    },
    async dispose() {
      await app.dispose();
      await api.close();
      nock.cleanAll();
    },
  };
}

/** A recruiter on Telegram writing French, signed up and asking to recruit for the employer. */
export async function recruiterSignsUp(product: Awaited<ReturnType<typeof jobsProduct>>) {
  await product.recruiter('/start');
  await product.recruiter('Français');
  await product.recruiter(fr('onboarding:agree'));
  await product.recruiter(fr('onboarding:roleRecruiter'));
  await product.recruiter('Claire');
  expect(tgTexts(await product.recruiter(fr('onboarding:skip')))).toEqual([fr('onboarding:welcome', { firstName: 'Claire' }), fr('onboarding:pending'), fr('menu:title')]);
  expect(tgTexts(await product.recruiter(fr('menu:work')))).toEqual([fr('jobs:askEmployer')]);
  expect(tgTexts(await product.recruiter('bistro'))).toEqual([fr('jobs:employerRequested', { requested: { orgName: 'Bistro Lumière' } }), fr('menu:title')]);
}

/** The WhatsApp texts of Graph request bodies (a text's body, or an interactive message's). */
export function waTexts(bodies: unknown[]): string[] {
  return bodies.map((b) => {
    const body = b as { text?: { body: string }; interactive?: { body: { text: string } } };
    return body.text?.body ?? body.interactive?.body.text ?? '';
  });
}

/** The Telegram texts of sendMessage calls. */
export function tgTexts(calls: Record<string, unknown>[]): string[] {
  return calls.map((c) => String(c['text']));
}

/** WhatsApp inbound shapes. */
export const wa = {
  text: (body: string) => ({ type: 'text', text: { body } }),
  list: (id: string, title = id) => ({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title } } }),
  button: (id: string, title = id) => ({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } }),
  location: (latitude: number, longitude: number) => ({ type: 'location', location: { latitude, longitude } }),
};

/**
 * Answers every Graph `POST /messages` like Meta, recording the bodies of the sends it accepted
 * (`bodies`, cleared per step; `delivered`, never cleared) and of every attempt (`all`); `failNext(code)` makes the next
 * attempt fail with that Graph error (130429: throughput reached, retried after a second).
 */
function graphRecorder() {
  const bodies: unknown[] = [];
  const all: unknown[] = [];
  const failures: number[] = [];
  const delivered: unknown[] = [];
  nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
    .persist()
    .post(MESSAGES_PATH)
    .reply((_uri, body) => {
      all.push(body);
      const code = failures.shift();
      if (code !== undefined) return [400, { error: { message: `(#${code}) Rate limit hit`, type: 'OAuthException', code, fbtrace_id: 'AbCdEf' } }];
      bodies.push(body);
      delivered.push(body);
      return [200, { messaging_product: 'whatsapp', contacts: [{ input: CANDIDATE_WA, wa_id: CANDIDATE_WA }], messages: [{ id: wamid(900 + all.length) }] }];
    });
  return { bodies, all, delivered, failNext: (code: number) => failures.push(code) };
}
