import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../adapters/config.ts';
import { channelFactories } from '../../../adapters/channels.ts';
import { createTelegramRuntime, telegramChannel } from '../../../adapters/telegram/telegram.channel.ts';
import type { ChannelPost } from '../../../core/messages.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { BOT_API_ERRORS } from '../../fakes/telegram-bot-api.answers.ts';
import { telegramUpdates } from '../../fakes/telegram-updates.ts';
import { SECRET, telegramTestbed } from './telegram-harness.ts';

const testbed = telegramTestbed();

describe('Telegram channel factory', () => {
  it('stays off with a reason when TELEGRAM_BOT_TOKEN is not set', async () => {
    const config = loadConfig({ DATA_DIR: '/nonexistent', TELEGRAM_BOT_TOKEN: '' });
    const deps = {
      config,
      pipeline: undefined as never,
      store: undefined as never,
      logger: silentLogger,
      clock: { now: () => new Date() },
      onChannelPost: async () => {},
    };
    const off = { status: { channel: 'telegram', enabled: false, reason: 'TELEGRAM_BOT_TOKEN is not set' } };
    expect(await telegramChannel(deps)).toEqual(off);
    // The app's registry says the same without even loading telegraf.
    expect(await Promise.all(channelFactories.map((factory) => factory(deps)))).toContainEqual(off);
  });

  it('sends channel posts to onChannelPost, not to the conversation pipeline', async () => {
    const api = await testbed.startApi();
    const app = await testbed.startApp(api, 'webhook');
    const onChannelPost = vi.fn(async (_post: ChannelPost) => {});
    const outcome = await createTelegramRuntime(
      { config: app.config, pipeline: app.pipeline, store: app.store, logger: silentLogger, clock: app.clock, onChannelPost },
      { botInfo: api.botInfo },
    );
    if (!('runtime' in outcome)) throw new Error('telegram should be enabled');
    const http = outcome.runtime.rawWebhook!.handle;
    const u = telegramUpdates();
    const post = u.channelPost(-1_001_234_567_890, 'Food distribution tomorrow at 10:00, Rue de la Paix 12.');
    const res = await request(http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(post);

    expect(res.status).toBe(200);
    expect(onChannelPost).toHaveBeenCalledTimes(1);
    expect(onChannelPost).toHaveBeenCalledWith({
      id: `-1001234567890:${post.channel_post.message_id}`,
      channel: 'telegram',
      chatId: '-1001234567890',
      text: 'Food distribution tomorrow at 10:00, Rue de la Paix 12.',
      postedAt: new Date(post.channel_post.date * 1000),
    });
    // botInfo given: no getMe; a post is not a conversation: nothing sent, nothing stored.
    expect(api.calls).toEqual([]);
    expect(await app.store.conversations.load('telegram:-1001234567890')).toBeNull();

    const photoOnly = { update_id: 900_000_010, channel_post: { message_id: 77, date: 1, chat: { id: -1_001_234_567_890, type: 'channel' }, photo: [] } };
    expect((await request(http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(photoOnly)).status).toBe(200);
    expect(onChannelPost).toHaveBeenCalledTimes(1);
  });

  it('asks getMe once for a burst of first updates, and again after it failed', async () => {
    const api = await testbed.startApi();
    const app = await testbed.startApp(api, 'webhook');
    const onChannelPost = vi.fn(async (_post: ChannelPost) => {});
    // No botInfo: the runtime learns its own id from the first update's getMe, as after a restart.
    const outcome = await createTelegramRuntime({ config: app.config, pipeline: app.pipeline, store: app.store, logger: silentLogger, clock: app.clock, onChannelPost });
    if (!('runtime' in outcome)) throw new Error('telegram should be enabled');
    const http = outcome.runtime.rawWebhook!.handle;
    const u = telegramUpdates();
    const post = (text: string) => request(http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(u.channelPost(-1_001_234_567_890, text));
    api.clearCalls();
    api.failNext('getMe', BOT_API_ERRORS.serverError);

    expect((await post('first')).status).toBe(503);
    expect(onChannelPost).not.toHaveBeenCalled();
    const burst = await Promise.all(['second', 'third', 'fourth'].map(post));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(onChannelPost.mock.calls.map(([p]) => p.text).sort()).toEqual(['fourth', 'second', 'third']);
    // The failed call, then one shared by the whole burst.
    expect(api.callsTo('getMe').map((c) => c.status)).toEqual([500, 200]);
  });

  it('refuses every webhook request when no secret is configured', async () => {
    const api = await testbed.startApi();
    const config = loadConfig({ DATA_DIR: '/nonexistent', TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });
    const outcome = await createTelegramRuntime(
      { config, pipeline: undefined as never, store: undefined as never, logger: silentLogger, clock: { now: () => new Date() }, onChannelPost: async () => {} },
      { botInfo: api.botInfo },
    );
    if (!('runtime' in outcome)) throw new Error('telegram should be enabled');
    const http = outcome.runtime.rawWebhook!.handle;
    const res = await request(http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', '').send(telegramUpdates().text({ id: 5, firstName: 'A' }, 'hi'));
    expect(res.status).toBe(401);
  });
});
