import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import QRCode from 'qrcode';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { ConnectionState } from './whatsapp-web.connection.ts';

/** The route where the admin fetches the login QR code as an image. */
export const QR_PATH = '/admin/whatsapp/qr.png';

/** What the QR route needs. */
export interface QrRouteDeps {
  /** `ADMIN_TOKEN`; without it the route does not exist (404). */
  readonly adminToken: string | undefined;
  readonly status: () => { readonly state: ConnectionState; readonly qr: string | null };
  readonly logger: Logger;
}

/** Compares a presented bearer token in constant time (hashing first evens the lengths). */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const presented = match?.[1] ?? '';
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected)) && presented.length > 0;
}

const NO_QR_DETAIL: Record<ConnectionState, string> = {
  ready: 'WhatsApp is already linked: there is nothing to scan.',
  starting: 'The WhatsApp Web client is starting; try again in a few seconds.',
  reconnecting: 'The WhatsApp Web client is reconnecting; try again in a minute.',
  stopped: 'The WhatsApp Web client is not running.',
  qr: 'No QR code yet; try again in a few seconds.',
};

/**
 * `GET /admin/whatsapp/qr.png` with `Authorization: Bearer <ADMIN_TOKEN>`: the pending login
 * QR code as a PNG, so an NGO without terminal access can link its phone from a browser.
 * No token configured: 404. Wrong token: 401. Nothing to scan: 404 with the reason in JSON.
 */
export function whatsappQrRouter(deps: QrRouteDeps): Router {
  const router = Router();
  router.get(QR_PATH, async (req, res) => {
    if (!deps.adminToken) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    if (!bearerMatches(req.get('authorization'), deps.adminToken)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized' });
      return;
    }
    const { state, qr } = deps.status();
    res.set('Cache-Control', 'no-store');
    if (qr === null) {
      res.status(404).json({ error: 'no QR code pending', state, detail: NO_QR_DETAIL[state] });
      return;
    }
    try {
      const png = await QRCode.toBuffer(qr, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 384 });
      res.type('image/png').send(png);
    } catch (error) {
      deps.logger.error({ channel: 'whatsapp-web', err: { name: error instanceof Error ? error.name : 'unknown' } }, 'whatsapp-web QR image failed');
      res.status(500).json({ error: 'internal error' });
    }
  });
  return router;
}
