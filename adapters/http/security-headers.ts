import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** HSTS for a year, sent only over HTTPS (a browser must first reach us securely). */
const HSTS = 'max-age=31536000; includeSubDomains';

/** The web chat page, which organisations embed in their own sites (embed.js, an iframe). */
const CHAT_PAGES = new Set(['/', '/index.html']);

/** The embed snippet, which organisations' pages load as a script from their own origin. */
const EMBED_SCRIPT = '/embed.js';

function helmetWith(frameAncestors: string, frameguard: boolean, crossOrigin = false): RequestHandler {
  return once(helmet({
    crossOriginResourcePolicy: { policy: crossOrigin ? 'cross-origin' : 'same-origin' },
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'none'"],
        // Same origin covers the API calls and the event stream (/api/webchat/events).
        'connect-src': ["'self'"],
        // The page's fonts are served by the product itself (/fonts).
        'font-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': [frameAncestors],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
      },
    },
    frameguard: frameguard ? { action: 'sameorigin' } : false,
    referrerPolicy: { policy: 'no-referrer' },
    // Sent below, only when the request came over HTTPS (directly or through a trusted proxy).
    strictTransportSecurity: false,
  }));
}

/**
 * The headers a helmet middleware sets, taken once and set again on every answer. Why: with these
 * options they never depend on the request, and helmet's twelve middlewares per request cost
 * more than everything else a webhook does before the conversation (a tenth of its CPU time).
 */
function once(middleware: RequestHandler): RequestHandler {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let failed: unknown = null;
  middleware({} as Parameters<RequestHandler>[0], recorder as unknown as Parameters<RequestHandler>[1], (error?: unknown) => {
    if (error) failed = error;
  });
  if (failed) throw new Error('security headers could not be prepared', { cause: failed });
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * Security headers on every answer (helmet): a Content-Security-Policy that the web chat page
 * passes (its script, style, fonts, API calls and event stream are all same-origin; no inline
 * code), `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (a web-chat URL
 * must not leak to the map sites its links open), and HSTS behind HTTPS. Framing: the chat page
 * may be framed by any site (organisations embed it; its conversation lives in the frame's own
 * storage, out of the host page's reach); every other answer by our own pages only.
 */
export function securityHeaders(): RequestHandler[] {
  const embeddable = helmetWith('*', false);
  const ownPagesOnly = helmetWith("'self'", true);
  const snippet = helmetWith("'self'", true, true);
  const headers: RequestHandler = (req, res, next) => (CHAT_PAGES.has(req.path) ? embeddable : req.path === EMBED_SCRIPT ? snippet : ownPagesOnly)(req, res, next);
  const hsts: RequestHandler = (req, res, next) => {
    if (req.secure) res.set('strict-transport-security', HSTS);
    next();
  };
  return [headers, hsts];
}
