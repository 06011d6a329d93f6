import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import { StoreUnavailableError } from '../../../core/errors.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import type { ReceiptStatus, ReceiptStore } from '../../../core/ports/reach.port.ts';
import { sendValidationError } from '../../http/validation-error.ts';
import type { InboundSms } from '../sms.inbound.ts';

/** Where the phone's app posts its webhooks (register `sms:received`, `sms:sent`, `sms:delivered`, `sms:failed`). */
export const ANDROID_GATEWAY_PATH = '/webhooks/sms-gateway';

/** How far the phone's clock may be from ours; an older signature is a replay. */
const MAX_SKEW_S = 300;

/**
 * Whether `signature` (`X-Signature`, hex) is the HMAC-SHA256, with the app's signing key, of
 * the raw body followed by the `X-Timestamp` header, and that timestamp is recent.
 */
export function isValidGatewaySignature(raw: Buffer, signature: string | undefined, timestamp: string | undefined, key: string, now: Date): boolean {
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_S) return false;
  const expected = createHmac('sha256', key).update(Buffer.concat([raw, Buffer.from(timestamp)])).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const received = z.object({
  event: z.literal('sms:received'),
  id: z.string().min(1).max(128),
  payload: z.object({ message: z.string().max(2000), phoneNumber: z.string().min(1).max(32), receivedAt: z.string().optional() }),
});
const status = z.object({
  event: z.enum(['sms:sent', 'sms:delivered', 'sms:failed']),
  id: z.string().min(1).max(128),
  payload: z.object({ messageId: z.string().min(1).max(128) }),
});
const other = z.object({ event: z.string().min(1).max(64), id: z.string().max(128).optional() });

const RECEIPTS: Record<z.output<typeof status>['event'], ReceiptStatus> = { 'sms:sent': 'sent', 'sms:delivered': 'delivered', 'sms:failed': 'failed' };

/** What the gateway webhook needs. */
export interface AndroidGatewayRoutesDeps {
  readonly signingKey: string;
  readonly receipts: ReceiptStore;
  readonly logger: Logger;
  readonly accept: (sms: InboundSms) => Promise<void>;
  readonly now: () => Date;
}

/**
 * `POST /webhooks/sms-gateway`: the phone's events, signed. A person's SMS becomes a turn (the
 * event id dedupes a redelivery: the app retries until it gets a 2xx); delivery reports become
 * receipts; other events (`system:ping`) are acknowledged.
 */
export function androidGatewayRouter(deps: AndroidGatewayRoutesDeps): Router {
  const router = Router();
  router.post(ANDROID_GATEWAY_PATH, express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // Real time, not the business clock: the phone signs with its own wall clock.
    if (!isValidGatewaySignature(raw, req.get('x-signature'), req.get('x-timestamp'), deps.signingKey, new Date())) {
      deps.logger.warn({ channel: 'sms', backend: 'android', signed: req.get('x-signature') !== undefined }, 'SMS gateway webhook signature invalid; refused');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      res.status(400).json({ error: 'invalid request', issues: [{ field: 'body', message: 'malformed JSON' }] });
      return;
    }
    const head = other.safeParse(json);
    if (!head.success) return sendValidationError(res, head.error);
    try {
      if (head.data.event === 'sms:received') {
        const sms = received.safeParse(json);
        if (!sms.success) return sendValidationError(res, sms.error);
        await deps.accept({ id: `gw:${sms.data.id}`, from: sms.data.payload.phoneNumber, text: sms.data.payload.message, receivedAt: deps.now() });
      } else if (head.data.event in RECEIPTS) {
        const report = status.safeParse(json);
        if (!report.success) return sendValidationError(res, report.error);
        if (report.data.event === 'sms:failed') deps.logger.warn({ channel: 'sms', backend: 'android' }, 'the gateway phone could not send an SMS');
        await deps.receipts.record('sms', report.data.payload.messageId, RECEIPTS[report.data.event], deps.now());
      }
      res.sendStatus(204);
    } catch (error) {
      deps.logger.warn({ channel: 'sms', backend: 'android', err: error instanceof Error ? error.name : 'unknown' }, 'SMS gateway event not processed; the phone will send it again');
      if (error instanceof StoreUnavailableError) res.status(503).set('retry-after', '5').json({ error: 'try again later', reason: error.reason });
      else res.status(500).json({ error: 'try again later' });
    }
  });
  return router;
}
