import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { StoreUnavailableError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import { sendValidationError } from '../http/validation-error.ts';
import { messagesValueSchema, webhookObjectSchema, webhookSchema, type MessagesValue } from './whatsapp-cloud.payload.ts';
import { isValidSignature, secretsEqual } from './whatsapp-cloud.signature.ts';

/** The webhook path, for both the verification GET and the notifications POST. */
export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

/** What the webhook routes need. */
export interface WhatsappCloudRoutesDeps {
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly logger: Logger;
  /** Processes the verified `messages` changes; the webhook answers once this settles. */
  readonly accept: (values: readonly MessagesValue[]) => Promise<void>;
  /** True while shutting down: Meta is then told to retry later (another instance takes it). */
  readonly stopping: () => boolean;
}

const verificationSchema = z.object({
  'hub.mode': z.literal('subscribe'),
  'hub.verify_token': z.string(),
  'hub.challenge': z.string().min(1).max(256),
});

/** Meta sends JSON; a body of another type is named as such, not blamed on its signature. */
const unsupportedType: RequestHandler = (req, res, next) => {
  if (req.is('application/json') === false) {
    res.status(415).json({ error: 'unsupported media type', issues: [{ field: 'content-type', message: 'must be application/json' }] });
    return;
  }
  next();
};

/**
 * `GET /webhooks/whatsapp` answers Meta's subscription check; `POST /webhooks/whatsapp` takes
 * signed notifications. The body is kept raw because the signature is over the exact bytes.
 */
export function whatsappCloudRouter(deps: WhatsappCloudRoutesDeps): Router {
  const router = Router();
  const log = (fields: Record<string, unknown>, message: string) => deps.logger.debug({ channel: 'whatsapp-cloud', ...fields }, message);

  router.get(WHATSAPP_WEBHOOK_PATH, (req, res) => {
    const query = verificationSchema.safeParse(req.query);
    if (!query.success || !secretsEqual(query.data['hub.verify_token'], deps.verifyToken)) {
      deps.logger.warn({ channel: 'whatsapp-cloud' }, 'webhook verification refused');
      res.status(403).type('text/plain').send('forbidden');
      return;
    }
    res.status(200).set('x-content-type-options', 'nosniff').type('text/plain').send(query.data['hub.challenge']);
  });

  router.post(WHATSAPP_WEBHOOK_PATH, unsupportedType, express.raw({ type: 'application/json', limit: '1mb' }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!isValidSignature(raw, req.get('x-hub-signature-256'), deps.appSecret)) {
      deps.logger.warn({ channel: 'whatsapp-cloud', signed: req.get('x-hub-signature-256') !== undefined }, 'webhook signature invalid; notification refused');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    if (deps.stopping()) {
      res.status(503).set('retry-after', '5').json({ error: 'shutting down' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      res.status(400).json({ error: 'invalid request', issues: [{ field: 'body', message: 'malformed JSON' }] });
      return;
    }
    const object = webhookObjectSchema.safeParse(json);
    if (!object.success) return sendValidationError(res, object.error);
    if (object.data.object !== 'whatsapp_business_account') {
      log({ object: object.data.object }, 'notification for another product ignored');
      res.sendStatus(200);
      return;
    }
    const webhook = webhookSchema.safeParse(json);
    if (!webhook.success) return sendValidationError(res, webhook.error);
    const values: MessagesValue[] = [];
    for (const [e, entry] of webhook.data.entry.entries()) {
      for (const [c, change] of entry.changes.entries()) {
        if (change.field !== 'messages') {
          log({ field: change.field }, 'webhook field not handled; ignored');
          continue;
        }
        const value = messagesValueSchema.safeParse(change.value);
        if (!value.success) {
          // Why prefix the path: the 400 must name the field within the whole notification.
          const issues = value.error.issues.map((issue) => ({ ...issue, path: ['entry', e, 'changes', c, 'value', ...issue.path] }));
          return sendValidationError(res, new z.ZodError(issues));
        }
        values.push(value.data);
      }
    }
    // Why answer only after processing: Meta never delivers an acknowledged notification again,
    // so a 200 before the turns are stored would lose them at a crash. A turn is quick (its replies
    // go to the outbox, not to the Graph API); a failure answers 5xx and Meta retries: 503 with
    // Retry-After when the store cannot serve for now (busy, full), 500 for anything else.
    try {
      if (values.length > 0) await deps.accept(values);
      res.sendStatus(200);
    } catch (error) {
      deps.logger.warn({ channel: 'whatsapp-cloud', err: error instanceof Error ? error.name : 'unknown' }, 'notification not processed; Meta will retry');
      if (error instanceof StoreUnavailableError) res.status(503).set('retry-after', '5').json({ error: 'try again later', reason: error.reason });
      else res.status(500).json({ error: 'try again later' });
    }
  });
  return router;
}
