import { describe, expect, it } from 'vitest';
import { telegramUpdates } from '../../fakes/telegram-updates.ts';
import { en, inline, LANGUAGE_KEYBOARD, shownKeyboard, telegramTestbed } from './telegram-harness.ts';

const testbed = telegramTestbed();

const amina = { id: 523_881_002, firstName: 'Amina' };

describe('Telegram long-polling mode (no TELEGRAM_WEBHOOK_URL)', () => {
  it('fetches updates with getUpdates, replies, and stops cleanly having confirmed them', async () => {
    const api = await testbed.startApi();
    const app = await testbed.startApp(api, 'polling');
    expect(app.channelStatus).toContainEqual({ channel: 'telegram', enabled: true, detail: 'long-polling mode (no TELEGRAM_WEBHOOK_URL)' });
    await app.start();
    const u = telegramUpdates();

    const start = u.start(amina);
    api.pushUpdate(start);
    await api.waitFor('sendMessage', 1);
    // Polling needs the webhook gone (Telegram answers 409 to getUpdates otherwise).
    expect(api.callsTo('deleteWebhook')).toHaveLength(1);
    expect(api.callsTo('setWebhook')).toEqual([]);
    expect(api.callsTo('getUpdates')[0]?.body).toEqual({ timeout: 50, offset: 0, allowed_updates: ['message', 'callback_query', 'channel_post'] });

    const tap = u.callback(amina, 'en', shownKeyboard(api));
    api.pushUpdate(tap);
    await api.waitFor('sendMessage', 2);
    api.pushUpdate(u.callback(amina, 'agree', shownKeyboard(api)));
    await api.waitFor('sendMessage', 3);

    expect(api.sentMessages()).toEqual([
      { chat_id: amina.id, text: en('common:pickLanguageFirst'), reply_markup: LANGUAGE_KEYBOARD },
      { chat_id: amina.id, text: en('onboarding:privacy'), reply_markup: inline([[en('onboarding:agree'), 'agree'], [en('onboarding:disagree'), 'disagree']]) },
      { chat_id: amina.id, text: en('onboarding:askRole'), reply_markup: expect.objectContaining({ inline_keyboard: expect.any(Array) }) },
    ]);
    expect(api.callsTo('answerCallbackQuery')[0]?.body).toEqual({ callback_query_id: tap.callback_query.id });

    const began = Date.now();
    await app.dispose();
    expect(Date.now() - began).toBeLessThan(3_000);
    // The last getUpdates confirms every update handled, so a restart does not see them again (a
    // poll already in flight with that offset, or telegraf's own confirming call at stop).
    const polls = api.callsTo('getUpdates');
    expect(polls.at(-1)?.body).toMatchObject({ offset: Number(tap.update_id) + 2 });
    expect(api.pendingUpdates).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.callsTo('getUpdates')).toHaveLength(polls.length);
  });

  it('stops cleanly right after starting, before any update arrived', async () => {
    const api = await testbed.startApi();
    const app = await testbed.startApp(api, 'polling');
    await app.start();
    await app.dispose();
    const count = api.callsTo('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.callsTo('getUpdates')).toHaveLength(count);
  });

  it('fails to start with a clear error when the token is refused', async () => {
    const api = await testbed.startApi();
    api.failNext('getMe', { error_code: 401, description: 'Unauthorized' });
    const app = await testbed.startApp(api, 'polling');
    await expect(app.start()).rejects.toThrow('telegram could not start in polling mode (check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT)');
  });
});
