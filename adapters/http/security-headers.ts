import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** HSTS for a year, sent only over HTTPS (a browser must first reach us securely). */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every answer (helmet): a Content-Security-Policy that the web chat page
 * passes (its script, style and API calls are all same-origin; no inline code), framing by our
 * own pages only (`frame-ancestors 'self'`, so no other site can frame the chat and trick a
 * person into typing there), `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`
 * (a web-chat URL must not leak to the map sites its links open), and HSTS behind HTTPS.
 */
export function securityHeaders(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'none'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // Sent below, only when the request came over HTTPS (directly or through a trusted proxy).
    strictTransportSecurity: false,
  });
  const hsts: RequestHandler = (req, res, next) => {
    if (req.secure) res.set('strict-transport-security', HSTS);
    next();
  };
  return [headers, hsts];
}
