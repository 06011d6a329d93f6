import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../adapters/app.ts';
import { loadConfig } from '../../../adapters/config.ts';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import type { FakeBotApi, RecordedCall } from '../../fakes/telegram-bot-api.ts';

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
