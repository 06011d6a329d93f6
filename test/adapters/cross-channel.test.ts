import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhatsappCloudChannel } from '../../adapters/whatsapp-cloud/whatsapp-cloud.channel.ts';
import { loadLocales } from '../../bots/locales.ts';
import { createTextRenderer } from '../../core/i18n/text-renderer.ts';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-bot-api.ts';
import { telegramUpdates } from '../fakes/telegram-updates.ts';
import { manualClock, testApp } from '../support/test-app.ts';
import { LANGUAGE_KEYBOARD, PUBLIC_URL, SECRET, shownKeyboard } from './telegram/telegram-harness.ts';
import {
  buttons as waButtons,
  deliverStep,
  ENV as WHATSAPP_ENV,
  languagePicker,
  list as waList,
  recordSends,
  text as waText,
  type WhatsappApp,
} from './whatsapp-cloud/whatsapp-cloud.fixtures.ts';

/**
 * One product, two channels, two people whose ids are the same digits: a Telegram chat id
 * 33612345678 and a WhatsApp wa_id "33612345678". Their onboardings run at the same time, step
 * by step, and must never touch each other: the channel is part of every key.
 */
const DIGITS = '33612345678';
const telegramPerson = { id: Number(DIGITS), firstName: 'Amélie', languageCode: 'fr' };
const TELEGRAM_KEY = `telegram:${DIGITS}`;
const WHATSAPP_KEY = `whatsapp-cloud:${DIGITS}`;

// Why the locale files: translators edit them while this suite runs; the test proves that
// exactly what the dialog says in each person's language reaches each person.
const t = createTextRenderer(loadLocales());
const fr = (key: string, params?: Record<string, string>) => t('fr', key, params);
const ar = (key: string, params?: Record<string, string>) => t('ar', key, params);
const en = (key: string) => t('en', key);

// --- Telegram shapes -------------------------------------------------------------------------
/** An inline keyboard as the Telegram adapter lays it out: two per row when all labels are short. */
function inline(choices: [id: string, label: string][]) {
  const perRow = choices.every(([, label]) => [...label].length <= 14) ? 2 : 1;
  const rows: { text: string; callback_data: string }[][] = [];
  for (let i = 0; i < choices.length; i += perRow) rows.push(choices.slice(i, i + perRow).map(([id, label]) => ({ text: label, callback_data: id })));
  return { inline_keyboard: rows };
}
const chat_id = telegramPerson.id;

let api: FakeBotApi;
let app: WhatsappApp;

beforeEach(async () => {
  api = await startFakeBotApi();
  const clock = manualClock();
  const product = await testApp(
    {
      ...WHATSAPP_ENV,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_URL: PUBLIC_URL,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    },
    { clock },
  );
  const channel = product.channels.find((c): c is WhatsappCloudChannel => c instanceof WhatsappCloudChannel);
  if (!channel) throw new Error('the WhatsApp Cloud channel did not start');
  app = Object.assign(product, { clock, channel });
});
afterEach(async () => {
  await app.dispose();
  await api.close();
  nock.cleanAll();
});

