import { setTimeout as sleep } from 'node:timers/promises';
import { Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { ChannelError } from '../../core/errors.ts';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { ChannelDeps, ChannelFactory, ChannelOutcome } from '../channels.ts';
import { TelegramInbound } from './telegram.inbound.ts';
import { TelegramBotApi } from './telegram.bot-api.ts';
import { TelegramSender } from './telegram.sender.ts';
import { TELEGRAM_WEBHOOK_PATH, telegramWebhook } from './telegram.webhook.ts';

/** The update types the product handles; Telegram sends no others (it defaults to all but a few). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query', 'channel_post'] as const;

/** Test hooks: a known bot identity skips the start-up getMe call. */
export interface TelegramRuntimeOptions {
  readonly botInfo?: UserFromGetMe;
}

/** Only names and codes: a telegraf error keeps the request payload (webhook secret, texts). */
function errorFields(error: unknown): Record<string, unknown> {
  const e = error as { name?: unknown; code?: unknown } | null;
  return { err: typeof e?.name === 'string' ? e.name : 'unknown', ...(typeof e?.code === 'number' || typeof e?.code === 'string' ? { code: e.code } : {}) };
}

/**
 * Builds the Telegram channel: webhook mode when TELEGRAM_WEBHOOK_URL is set (start() registers
 * the webhook), long polling otherwise (for a machine without a public URL). The webhook route
 * is mounted in both modes and refuses every request without the right secret.
 */
export async function createTelegramRuntime(deps: ChannelDeps, options: TelegramRuntimeOptions = {}): Promise<ChannelOutcome> {
  const { config, logger } = deps;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return { status: { channel: 'telegram', enabled: false, reason: 'TELEGRAM_BOT_TOKEN is not set' } };
  const webhookUrl = config.TELEGRAM_WEBHOOK_URL;
  const mode = webhookUrl ? 'webhook' : 'polling';

  // webhookReply off: every call is a real request whose answer we see (telegraf would otherwise
  // answer a callback query inside the webhook's HTTP response, unchecked).
  const bot = new Telegraf(token, { telegram: { apiRoot: config.TELEGRAM_API_ROOT, webhookReply: false } });
  if (options.botInfo) bot.botInfo = options.botInfo;
  const messages = new TelegramBotApi(config.TELEGRAM_API_ROOT, token);
  const sender = new TelegramSender(messages);
  const inbound = new TelegramInbound({
    pipeline: deps.pipeline,
    sender,
    callbacks: bot.telegram,
    onChannelPost: deps.onChannelPost,
    logger,
    clock: deps.clock,
  });
  bot.use((ctx) => inbound.handle(ctx.update, ctx.botInfo.id));
  // Polling only (webhook updates skip telegraf, below). Replaces telegraf's default, which
  // prints the whole update (personal data) and exits; a throw would end the loop.
  bot.catch((error) => {
    logger.error({ channel: 'telegram', ...errorFields(error) }, 'update failed');
  });

  // One getMe for all: after a restart Telegram delivers its backlog at once, and each update
  // asking on its own could meet a 429. A failed call is forgotten, so the next update asks again.
  let asking: Promise<UserFromGetMe> | null = null;
  const botInfo = (): Promise<UserFromGetMe> => {
    if (bot.botInfo) return Promise.resolve(bot.botInfo);
    asking ??= bot.telegram.getMe().then(
      (info) => (bot.botInfo = info),
      (error: unknown) => {
        asking = null;
        throw error;
      },
    );
    return asking;
  };

  let polling: Promise<void> | null = null;
  let stopped = false;

  const startWebhook = async (url: string): Promise<void> => {
    await botInfo();
    await bot.telegram.setWebhook(`${url.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`, {
      secret_token: config.TELEGRAM_WEBHOOK_SECRET,
      allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
      drop_pending_updates: false,
    });
  };

  const startPolling = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      // launch() resolves only when polling ends; its callback fires once getMe succeeded.
      polling = bot.launch({ allowedUpdates: [...TELEGRAM_ALLOWED_UPDATES], dropPendingUpdates: false }, resolve).catch((error: unknown) => {
        reject(error);
        if (!stopped) logger.error({ channel: 'telegram', ...errorFields(error) }, 'telegram polling stopped');
      });
    });

  const runtime: ChannelRuntime = {
    channel: 'telegram',
    sender,
    rawWebhook: telegramWebhook({
      secret: config.TELEGRAM_WEBHOOK_SECRET,
      // Straight to our handler: telegraf's context and middleware chain would only hand it ctx.update.
      handleUpdate: async (update) => {
        try {
          await inbound.handle(update, (await botInfo()).id);
        } catch (error) {
          logger.error({ channel: 'telegram', ...errorFields(error) }, 'update failed');
          throw error;
        }
      },
      logger,
    }),
    async start() {
      try {
        await (webhookUrl ? startWebhook(webhookUrl) : startPolling());
      } catch (error) {
        throw new ChannelError(`telegram could not start in ${mode} mode (check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT)`, true, { cause: error });
      }
      logger.info({ channel: 'telegram', mode }, 'telegram started');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const loop = polling;
      // The webhook stays registered on purpose: Telegram keeps updates while we restart.
      while (loop) {
        try {
          bot.stop('shutdown');
          break;
        } catch {
          // Not polling yet (deleteWebhook still in flight): try again until the loop runs or ends.
          if (await Promise.race([loop.then(() => true), sleep(20).then(() => false)])) break;
        }
      }
      await loop;
      await inbound.drain();
      messages.close();
    },
  };
  return { runtime, detail: mode === 'webhook' ? `webhook mode, POST ${TELEGRAM_WEBHOOK_PATH}` : 'long-polling mode (no TELEGRAM_WEBHOOK_URL)' };
}

/** The Telegram channel factory for `adapters/channels.ts`. */
export const telegramChannel: ChannelFactory = (deps) => createTelegramRuntime(deps);
