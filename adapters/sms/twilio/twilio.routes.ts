import express, { Router, type Request, type Response } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import { StoreUnavailableError } from '../../../core/errors.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import type { ReceiptStatus, ReceiptStore } from '../../../core/ports/reach.port.ts';
import { sendValidationError } from '../../http/validation-error.ts';
import type { InboundSms } from '../sms.inbound.ts';

/** Where Twilio posts people's SMS (the number's "A message comes in" webhook). */
export const TWILIO_SMS_PATH = '/webhooks/twilio/sms';
/** Where Twilio posts each sent message's fate (the `StatusCallback` of every send). */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

/** An inbound SMS as Twilio posts it (form fields; others, such as FromCity, are ignored). */
const inboundSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/i, 'must be a Twilio message SID'),
  AccountSid: z.string().min(1),
  From: z.string().min(1).max(32),
  To: z.string().min(1).max(32),
  Body: z.string().max(1600).default(''),
  NumMedia: z.coerce.number().int().min(0).default(0),
});

/** A status callback. Only the states that say something final or new are kept as receipts. */
const statusSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/i, 'must be a Twilio message SID'),
  AccountSid: z.string().min(1),
  MessageStatus: z.enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'receiving', 'received']),
  ErrorCode: z.coerce.number().int().optional(),
});

const RECEIPTS: Partial<Record<z.output<typeof statusSchema>['MessageStatus'], ReceiptStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

/** What the Twilio webhooks need. */
export interface TwilioRoutesDeps {
  readonly accountSid: string;
  readonly authToken: string;
  /** The public base URL Twilio calls (it signs the exact URL); the request's own URL when null. */
  readonly publicUrl: string | null;
  readonly receipts: ReceiptStore;
  readonly logger: Logger;
  /** Stores the SMS's turn; the webhook answers once it settles. */
  readonly accept: (sms: InboundSms) => Promise<void>;
  readonly now: () => Date;
}

/** The URL Twilio signed: the configured public one, else the one this request came to. */
function signedUrl(req: Request, publicUrl: string | null): string {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${req.originalUrl}` : `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`;
}

/** An empty TwiML answer: replies leave through the outbox, never in the webhook's answer. */
function emptyTwiml(res: Response): void {
  res.status(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
}

/**
 * `POST /webhooks/twilio/sms` takes people's SMS and `POST /webhooks/twilio/status` the status
 * callbacks. Each request's `X-Twilio-Signature` is checked with the library's validateRequest
 * (HMAC-SHA1 of the URL and the sorted form fields with our auth token): 401 otherwise, and
 * nothing of it is read.
 */
export function twilioRouter(deps: TwilioRoutesDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const verified = (req: Request, res: Response): boolean => {
    const signature = req.get('x-twilio-signature');
    const params = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, string>;
    if (!signature || !twilio.validateRequest(deps.authToken, signature, signedUrl(req, deps.publicUrl), params)) {
      deps.logger.warn({ channel: 'sms', backend: 'twilio', signed: signature !== undefined }, 'Twilio webhook signature invalid; refused');
      res.status(401).json({ error: 'invalid signature' });
      return false;
    }
    return true;
  };

  router.post(TWILIO_SMS_PATH, form, async (req, res) => {
    if (!verified(req, res)) return;
    const parsed = inboundSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const sms = parsed.data;
    if (sms.AccountSid !== deps.accountSid) {
      res.status(403).json({ error: 'another account' });
      return;
    }
    try {
      await deps.accept({ id: sms.MessageSid, from: sms.From, text: sms.Body, receivedAt: deps.now() });
      emptyTwiml(res);
    } catch (error) {
      deps.logger.warn({ channel: 'sms', backend: 'twilio', err: error instanceof Error ? error.name : 'unknown' }, 'SMS not processed');
      if (error instanceof StoreUnavailableError) res.status(503).set('retry-after', '5').json({ error: 'try again later', reason: error.reason });
      else res.status(500).json({ error: 'try again later' });
    }
  });

  router.post(TWILIO_STATUS_PATH, form, async (req, res) => {
    if (!verified(req, res)) return;
    const parsed = statusSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const { MessageSid: sid, MessageStatus: state, ErrorCode: code } = parsed.data;
    const receipt = RECEIPTS[state];
    if (receipt === 'failed') deps.logger.warn({ channel: 'sms', backend: 'twilio', code }, 'Twilio could not deliver an SMS');
    try {
      if (receipt) await deps.receipts.record('sms', sid, receipt, deps.now());
      res.sendStatus(204);
    } catch (error) {
      deps.logger.warn({ channel: 'sms', backend: 'twilio', err: error instanceof Error ? error.name : 'unknown' }, 'status callback not stored');
      res.status(503).set('retry-after', '5').json({ error: 'try again later' });
    }
  });
  return router;
}
