import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { ConsoleAccounts, SignInOutcome } from './console-accounts.ts';
import { ctxOf, sendPage, setSessionCookie, type ConsoleContext } from './console-http.ts';
import { csrfField, layout } from './console-layout.ts';
import { html, type SafeHtml } from './html.ts';

const emailForm = z.object({ email: z.email().max(200) });
const codeForm = z.object({ code: z.string().trim().regex(/^\d{6}$/) });
const passwordForm = z.object({ email: z.email().max(200), password: z.string().min(1).max(200) });

function emailPage(ctx: ConsoleContext, notice?: string): SafeHtml {
  const { t } = ctx;
  return layout(
    ctx,
    t('signIn.title'),
    html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p>${t('signIn.intro')}</p>
<form method="post" action="/console/sign-in" class="stack">${csrfField(ctx)}
<label for="email">${t('signIn.email')}</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus>
<button type="submit">${t('signIn.sendCode')}</button>
</form>
<details><summary>${t('signIn.withPassword')}</summary>
<form method="post" action="/console/sign-in/password" class="stack">${csrfField(ctx)}
<label for="pw-email">${t('signIn.email')}</label>
<input id="pw-email" name="email" type="email" autocomplete="username" required>
<label for="password">${t('signIn.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${t('signIn.submit')}</button>
</form></details>`,
  );
}

function codePage(ctx: ConsoleContext, message: string, alert = false): SafeHtml {
  const { t } = ctx;
  return layout(
    ctx,
    t('signIn.title'),
    html`<p class="${alert ? 'error' : 'notice'}" role="${alert ? 'alert' : 'status'}">${message}</p>
<form method="post" action="/console/sign-in/code" class="stack">${csrfField(ctx)}
<label for="code">${t('signIn.code')}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus>
<button type="submit">${t('signIn.submit')}</button>
</form>
<p><a href="/console/sign-in">${t('signIn.again')}</a></p>`,
  );
}

/**
 * Sign-in and sign-out. Wrong codes are counted in the store per user (ten lock sign-in for a
 * while, in every process); a per-address limit in front keeps one client from hammering the forms.
 */
export function signInRouter(deps: { accounts: ConsoleAccounts; perMinute: number }): Router {
  const router = Router();
  const limiter = rateLimit({ windowMs: 60_000, limit: deps.perMinute, standardHeaders: 'draft-8', legacyHeaders: false });

  router.get('/console/sign-in', (_req, res) => {
    const ctx = ctxOf(res);
    if (ctx.user) return res.redirect(303, '/console');
    sendPage(res, emailPage(ctx));
  });

  const answer = (ctx: ConsoleContext, outcome: SignInOutcome, req: import('express').Request, res: import('express').Response, page: 'code' | 'email'): void => {
    const { t } = ctx;
    if (outcome.kind === 'signed-in') {
      setSessionCookie(req, res, outcome.cookie);
      return res.redirect(303, '/console');
    }
    if (outcome.kind === 'locked') return sendPage(res, page === 'code' ? codePage(ctx, t('signIn.locked', { until: outcome.until }), true) : emailPage(ctx, t('signIn.locked', { until: outcome.until })), 429);
    if (outcome.kind === 'wrong') return sendPage(res, page === 'code' ? codePage(ctx, t('signIn.wrong', { left: outcome.left }), true) : emailPage(ctx, t('signIn.passwordWrong')), 401);
    sendPage(res, codePage(ctx, t('signIn.codeSent')));
  };

  router.post('/console/sign-in', limiter, async (req, res) => {
    const ctx = ctxOf(res);
    const parsed = emailForm.safeParse(req.body);
    if (!parsed.success) return sendPage(res, emailPage(ctx, ctx.t('errors.invalid', { fields: ctx.t('signIn.email') })), 400);
    answer(ctx, await deps.accounts.requestCode(ctx.session, parsed.data.email), req, res, 'code');
  });

  router.post('/console/sign-in/code', limiter, async (req, res) => {
    const ctx = ctxOf(res);
    const parsed = codeForm.safeParse(req.body);
    // A malformed code counts as a wrong one: the lock must not be dodged by sending letters.
    answer(ctx, await deps.accounts.verifyCode(ctx.session, parsed.success ? parsed.data.code : 'invalid'), req, res, 'code');
  });

  router.post('/console/sign-in/password', limiter, async (req, res) => {
    const ctx = ctxOf(res);
    const parsed = passwordForm.safeParse(req.body);
    if (!parsed.success) return sendPage(res, emailPage(ctx, ctx.t('signIn.passwordWrong')), 400);
    answer(ctx, await deps.accounts.verifyPassword(ctx.session, parsed.data.email, parsed.data.password), req, res, 'email');
  });

  router.post('/console/sign-out', async (_req, res) => {
    const ctx = ctxOf(res);
    await deps.accounts.signOut(ctx.session);
    res.clearCookie('pc_session', { path: '/console' });
    res.redirect(303, '/console/sign-in');
  });
  return router;
}
