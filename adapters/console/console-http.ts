import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { ConsoleSession, StaffUser } from '../../core/ports/console.port.ts';
import type { Organisation } from '../../core/ports/people.port.ts';
import type { TFunction } from 'i18next';
import type { ConsoleAccounts } from './console-accounts.ts';
import { SESSION_MS } from './console-accounts.ts';
import { asConsoleLang, consoleT, dirOf, langFromHeader, type ConsoleLang } from './console-i18n.ts';
import type { SafeHtml } from './html.ts';

/** The session cookie: HTTP-only, SameSite=Strict, Secure (but on plain HTTP to loopback, for development and tests). */
export const COOKIE = 'pc_session';

/** What every console page knows about its request. */
export interface ConsoleContext {
  readonly lang: ConsoleLang;
  readonly dir: 'ltr' | 'rtl';
  readonly t: TFunction;
  readonly session: ConsoleSession;
  readonly csrf: string;
  /** Null on the sign-in pages. */
  readonly user: StaffUser | null;
  readonly org: Organisation | null;
}

/** The context of a signed-in page (set by {@link requireUser}). */
export type SignedIn = ConsoleContext & { readonly user: StaffUser; readonly org: Organisation };

/** A cookie's value from the request (no parser dependency: one header, one name). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Sets the session cookie, scoped to the console's paths. */
export function setSessionCookie(req: Request, res: Response, value: string, maxAgeMs = SESSION_MS): void {
  res.cookie(COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: req.secure || !LOOPBACK.has(req.hostname), path: '/console', maxAge: maxAgeMs });
}

/** The context of the request (set by {@link consoleSession}). */
export function ctxOf(res: Response): ConsoleContext {
  return res.locals['console'] as ConsoleContext;
}

/** The context of a signed-in request. */
export function signedIn(res: Response): SignedIn {
  return res.locals['console'] as SignedIn;
}

/**
 * Loads the browser's server-side session (making an anonymous one for the sign-in forms when
 * there is none), its user and organisation, and the user's language.
 */
export function consoleSession(deps: { accounts: ConsoleAccounts; store: import('../../core/ports/store.port.ts').Store }): RequestHandler {
  return async (req, res, next) => {
    let session = await deps.accounts.session(readCookie(req, COOKIE));
    if (!session) {
      const fresh = await deps.accounts.anonymous();
      setSessionCookie(req, res, fresh.cookie);
      session = fresh.session;
    }
    const user = session.userId ? await deps.store.console.findUserById(session.userId) : null;
    const org = user ? await deps.store.organisations.get(user.orgId) : null;
    const lang = asConsoleLang(user?.lang) ?? asConsoleLang(typeof req.query['lang'] === 'string' ? req.query['lang'] : null) ?? langFromHeader(req.get('accept-language'));
    const ctx: ConsoleContext = { lang, dir: dirOf(lang), t: consoleT(lang), session, csrf: session.csrfToken, user, org };
    res.locals['console'] = ctx;
    // Pages carry a person's data and a CSRF token: never kept by a cache or the back-forward cache.
    res.set('cache-control', 'no-store');
    next();
  };
}

/** Sends signed-out browsers to the sign-in page (pages) or answers 401 (streams, fetches). */
export const requireUser: RequestHandler = (req, res, next) => {
  const ctx = ctxOf(res);
  if (ctx.user && ctx.org) return next();
  if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html' && !req.path.endsWith('/events')) return res.redirect(303, '/console/sign-in');
  res.status(401).json({ error: 'sign in first' });
};

/** Admin-only routes: 403 for staff. */
export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (signedIn(res).user.role === 'admin') return next();
  res.status(403).type('text/plain').send(ctxOf(res).t('settings.adminOnly'));
};

/**
 * Refuses every state-changing request whose CSRF token (form field `_csrf` or header
 * `x-csrf-token`) is not the session's (a synchronizer token: stored server-side, compared in
 * constant time). Runs after the body parsers.
 */
export const csrfGuard: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const body = req.body as Record<string, unknown> | undefined;
  const given = (typeof body?.['_csrf'] === 'string' ? body['_csrf'] : undefined) ?? req.get('x-csrf-token') ?? '';
  const expected = Buffer.from(ctxOf(res).csrf);
  const actual = Buffer.from(given);
  if (actual.length === expected.length && timingSafeEqual(actual, expected)) return next();
  res.status(403).type('text/plain').send(ctxOf(res).t('errors.csrf'));
};

/** Sends a page. */
export function sendPage(res: Response, page: SafeHtml, status = 200): void {
  res.status(status).type('html').send(`<!doctype html>\n${page.value}`);
}
