import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import type { Logger } from '../../core/ports/logger.port.ts';
import { sendValidationError } from '../http/validation-error.ts';
import { updateEnvelopeSchema } from './telegram.updates.ts';

/** Where Telegram posts updates; setWebhook registers `${TELEGRAM_WEBHOOK_URL}${TELEGRAM_WEBHOOK_PATH}`. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** Telegram sends the setWebhook `secret_token` back in this header on every update. */
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** What the webhook route needs. */
export interface TelegramWebhookDeps {
  /** TELEGRAM_WEBHOOK_SECRET; without it every request is refused (anyone could forge updates). */
  readonly secret: string | undefined;
  /** Processes one update through telegraf; rejects when the product cannot take it now. */
  readonly handleUpdate: (update: Record<string, unknown>) => Promise<void>;
  readonly logger: Logger;
}

/** Compares digests so that neither the length nor the content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * `POST /webhooks/telegram`: checks the secret header (401 before the body is even read),
 * validates the envelope (400 naming `update_id`), then hands the update to telegraf and
 * answers once it is processed: 200, also for update types we ignore, or 503 so that Telegram
 * delivers it again later when the product could not take it (shutting down, store down).
 */
export function telegramWebhookRouter(deps: TelegramWebhookDeps): Router {
  const checkSecret: RequestHandler = (req, res, next) => {
    const given = req.get(SECRET_HEADER);
    if (!deps.secret || given === undefined || !sameSecret(given, deps.secret)) {
      deps.logger.warn({ channel: 'telegram', header: given === undefined ? 'missing' : 'wrong' }, 'webhook refused: bad secret token');
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    next();
  };
  const router = Router();
  router.post(TELEGRAM_WEBHOOK_PATH, checkSecret, express.json({ limit: '1mb' }), async (req, res) => {
    const parsed = updateEnvelopeSchema.safeParse(req.body);
    if (!parsed.success) {
      sendValidationError(res, parsed.error);
      return;
    }
    try {
      await deps.handleUpdate(parsed.data);
      // Telegram reads the status only: no body, no ETag to hash.
      res.status(200).end();
    } catch (error) {
      deps.logger.warn({ channel: 'telegram', err: error instanceof Error ? error.name : 'unknown' }, 'update not processed; Telegram will retry');
      res.status(503).json({ error: 'try again later' });
    }
  });
  return router;
}
