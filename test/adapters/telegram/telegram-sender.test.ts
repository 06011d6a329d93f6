import { Telegram } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramSender } from '../../../adapters/telegram/telegram.sender.ts';
import type { Address } from '../../../core/messages.ts';
import { BOT_API_ERRORS, startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';

let api: FakeBotApi;
let sender: TelegramSender;
const to: Address = { channel: 'telegram', id: '523881003' };
const hello = { type: 'text', text: 'Hello' } as const;

beforeEach(async () => {
  api = await startFakeBotApi();
  sender = new TelegramSender(new Telegram(api.token, { apiRoot: api.apiRoot, webhookReply: false }));
});
afterEach(async () => {
  await api.close();
});

describe('Telegram send results, classified from the Bot API error bodies', () => {
  it('delivers and names the sent message', async () => {
    expect(await sender.send(to, hello)).toEqual({ status: 'delivered', platformMessageId: '523881003:1' });
    expect(api.sentMessages()).toEqual([{ chat_id: 523881003, text: 'Hello' }]);
  });

  it('turns 429 retry_after into rate-limited with milliseconds', async () => {
    api.failNext('sendMessage', BOT_API_ERRORS.tooManyRequests(7));
    expect(await sender.send(to, hello)).toEqual({ status: 'rate-limited', retryAfterMs: 7_000 });
  });

  it('tells a blocked bot, a deleted account and an unknown chat apart', async () => {
    api.failChat(1001, BOT_API_ERRORS.blocked);
    api.failChat(1002, BOT_API_ERRORS.deactivated);
    api.failChat(1003, BOT_API_ERRORS.chatNotFound);
    api.failChat(1004, { error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" });
    const send = (id: string) => sender.send({ channel: 'telegram', id }, hello);
    expect(await send('1001')).toEqual({ status: 'unreachable', reason: 'blocked' });
    expect(await send('1002')).toEqual({ status: 'unreachable', reason: 'deleted' });
    expect(await send('1003')).toEqual({ status: 'unreachable', reason: 'unknown-address' });
    expect(await send('1004')).toEqual({ status: 'unreachable', reason: 'not-on-channel' });
    expect(api.calls.map((c) => c.status)).toEqual([403, 403, 400, 403]);
  });

  it('treats 5xx and network failures as transient, other 4xx as permanent, without personal data', async () => {
    api.failNext('sendMessage', BOT_API_ERRORS.serverError);
    expect(await sender.send(to, hello)).toEqual({ status: 'transient-failure', detail: 'telegram 500: Internal Server Error' });

    // The fake checks what Telegram checks: a text over 4096 characters is refused with 400.
    const tooLong = await sender.send(to, { type: 'text', text: 'x'.repeat(4097) });
    expect(tooLong).toEqual({ status: 'permanent-failure', detail: 'telegram 400: Bad Request: message is too long' });

    api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat 523881003 is a channel' });
    const masked = await sender.send(to, hello);
    expect(masked).toEqual({ status: 'permanent-failure', detail: 'telegram 400: Bad Request: chat # is a channel' });

    await api.close();
    const down = await sender.send(to, hello);
    expect(down).toEqual({ status: 'transient-failure', detail: 'telegram: FetchError ECONNREFUSED' });
    expect(JSON.stringify(down)).not.toContain(api.token.split(':')[1]);
  });

  it('is refused by the fake’s flood control once perSecond sends arrived within a second', async () => {
    await api.close();
    api = await startFakeBotApi({ rateLimit: { perSecond: 2, retryAfter: 3 } });
    sender = new TelegramSender(new Telegram(api.token, { apiRoot: api.apiRoot, webhookReply: false }));
    const results = [await sender.send(to, hello), await sender.send(to, hello), await sender.send(to, hello)];
    expect(results.map((r) => r.status)).toEqual(['delivered', 'delivered', 'rate-limited']);
    expect(results[2]).toEqual({ status: 'rate-limited', retryAfterMs: 3_000 });
    expect(api.rateLimitedCount).toBe(1);
    expect(api.callsTo('sendMessage').at(-1)?.status).toBe(429);
  });
});

describe('Telegram keyboards', () => {
  it('falls back to a numbered list when a choice id does not fit in 64 bytes of callback data', async () => {
    const longId = 'ا'.repeat(33); // 66 bytes in UTF-8
    const result = await sender.send(to, { type: 'choices', text: 'Pick one', choices: [{ id: longId, label: 'First' }, { id: 'b', label: 'Second' }] });
    expect(result.status).toBe('delivered');
    expect(api.sentMessages()).toEqual([{ chat_id: 523881003, text: 'Pick one\n\n1. First\n2. Second' }]);
  });

  it('removes the location keyboard with the first plain message after the person answered, and only then', async () => {
    await sender.send(to, { type: 'location-request', text: 'Where are you?' });
    await sender.send(to, { type: 'text', text: 'News while the question waits' });
    sender.noteInbound(to.id);
    await sender.send(to, { type: 'choices', text: 'Menu', choices: [{ id: 'help', label: 'Help' }] });
    await sender.send(to, { type: 'text', text: 'Thanks' });
    await sender.send(to, { type: 'text', text: 'Later' });
    expect(api.sentMessages()).toEqual([
      { chat_id: 523881003, text: 'Where are you?', reply_markup: { keyboard: [[{ text: '📍', request_location: true }]], one_time_keyboard: true, resize_keyboard: true } },
      { chat_id: 523881003, text: 'News while the question waits' },
      // An inline keyboard takes the message's only reply_markup: the removal waits.
      { chat_id: 523881003, text: 'Menu', reply_markup: { inline_keyboard: [[{ text: 'Help', callback_data: 'help' }]] } },
      { chat_id: 523881003, text: 'Thanks', reply_markup: { remove_keyboard: true } },
      { chat_id: 523881003, text: 'Later' },
    ]);
  });

  it('keeps the removal pending when the message carrying it was not delivered', async () => {
    await sender.send(to, { type: 'location-request', text: 'Where are you?', skip: { id: 'skip', label: 'Skip' } });
    sender.noteInbound(to.id);
    api.failNext('sendMessage', BOT_API_ERRORS.serverError);
    expect((await sender.send(to, hello)).status).toBe('transient-failure');
    await sender.send(to, hello);
    expect(api.callsTo('sendMessage').map((c) => c.body['reply_markup'])).toEqual([
      { keyboard: [[{ text: '📍', request_location: true }], [{ text: 'Skip' }]], one_time_keyboard: true, resize_keyboard: true },
      { remove_keyboard: true },
      { remove_keyboard: true },
    ]);
  });
});

describe('Telegram places', () => {
  const office = { type: 'location', text: 'Secours Populaire, 12 rue Jangot', latitude: 45.7578137, longitude: 4.8320114 } as const;

  it('sends a named place as a venue (the name shows on the pin) and an unnamed one as a plain location', async () => {
    expect(await sender.send(to, office)).toEqual({ status: 'delivered', platformMessageId: '523881003:1' });
    expect(await sender.send(to, { ...office, text: '  ' })).toEqual({ status: 'delivered', platformMessageId: '523881003:2' });
    expect(api.callsTo('sendVenue').map((c) => [c.status, c.body])).toEqual([
      [200, { chat_id: 523881003, latitude: 45.7578137, longitude: 4.8320114, title: 'Secours Populaire, 12 rue Jangot', address: '45.75781, 4.83201' }],
    ]);
    expect(api.callsTo('sendLocation').map((c) => [c.status, c.body])).toEqual([[200, { chat_id: 523881003, latitude: 45.7578137, longitude: 4.8320114 }]]);
    // No caption as a separate text: the place is one message.
    expect(api.callsTo('sendMessage')).toEqual([]);
  });

  it('classifies a refused place like any other send', async () => {
    api.failNext('sendVenue', BOT_API_ERRORS.tooManyRequests(4));
    expect(await sender.send(to, office)).toEqual({ status: 'rate-limited', retryAfterMs: 4_000 });
    api.failChat(1001, BOT_API_ERRORS.blocked);
    expect(await sender.send({ channel: 'telegram', id: '1001' }, office)).toEqual({ status: 'unreachable', reason: 'blocked' });
    api.failNext('sendLocation', BOT_API_ERRORS.serverError);
    expect(await sender.send(to, { ...office, text: '' })).toEqual({ status: 'transient-failure', detail: 'telegram 500: Internal Server Error' });
  });

  it('lets a pin carry the removal of an answered location keyboard', async () => {
    await sender.send(to, { type: 'location-request', text: 'Where are you?' });
    sender.noteInbound(to.id);
    await sender.send(to, office);
    await sender.send(to, hello);
    expect(api.callsTo('sendVenue').map((c) => c.body['reply_markup'])).toEqual([{ remove_keyboard: true }]);
    expect(api.sentMessages().at(-1)).toEqual({ chat_id: 523881003, text: 'Hello' });
  });
});
