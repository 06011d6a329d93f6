import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../core/ports/logger.port.ts';
import { answer, answerValidationError, readJsonBody, type RawWebhook } from '../http/raw-webhook.ts';
import { updateEnvelopeSchema } from './telegram.updates.ts';

/** Where Telegram posts updates; setWebhook registers `${TELEGRAM_WEBHOOK_URL}${TELEGRAM_WEBHOOK_PATH}`. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** Telegram sends the setWebhook `secret_token` back in this header on every update. */
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** What the webhook route needs. */
export interface TelegramWebhookDeps {
  /** TELEGRAM_WEBHOOK_SECRET; without it every request is refused (anyone could forge updates). */
  readonly secret: string | undefined;
  /** Processes one update; rejects when the product cannot take it now. */
  readonly handleUpdate: (update: Record<string, unknown>) => Promise<void>;
  readonly logger: Logger;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The largest update we read; Telegram's are a few kilobytes. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * `POST /webhooks/telegram`: checks the secret header (401 before the body is even read),
 * validates the envelope (400 naming `update_id`), then hands the update over and answers once
 * it is processed: 200, also for update types we ignore, or 503 so that Telegram delivers it
 * again later when the product could not take it (shutting down, store down). On node's own
 * request and response (see RawWebhook): every message of every Telegram user comes this way.
 */
export function telegramWebhook(deps: TelegramWebhookDeps): RawWebhook {
  // Digests are compared so that neither the length nor the content leaks through timing.
  const expected = deps.secret ? digest(deps.secret) : null;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const given = req.headers[SECRET_HEADER];
    if (expected === null || typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      deps.logger.warn({ channel: 'telegram', header: given === undefined ? 'missing' : 'wrong' }, 'webhook refused: bad secret token');
      answer(res, 401, { error: 'unauthorized' });
      return;
    }
    const body = await readJsonBody(req, BODY_LIMIT_BYTES);
    if (body === null) return;
    if (!body.ok) {
      answer(res, body.status, body.error, body.headers);
      return;
    }
    const parsed = updateEnvelopeSchema.safeParse(body.value);
    if (!parsed.success) {
      answerValidationError(res, parsed.error);
      return;
    }
    try {
      await deps.handleUpdate(parsed.data);
    } catch (error) {
      deps.logger.warn({ channel: 'telegram', err: error instanceof Error ? error.name : 'unknown' }, 'update not processed; Telegram will retry');
      answer(res, 503, { error: 'try again later' });
      return;
    }
    // Telegram reads the status only.
    answer(res, 200);
  };
  return {
    path: TELEGRAM_WEBHOOK_PATH,
    // What express did for a route that threw: a 500, never an unhandled rejection.
    handle: (req, res) =>
      void handle(req, res).catch((error: unknown) => {
        deps.logger.error({ channel: 'telegram', err: error instanceof Error ? error.name : 'unknown' }, 'webhook failed');
        if (!res.headersSent) answer(res, 500, { error: 'internal error' });
        else res.destroy();
      }),
  };
}
