/**
 * Builders of Telegram updates in the exact JSON shapes the Bot API delivers (webhook body or
 * getUpdates result), numbered like the real ones: update ids and message ids only grow.
 */

/** A person in a private chat with the bot (their user id is also the chat id). */
export interface FakePerson {
  readonly id: number;
  readonly firstName: string;
  readonly languageCode?: string;
}

/** One update as Telegram sends it. */
export type TelegramUpdateJson = Record<string, unknown> & { readonly update_id: number };

/** Makes updates for one test; `firstUpdateId` mimics Telegram's large, growing ids. */
export function telegramUpdates(firstUpdateId = 815_000_000) {
  let updateId = firstUpdateId;
  let messageId = 1;
  let callbackId = 4_000_000_000_000_000n;
  const date = (): number => Math.floor(Date.now() / 1000);
  const user = (p: FakePerson) => ({ id: p.id, is_bot: false, first_name: p.firstName, language_code: p.languageCode ?? 'en' });
  const chat = (p: FakePerson) => ({ id: p.id, first_name: p.firstName, type: 'private' });
  const message = (p: FakePerson, fields: Record<string, unknown>): TelegramUpdateJson => ({
    update_id: updateId++,
    message: { message_id: messageId++, from: user(p), chat: chat(p), date: date(), ...fields },
  });

  return {
    /** A typed text message. */
    text: (p: FakePerson, text: string) => message(p, { text }),
    /** `/start` or a deep link `t.me/<bot>?start=<payload>`, which arrives as `/start <payload>`. */
    start: (p: FakePerson, payload?: string) => {
      const text = payload ? `/start ${payload}` : '/start';
      return message(p, { text, entities: [{ offset: 0, length: 6, type: 'bot_command' }] });
    },
    /** A shared location pin (the reply keyboard's request_location button sends this). */
    location: (p: FakePerson, latitude: number, longitude: number) => message(p, { location: { latitude, longitude } }),
    /**
     * A tap on an inline button; `shown` is the bot message carrying the keyboard (Telegram
     * includes it), defaulting to a one-button keyboard with that data.
     */
    callback: (p: FakePerson, data: string, shown?: { messageId: number; text: string; inline_keyboard: unknown }) => ({
      update_id: updateId++,
      callback_query: {
        id: String(callbackId++),
        from: user(p),
        chat_instance: '-5827148291048163210',
        data,
        message: {
          message_id: shown?.messageId ?? 1,
          from: { id: 7000000001, is_bot: true, first_name: 'Passerelle Test', username: 'passerelle_test_bot' },
          chat: chat(p),
          date: date(),
          text: shown?.text ?? '…',
          reply_markup: { inline_keyboard: shown?.inline_keyboard ?? [[{ text: data, callback_data: data }]] },
        },
      },
    }),
    /** A post in a channel where the bot is an administrator. */
    channelPost: (channelId: number, text: string, title = 'NGO news') => ({
      update_id: updateId++,
      channel_post: {
        message_id: messageId++,
        sender_chat: { id: channelId, title, type: 'channel' },
        chat: { id: channelId, title, type: 'channel' },
        date: date(),
        text,
      },
    }),
    /** A message in a group the bot was added to. */
    groupText: (p: FakePerson, groupId: number, text: string) => ({
      update_id: updateId++,
      message: { message_id: messageId++, from: user(p), chat: { id: groupId, title: 'Group', type: 'group' }, date: date(), text },
    }),
    /** A message written by another bot. */
    fromBot: (p: FakePerson, text: string) => ({
      update_id: updateId++,
      message: { message_id: messageId++, from: { id: p.id, is_bot: true, first_name: p.firstName }, chat: chat(p), date: date(), text },
    }),
  };
}
