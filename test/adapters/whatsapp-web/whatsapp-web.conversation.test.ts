import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT_ID, rawMessage, type SentCall } from '../../fakes/whatsapp-web-client.fake.ts';
import { whatsappWebHarness, type Harness } from './whatsapp-web.harness.ts';
import { storedPin } from '../../support/places.ts';

/** English dialog texts, read from the locale files the bot speaks from. */
function en(flow: 'common' | 'onboarding' | 'menu' | 'exchange' | 'channels', key: string): string {
  const texts = JSON.parse(readFileSync(new URL(`../../../bots/${flow}/locales/en.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  // A dotted key reaches a nested text (`relay.myConversations`).
  const text = key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], texts);
  if (typeof text !== 'string') throw new Error(`no ${flow}:${key} in en.json`);
  return text;
}

const PHONE_CHAT = '33612345678@c.us';
const LID_CHAT = '123456789012345@lid';

const LANGUAGE_PICKER = `${en('common', 'pickLanguageFirst')}

1. العربية
2. فارسی / دری
3. پښتو
4. Українська
5. ትግርኛ
6. Soomaali
7. Türkçe
8. Français
9. Español
10. English`;
const PRIVACY = `${en('onboarding', 'privacy')}\n\n1. ${en('onboarding', 'agree')}\n2. ${en('onboarding', 'disagree')}`;
const ROLE = `${en('onboarding', 'askRole')}\n\n1. ${en('onboarding', 'roleNewcomer')}\n2. ${en('onboarding', 'roleResident')}\n3. ${en('onboarding', 'roleStaff')}\n4. ${en('onboarding', 'roleRecruiter')}`;
const ASK_PLACE = `${en('onboarding', 'askPlace')}\n\n1. ${en('onboarding', 'skip')}`;
const MENU = `${en('menu', 'title')}\n\n1. ${en('exchange', 'menuEntry')}\n2. ${en('menu', 'work')}\n3. ${en('menu', 'join')}\n4. ${en('menu', 'language')}\n5. ${en('menu', 'privacy')}\n6. ${en('menu', 'help')}\n7. ${en('common', 'relay.myConversations')}\n8. ${en('channels', 'menuEntry')}`;

let h: Harness;
beforeEach(async () => {
  h = await whatsappWebHarness();
});
afterEach(async () => {
  await h.dispose();
});

/** Sends a text as the person and returns what the bot sent back (chat id and text). */
async function say(chatId: string, body: string): Promise<SentCall[]> {
  const before = h.fake.sent.length;
  h.fake.text(chatId, body);
  await h.settle();
  return h.fake.sent.slice(before);
}

describe('whatsapp-web conversation through the Client double', () => {
  it('onboards a @c.us sender who answers the numbered lists with numbers, and stores the person', async () => {
    expect(await say(PHONE_CHAT, 'Hello')).toEqual([{ chatId: PHONE_CHAT, content: LANGUAGE_PICKER }]);
    // English is number 10 in the picker.
    expect(await say(PHONE_CHAT, '10')).toEqual([{ chatId: PHONE_CHAT, content: PRIVACY }]);
    expect(await say(PHONE_CHAT, '1')).toEqual([{ chatId: PHONE_CHAT, content: ROLE }]);
    expect(await say(PHONE_CHAT, '1')).toEqual([{ chatId: PHONE_CHAT, content: en('onboarding', 'askName') }]);
    expect(await say(PHONE_CHAT, 'Amira')).toEqual([{ chatId: PHONE_CHAT, content: ASK_PLACE }]);
    expect(await say(PHONE_CHAT, '1')).toEqual([
      { chatId: PHONE_CHAT, content: 'Welcome, Amira! You are signed up.' },
      { chatId: PHONE_CHAT, content: MENU },
    ]);

    const person = await h.app.store.people.findByAddress({ channel: 'whatsapp-web', id: PHONE_CHAT });
    expect(person).toMatchObject({
      firstName: 'Amira',
      lang: 'en',
      role: 'newcomer',
      roleStatus: 'active',
      place: null,
      subscribed: true,
      identities: [{ channel: 'whatsapp-web', id: PHONE_CHAT }],
    });
    // The reach record lets broadcasts write to this chat later.
    expect(await h.app.store.reach.get({ channel: 'whatsapp-web', id: PHONE_CHAT })).toMatchObject({ reference: null });
  });

  it('holds a @lid conversation apart from a @c.us one; labels and a location pin work as answers', async () => {
    expect(await say(LID_CHAT, 'salam')).toEqual([{ chatId: LID_CHAT, content: LANGUAGE_PICKER }]);
    expect(await say(PHONE_CHAT, 'hi')).toEqual([{ chatId: PHONE_CHAT, content: LANGUAGE_PICKER }]);
    expect(await say(LID_CHAT, 'English')).toEqual([{ chatId: LID_CHAT, content: PRIVACY }]);
    expect(await say(LID_CHAT, 'I agree')).toEqual([{ chatId: LID_CHAT, content: ROLE }]);
    expect(await say(LID_CHAT, 'Local resident')).toEqual([{ chatId: LID_CHAT, content: en('onboarding', 'askName') }]);
    expect(await say(LID_CHAT, 'Samir')).toEqual([{ chatId: LID_CHAT, content: ASK_PLACE }]);

    const before = h.fake.sent.length;
    h.fake.receive(rawMessage(LID_CHAT, { type: 'location', lat: 48.8566, lng: 2.3522, body: '' }));
    await h.settle();
    expect(h.fake.sent.slice(before)).toEqual([
      { chatId: LID_CHAT, content: 'Welcome, Samir! You are signed up.' },
      { chatId: LID_CHAT, content: MENU },
    ]);

    expect(await h.app.store.people.findByAddress({ channel: 'whatsapp-web', id: LID_CHAT })).toMatchObject({
      firstName: 'Samir',
      role: 'resident',
      // Kept as the centre of its coarse cell, never the exact point.
      place: storedPin(48.8566, 2.3522),
      identities: [{ channel: 'whatsapp-web', id: LID_CHAT }],
    });
    // The @c.us person is still at the language picker, with no person record yet.
    expect(await h.app.store.people.findByAddress({ channel: 'whatsapp-web', id: PHONE_CHAT })).toBeNull();
    expect(await say(PHONE_CHAT, '10')).toEqual([{ chatId: PHONE_CHAT, content: PRIVACY }]);
  });

  it('never treats our own messages, groups, status updates or channels as input', async () => {
    const own = rawMessage(PHONE_CHAT, { fromMe: true, body: 'Hello' });
    h.fake.receive(own); // the library emits 'message_create' only
    h.fake.emit('message', h.fake.receive(own)); // and even if 'message' carried it
    h.fake.receive(rawMessage('120363025246125888@g.us', { author: PHONE_CHAT, body: 'Hello group' }));
    h.fake.receive(rawMessage('status@broadcast', { author: PHONE_CHAT, body: 'my status', isStatusV3: true }));
    h.fake.receive(rawMessage('120363144038483540@newsletter', { body: 'channel news' }));
    await h.settle();

    expect(h.fake.sent).toEqual([]);
    for (const id of [PHONE_CHAT, BOT_ID, '120363025246125888@g.us', 'status@broadcast', '120363144038483540@newsletter']) {
      expect(await h.app.store.conversations.load(`whatsapp-web:${id}`)).toBeNull();
      expect(await h.app.store.reach.get({ channel: 'whatsapp-web', id })).toBeNull();
    }
    expect(h.logger.lines.filter((l) => l.message === 'whatsapp-web message ignored').map((l) => l.fields['reason'])).toEqual([
      'own-message',
      'group',
      'status',
      'newsletter',
    ]);
  });

  it('answers a message seen twice once, even when both copies arrive together', async () => {
    const data = rawMessage(PHONE_CHAT, { body: 'Hello' });
    h.fake.receive(data);
    h.fake.receive(data);
    await h.settle();
    h.fake.receive(data);
    await h.settle();
    expect(h.fake.sent).toEqual([{ chatId: PHONE_CHAT, content: LANGUAGE_PICKER }]);
  });

  it('answers voice notes, pictures and stickers with "text only" and the pending question, keeps the conversation, and logs no personal data', async () => {
    const key = `whatsapp-web:${PHONE_CHAT}`;
    /** Delivers a raw message as the person and returns what the bot sent back. */
    const send = async (fields: Parameters<typeof rawMessage>[1]) => {
      const before = h.fake.sent.length;
      h.fake.receive(rawMessage(PHONE_CHAT, fields));
      await h.settle();
      return h.fake.sent.slice(before);
    };
    const unsupported = { chatId: PHONE_CHAT, content: en('common', 'unsupported') };

    // A stranger's voice note is a first message like any other: the language picker.
    expect(await send({ type: 'ptt', directPath: '/v/t62.7117-24/x', body: '' })).toEqual([{ chatId: PHONE_CHAT, content: LANGUAGE_PICKER }]);
    expect((await h.app.store.conversations.load(key))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'language', attempts: 0, lang: null });
    // Then a picture: the sentence (no language chosen yet: English), and the picker again.
    expect(await send({ type: 'image', directPath: '/v/t62.7118-24/y', caption: 'my papers' })).toEqual([unsupported, { chatId: PHONE_CHAT, content: LANGUAGE_PICKER }]);
    expect((await h.app.store.conversations.load(key))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'language', attempts: 0, lang: null });

    expect(await say(PHONE_CHAT, '10')).toEqual([{ chatId: PHONE_CHAT, content: PRIVACY }]);
    expect(await send({ type: 'sticker', directPath: '/v/t62.15575-24/z', body: '' })).toEqual([unsupported, { chatId: PHONE_CHAT, content: PRIVACY }]);
    // The question still waits, and the sticker was not counted as a wrong answer.
    expect((await h.app.store.conversations.load(key))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'privacy', attempts: 0, lang: 'en' });
    // A system notice is still no message from the person: no answer.
    expect(await send({ type: 'e2e_notification', body: '' })).toEqual([]);
    expect(await say(PHONE_CHAT, '1')).toEqual([{ chatId: PHONE_CHAT, content: ROLE }]);

    expect(h.logger.lines.filter((l) => l.message === 'whatsapp-web message ignored').map((l) => l.fields['type'])).toEqual(['e2e_notification']);
    expect(JSON.stringify(h.logger.lines)).not.toMatch(/33612345678|my papers/);
  });
});
