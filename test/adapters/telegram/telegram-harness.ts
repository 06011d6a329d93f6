import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createApp, type App } from '../../../adapters/app.ts';
import { loadConfig } from '../../../adapters/config.ts';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { startFakeBotApi, type FakeBotApi, type FakeBotApiOptions, type RecordedCall } from '../../fakes/telegram-bot-api.ts';

/** The webhook secret the tests register and send back. */
export const SECRET = 'test-webhook-secret_0123456789';
/** The public URL the tests pretend the product runs at. */
export const PUBLIC_URL = 'https://passerelle.example.org';

const text = createTextRenderer(loadLocales());
/** The product's English wording of a locale key, so a wording change does not break the test. */
export const en = (key: string, params?: Record<string, string>): string => text('en', key, params);

/** The whole product with Telegram pointed at the fake; webhook mode unless `polling`. */
export async function telegramApp(api: FakeBotApi, mode: 'webhook' | 'polling'): Promise<App & { dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-telegram-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    ...(mode === 'webhook' ? { TELEGRAM_WEBHOOK_URL: PUBLIC_URL } : {}),
  };
  const app = await createApp(loadConfig(env), { logger: silentLogger });
  return Object.assign(app, {
    async dispose() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** A product of {@link telegramApp}. */
export type TelegramApp = Awaited<ReturnType<typeof telegramApp>>;

/**
 * Registers an `afterEach` that disposes every product, then closes every fake Bot API, that
 * the returned starters opened during the test.
 */
export function telegramTestbed() {
  const apis: FakeBotApi[] = [];
  const apps: TelegramApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.dispose();
    for (const api of apis.splice(0)) await api.close();
  });
  return {
    /** A fake Bot API (see startFakeBotApi), closed after the test. */
    async startApi(options?: FakeBotApiOptions): Promise<FakeBotApi> {
      const api = await startFakeBotApi(options);
      apis.push(api);
      return api;
    },
    /** The product on `api` (see telegramApp), disposed after the test. */
    async startApp(api: FakeBotApi, mode: 'webhook' | 'polling'): Promise<TelegramApp> {
      const app = await telegramApp(api, mode);
      apps.push(app);
      return app;
    },
  };
}

/** The message a callback refers to, as Telegram includes it: the last one we sent with buttons. */
export function shownKeyboard(api: FakeBotApi): { messageId: number; text: string; inline_keyboard: unknown } {
  const call = api.callsTo('sendMessage').findLast((c: RecordedCall) => c.status === 200 && (c.body['reply_markup'] as { inline_keyboard?: unknown } | undefined)?.inline_keyboard);
  if (!call) throw new Error('no keyboard was sent');
  const result = call.result as { message_id: number; text: string; reply_markup: { inline_keyboard: unknown } };
  return { messageId: result.message_id, text: result.text, inline_keyboard: result.reply_markup.inline_keyboard };
}

/** The inline keyboard rows the product should send, from [label, id] pairs. */
export function inline(...rows: [string, string][][]): { inline_keyboard: { text: string; callback_data: string }[][] } {
  return { inline_keyboard: rows.map((row) => row.map(([label, id]) => ({ text: label, callback_data: id }))) };
}

/** The language picker's keyboard: every language in its own name, two per row. */
export const LANGUAGE_KEYBOARD = inline(
  [['العربية', 'ar'], ['فارسی / دری', 'fa']],
  [['پښتو', 'ps'], ['Українська', 'uk']],
  [['ትግርኛ', 'ti'], ['Soomaali', 'so']],
  [['Türkçe', 'tr'], ['Français', 'fr']],
  [['Español', 'es'], ['English', 'en']],
);