describe('Telegram and WhatsApp Cloud in one product, at the same time', () => {
  it('holds two interleaved onboardings (French on Telegram, Arabic on WhatsApp) for ids with the same digits, and stores two people', async () => {
    expect(app.channelStatus.filter((s) => s.enabled).map((s) => s.channel)).toEqual(['telegram', 'whatsapp-cloud']);
    const u = telegramUpdates();
    const wa = recordSends();
    let waMessage = 0;

    /** One step of each person, at the same time; returns what each one received in that step. */
    const step = async (telegramUpdate: () => object, whatsappMessage: Record<string, unknown>) => {
      const telegramBefore = api.sentMessages().length;
      const [telegramRes, whatsapp] = await Promise.all([
        request(app.http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(telegramUpdate()),
        deliverStep(app, wa, ++waMessage, whatsappMessage, DIGITS),
      ]);
      expect(telegramRes.status).toBe(200);
      await app.settle();
      app.clock.advance(15_000);
      return { telegram: api.sentMessages().slice(telegramBefore), whatsapp };
    };
    const sessions = async () => {
      const [telegram, whatsapp] = await Promise.all([app.store.conversations.load(TELEGRAM_KEY), app.store.conversations.load(WHATSAPP_KEY)]);
      return { telegram: telegram?.value.session, whatsapp: whatsapp?.value.session };
    };
    const tap = (id: string) => () => u.callback(telegramPerson, id, shownKeyboard(api));
    const listReply = (id: string, title: string) => ({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title } } });
    const buttonReply = (id: string, title: string) => ({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });

    // 1. Hello on both: the language picker (before a choice, the default language).
    expect(await step(() => u.start(telegramPerson), { type: 'text', text: { body: 'مرحبا' } })).toEqual({
      telegram: [{ chat_id, text: en('common:pickLanguageFirst'), reply_markup: LANGUAGE_KEYBOARD }],
      whatsapp: [languagePicker(DIGITS)],
    });
    let now = await sessions();
    expect(now.telegram).toMatchObject({ dialog: 'onboarding', step: 'language', lang: null });
    expect(now.whatsapp).toMatchObject({ dialog: 'onboarding', step: 'language', lang: null });

    // 2. French on Telegram, Arabic on WhatsApp: the privacy notice, each in their own language.
    expect(await step(tap('fr'), listReply('ar', 'العربية'))).toEqual({
      telegram: [{ chat_id, text: fr('onboarding:privacy'), reply_markup: inline([['agree', fr('onboarding:agree')], ['disagree', fr('onboarding:disagree')]]) }],
      whatsapp: [waButtons(ar('onboarding:privacy'), [['agree', ar('onboarding:agree')], ['disagree', ar('onboarding:disagree')]], DIGITS)],
    });
    now = await sessions();
    expect(now.telegram).toMatchObject({ dialog: 'onboarding', step: 'privacy', lang: 'fr' });
    expect(now.whatsapp).toMatchObject({ dialog: 'onboarding', step: 'privacy', lang: 'ar' });

    // 3. Both agree: the role question.
    const roles = (say: typeof fr): [string, string][] => [
      ['newcomer', say('onboarding:roleNewcomer')],
      ['resident', say('onboarding:roleResident')],
      ['ngo-staff', say('onboarding:roleStaff')],
      ['recruiter', say('onboarding:roleRecruiter')],
    ];
    expect(await step(tap('agree'), buttonReply('agree', ar('onboarding:agree')))).toEqual({
      telegram: [{ chat_id, text: fr('onboarding:askRole'), reply_markup: inline(roles(fr)) }],
      whatsapp: [waList(ar('onboarding:askRole'), roles(ar), DIGITS)],
    });
    now = await sessions();
    expect(now.telegram).toMatchObject({ step: 'role', lang: 'fr', data: { consent: 'agree' } });
    expect(now.whatsapp).toMatchObject({ step: 'role', lang: 'ar', data: { consent: 'agree' } });

    // 4. Different roles: the first-name question.
    expect(await step(tap('newcomer'), listReply('resident', ar('onboarding:roleResident')))).toEqual({
      telegram: [{ chat_id, text: fr('onboarding:askName') }],
      whatsapp: [waText(ar('onboarding:askName'), DIGITS)],
    });
    now = await sessions();
    expect(now.telegram).toMatchObject({ step: 'name', lang: 'fr', data: { role: 'newcomer' } });
    expect(now.whatsapp).toMatchObject({ step: 'name', lang: 'ar', data: { role: 'resident' } });

    // 5. Their first names: the place question (a location keyboard on Telegram, a Skip button on WhatsApp).
    expect(await step(() => u.text(telegramPerson, 'Amélie'), { type: 'text', text: { body: 'رنا' } })).toEqual({
      telegram: [
        {
          chat_id,
          text: fr('onboarding:askPlace'),
          reply_markup: { keyboard: [[{ text: '📍', request_location: true }], [{ text: fr('onboarding:skip') }]], one_time_keyboard: true, resize_keyboard: true },
        },
      ],
      whatsapp: [waButtons(ar('onboarding:askPlace'), [['skip', ar('onboarding:skip')]], DIGITS)],
    });
    now = await sessions();
    expect(now.telegram).toMatchObject({ step: 'place', lang: 'fr', data: { firstName: 'Amélie' } });
    expect(now.whatsapp).toMatchObject({ step: 'place', lang: 'ar', data: { firstName: 'رنا' } });

    // 6. Both skip (the French label typed by the Telegram keyboard, the Arabic button on WhatsApp): welcome and menu.
    const menu = (say: typeof fr): [string, string][] => [
      ['exchange', say('exchange:menuEntry')],
      ['work', say('menu:work')],
      ['join', say('menu:join')],
      ['language', say('menu:language')],
      ['privacy', say('menu:privacy')],
      ['help', say('menu:help')],
      ['conversations', say('common:relay.myConversations')],
      ['channels', say('channels:menuEntry')],
    ];
    expect(await step(() => u.text(telegramPerson, fr('onboarding:skip')), buttonReply('skip', ar('onboarding:skip')))).toEqual({
      telegram: [
        { chat_id, text: fr('onboarding:welcome', { firstName: 'Amélie' }), reply_markup: { remove_keyboard: true } },
        { chat_id, text: fr('menu:title'), reply_markup: inline(menu(fr)) },
      ],
      whatsapp: [waText(ar('onboarding:welcome', { firstName: 'رنا' }), DIGITS), waList(ar('menu:title'), menu(ar), DIGITS)],
    });
    now = await sessions();
    expect(now.telegram).toMatchObject({ dialog: 'menu', lang: 'fr' });
    expect(now.whatsapp).toMatchObject({ dialog: 'menu', lang: 'ar' });

    // Two people, each with their own name, language, role and only their own identity.
    const [onTelegram, onWhatsapp] = await Promise.all([
      app.store.people.findByAddress({ channel: 'telegram', id: DIGITS }),
      app.store.people.findByAddress({ channel: 'whatsapp-cloud', id: DIGITS }),
    ]);
    expect(onTelegram).toMatchObject({ firstName: 'Amélie', lang: 'fr', role: 'newcomer', place: null, identities: [{ channel: 'telegram', id: DIGITS }] });
    expect(onWhatsapp).toMatchObject({ firstName: 'رنا', lang: 'ar', role: 'resident', place: null, identities: [{ channel: 'whatsapp-cloud', id: DIGITS }] });
    expect(onTelegram!.id).not.toBe(onWhatsapp!.id);
    // Every tap on Telegram was answered, and nothing was sent to anyone else.
    expect(api.callsTo('answerCallbackQuery')).toHaveLength(3);
    expect(new Set(api.sentMessages().map((m) => m['chat_id']))).toEqual(new Set([chat_id]));
  });
});
