import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import { StoreUnavailableError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { isPath, type RawWebhook } from './raw-webhook.ts';
import { securityHeaders } from './security-headers.ts';

/** What the HTTP server is built from. */
export interface HttpAppDeps {
  readonly store: Store;
  readonly logger: Logger;
  /** Platform webhooks, mounted first and without the pages' headers (see ChannelRuntime.webhook). */
  readonly webhooks?: readonly Router[];
  /** Platform webhooks answered before express is entered at all (see RawWebhook). */
  readonly rawWebhooks?: readonly RawWebhook[];
  /** Web chat, console, admin and other routes; each router parses its own bodies. */
  readonly routers: readonly Router[];
  /** Static files (the web chat page). */
  readonly publicDir: string;
  /** Express's `trust proxy` setting (TRUST_PROXY): which proxies' X-Forwarded-* headers to believe. */
  readonly trustProxy?: boolean | number | string;
}

/** What a 503 asks clients to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The express app: health probes, then every router. There is no global body parser, because
 * webhook signatures (Meta) are computed over the raw bytes.
 */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy: client addresses (rate limits) and HTTPS (HSTS) come from its headers.
  app.set('trust proxy', deps.trustProxy ?? false);
  // Why first: they carry most of the traffic, and a platform's server reads no page headers.
  for (const router of deps.webhooks ?? []) app.use(router);
  app.use(...securityHeaders());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      // The probe writes: a store that answers but cannot write (a full disk) is not ready.
      await deps.store.ping();
      res.json({ status: 'ready' });
    } catch (error) {
      const reason = error instanceof StoreUnavailableError ? error.reason : 'unreachable';
      deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown', reason }, 'store not ready');
      res.status(503).set('retry-after', String(RETRY_AFTER_SECONDS)).json({ status: 'store unavailable', reason });
    }
  });
  for (const router of deps.routers) app.use(router);
  app.use(express.static(deps.publicDir, { index: 'index.html', maxAge: '1h' }));
  app.get('/chat', (_req, res) => res.redirect(302, '/'));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const e = error as { type?: string; status?: number; name?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'invalid request', issues: [{ field: 'body', message: 'malformed JSON' }] });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'request too large', issues: [{ field: 'body', message: 'too large' }] });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: 'invalid request' });
      return;
    }
    if (error instanceof StoreUnavailableError) {
      // Not the server's bug and not the client's: the store cannot serve now (busy, full).
      deps.logger.warn({ err: error.name, reason: error.reason }, 'request refused: store unavailable');
      res.status(503).set('retry-after', String(RETRY_AFTER_SECONDS)).json({ error: 'temporarily unavailable', reason: error.reason, message: 'the service cannot store data right now; try again in a moment' });
      return;
    }
    deps.logger.error({ err: e.name ?? 'unknown' }, 'request failed');
    res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  takeRawWebhooksFirst(app, deps.rawWebhooks ?? []);
  return app;
}

type Handle = (req: IncomingMessage, res: ServerResponse, next?: unknown) => void;

/**
 * Answers the raw webhooks' POSTs before express sets up its request and response. Why through
 * `app.handle`: an express app is a function that calls it, so the app stays one value (what
 * `listen`, node's server and supertest are given) with the fast path inside.
 */
function takeRawWebhooksFirst(app: Express, webhooks: readonly RawWebhook[]): void {
  if (webhooks.length === 0) return;
  const target = app as unknown as { handle: Handle };
  const expressHandle = target.handle.bind(app);
  target.handle = (req, res, next) => {
    if (req.method === 'POST') {
      const webhook = webhooks.find((w) => isPath(req.url, w.path));
      if (webhook) return webhook.handle(req, res);
    }
    expressHandle(req, res, next);
  };
}
