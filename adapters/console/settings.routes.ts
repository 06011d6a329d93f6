import { randomBytes, randomUUID } from 'node:crypto';
import { Router } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import { LANGUAGE_CODES } from '../../core/i18n/languages.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { ConcurrencyConflictError } from '../../core/errors.ts';
import { newApiKey } from '../http/org-auth.ts';
import { hashPassword, type ConsoleAccounts } from './console-accounts.ts';
import { requireAdmin, sendPage, signedIn, type SignedIn } from './console-http.ts';
import { CONSOLE_LANGUAGES } from './console-i18n.ts';
import { csrfField, layout } from './console-layout.ts';
import { html, SafeHtml } from './html.ts';
import { checkRouteIds } from '../http/route-ids.ts';

/** WhatsApp templates per use and language, as configured (WHATSAPP_TEMPLATES). */
export type TemplatesView = Readonly<Record<string, Readonly<Partial<Record<string, { readonly name: string; readonly language: string }>>>>>;

/** The WhatsApp web client's pairing state, when that channel runs. */
export type Pairing = () => { readonly state: string; readonly qr: string | null };

const lang = z.enum(LANGUAGE_CODES as [string, ...string[]]);
const consoleLang = z.enum(CONSOLE_LANGUAGES.map((l) => l.code) as ['en', 'fr', 'es', 'ar']);
const term = z.string().trim().min(1).max(100);
const glossaryLine = z.tuple([lang, term, term]);
const inviteForm = z.object({ email: z.email().max(200), role: z.enum(['admin', 'staff']), personId: z.string().trim().max(100).optional() });

/** Parses the glossary textarea: `lang | term = translation` per line. */
function parseGlossary(text: string): Record<string, Record<string, string>> | null {
  const out: Record<string, Record<string, string>> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /^([a-z]{2})\s*\|\s*(.+?)\s*=\s*(.+)$/.exec(line);
    const parsed = glossaryLine.safeParse(m ? [m[1], m[2], m[3]] : null);
    if (!parsed.success) return null;
    const [l, from, to] = parsed.data;
    (out[l] ??= {})[from] = to;
  }
  return out;
}

/** Settings: the console's language, glossary, Telegram linking, WhatsApp pairing and templates, API keys, console users; and the audit log. */
export function settingsRouter(deps: { store: Store; accounts: ConsoleAccounts; clock: Clock; templates: TemplatesView; pairing: Pairing | null }): Router {
  const { store, accounts } = deps;
  const router = checkRouteIds(Router(), ['id']);

  const page = async (ctx: SignedIn, notice?: SafeHtml | string): Promise<SafeHtml> => {
    const { t } = ctx;
    const org = (await store.organisations.get(ctx.org.id))!;
    const admin = ctx.user.role === 'admin';
    const [keys, users] = admin ? await Promise.all([store.console.listApiKeys(org.id), store.console.listUsers(org.id)]) : [[], []];
    const sessions = new Map(await Promise.all(users.map(async (u) => [u.id, (await store.console.listUserSessions(org.id, u.id)).length] as const)));
    const glossary = Object.entries(org.glossary).flatMap(([l, terms]) => Object.entries(terms).map(([from, to]) => `${l} | ${from} = ${to}`)).join('\n');
    const pairing = deps.pairing?.() ?? null;
    const qr = pairing?.qr ? new SafeHtml(await QRCode.toString(pairing.qr, { type: 'svg', margin: 2, width: 256 })) : null;
    const templates = Object.entries(deps.templates).flatMap(([use, byLang]) => Object.entries(byLang).map(([l, ref]) => [use, l, ref] as const));
    const disabled = admin ? '' : html` disabled`;
    return layout(
      ctx,
      t('settings.title'),
      html`${notice ? html`<div class="notice" role="status">${notice}</div>` : ''}
<section aria-labelledby="s-lang"><h2 id="s-lang">${t('settings.myLanguage')}</h2>
<form method="post" action="/console/settings/language" class="row">${csrfField(ctx)}<label for="lang" class="sr">${t('settings.myLanguage')}</label>
<select id="lang" name="lang">${CONSOLE_LANGUAGES.map((l) => html`<option value="${l.code}" lang="${l.code}"${l.code === ctx.lang ? html` selected` : ''}>${l.name}</option>`)}</select>
<button type="submit">${t('settings.save')}</button></form></section>
<section aria-labelledby="s-pw"><h2 id="s-pw">${t('settings.password')}</h2><p class="muted" id="pw-help">${t('settings.passwordHelp')}</p>
<form method="post" action="/console/settings/password" class="row">${csrfField(ctx)}<label for="new-password" class="sr">${t('settings.password')}</label>
<input id="new-password" name="password" type="password" autocomplete="new-password" minlength="12" maxlength="200" aria-describedby="pw-help" required>
<button type="submit">${t('settings.save')}</button></form></section>
<section aria-labelledby="s-gl"><h2 id="s-gl">${t('settings.glossary')}</h2><p class="muted" id="gl-help">${t('settings.glossaryHelp')}</p>
<form method="post" action="/console/settings/glossary" class="stack">${csrfField(ctx)}<label for="glossary" class="sr">${t('settings.glossary')}</label>
<textarea id="glossary" name="glossary" rows="5" dir="auto" aria-describedby="gl-help"${disabled}>${glossary}</textarea><button type="submit"${disabled}>${t('settings.save')}</button></form></section>
<section aria-labelledby="s-tg"><h2 id="s-tg">${t('settings.telegram')}</h2>${org.telegramChannelId ? html`<p>${t('settings.telegramLinked')}</p>` : ''}
<form method="post" action="/console/settings/telegram/link-code">${csrfField(ctx)}<button type="submit"${disabled}>${t('settings.linkCode')}</button></form></section>
<section aria-labelledby="s-wa"><h2 id="s-wa">${t('settings.whatsappWeb')}</h2>${pairing
        ? html`<p>${t('settings.waState', { state: pairing.state })}</p>${qr && admin ? html`<p>${t('settings.scan')}</p><div class="qr">${qr}</div>` : ''}`
        : html`<p class="muted">${t('settings.waOff')}</p>`}</section>
<section aria-labelledby="s-tp"><h2 id="s-tp">${t('settings.templates')}</h2>${templates.length === 0
        ? html`<p class="muted">${t('settings.templatesNone')}</p>`
        : html`<table><thead><tr><th scope="col">${t('settings.kind')}</th><th scope="col">${t('contacts.language')}</th><th scope="col">${t('settings.template')}</th></tr></thead>
<tbody>${templates.map(([use, l, ref]) => html`<tr><td>${use}</td><td>${l}</td><td>${ref?.name} (${ref?.language})</td></tr>`)}</tbody></table>`}</section>
${admin
  ? html`<section aria-labelledby="s-keys"><h2 id="s-keys">${t('settings.apiKeys')}</h2>
<table id="keys"><tbody>${keys.map(
      (k) => html`<tr><td>${k.name}</td><td>${k.createdAt.slice(0, 10)}</td><td>${k.revokedAt ? t('settings.revoked') : html`<form method="post" action="/console/settings/api-keys/${k.id}/revoke">${csrfField(ctx)}<button type="submit" class="secondary">${t('settings.revoke')}</button></form>`}</td></tr>`,
    )}</tbody></table>
<form method="post" action="/console/settings/api-keys" class="row">${csrfField(ctx)}<label for="key-name">${t('settings.keyName')}</label><input id="key-name" name="name" required maxlength="60"><button type="submit">${t('settings.createKey')}</button></form></section>
<section aria-labelledby="s-users"><h2 id="s-users">${t('settings.users')}</h2>
<table id="users"><thead><tr><th scope="col">${t('settings.email')}</th><th scope="col">${t('settings.role')}</th><th scope="col">${t('settings.sessions')}</th><th scope="col"></th></tr></thead><tbody>${users.map(
      (u) => html`<tr><td>${u.email}${u.id === ctx.user.id ? ` (${t('settings.you')})` : ''}</td><td>${t(`settings.${u.role}`)}</td><td>${sessions.get(u.id) ?? 0}</td><td class="row">
<form method="post" action="/console/settings/users/${u.id}/revoke">${csrfField(ctx)}<button type="submit" class="secondary">${t('settings.revokeSessions')}</button></form>
${u.id === ctx.user.id ? '' : html`<form method="post" action="/console/settings/users/${u.id}/delete">${csrfField(ctx)}<button type="submit" class="danger">${t('settings.remove')}</button></form>`}</td></tr>`,
    )}</tbody></table>
<form method="post" action="/console/settings/users" class="stack">${csrfField(ctx)}
<label for="u-email">${t('settings.email')}</label><input id="u-email" name="email" type="email" required>
<label for="u-role">${t('settings.role')}</label><select id="u-role" name="role"><option value="staff">${t('settings.staff')}</option><option value="admin">${t('settings.admin')}</option></select>
<label for="u-person">${t('settings.chatPerson')}</label><input id="u-person" name="personId">
<button type="submit">${t('settings.invite')}</button></form></section>`
  : ''}`,
      'settings',
    );
  };

  router.get('/console/settings', async (_req, res) => sendPage(res, await page(signedIn(res))));

  router.post('/console/settings/language', async (req, res) => {
    const ctx = signedIn(res);
    const parsed = consoleLang.safeParse((req.body as { lang?: unknown }).lang);
    if (!parsed.success) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: 'lang' }));
    await store.console.updateUser(ctx.org.id, ctx.user.id, { lang: parsed.data });
    res.redirect(303, '/console/settings');
  });

  router.post('/console/settings/password', async (req, res) => {
    const ctx = signedIn(res);
    const parsed = z.object({ password: z.string().min(12).max(200) }).safeParse(req.body);
    if (!parsed.success) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: ctx.t('settings.password') }));
    await store.console.updateUser(ctx.org.id, ctx.user.id, { passwordHash: await hashPassword(parsed.data.password) });
    await accounts.record(ctx.org.id, ctx.user.id, 'password.set', ctx.user.id);
    sendPage(res, await page(ctx, ctx.t('contact.saved')));
  });

  router.post('/console/settings/glossary/term', async (req, res) => {
    const ctx = signedIn(res);
    const parsed = z.object({ lang, term, translation: term }).safeParse(req.body);
    if (!parsed.success) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: 'term' }));
    const org = (await store.organisations.get(ctx.org.id))!;
    const { lang: l, term: from, translation } = parsed.data;
    await store.organisations.update(org.id, { glossary: { ...org.glossary, [l]: { ...org.glossary[l], [from]: translation } } });
    await accounts.record(org.id, ctx.user.id, 'glossary.term-saved', l, from);
    if (req.get('x-fragment') === '1') return void res.type('text/plain').send(ctx.t('compose.termSaved'));
    sendPage(res, await page(ctx, ctx.t('compose.termSaved')));
  });

  router.post('/console/settings/glossary', requireAdmin, async (req, res) => {
    const ctx = signedIn(res);
    const glossary = parseGlossary(String((req.body as { glossary?: unknown }).glossary ?? ''));
    if (!glossary) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: ctx.t('settings.glossary') }));
    await store.organisations.update(ctx.org.id, { glossary });
    await accounts.record(ctx.org.id, ctx.user.id, 'glossary.saved', null);
    sendPage(res, await page(ctx, ctx.t('contact.saved')));
  });
  router.post('/console/settings/telegram/link-code', requireAdmin, async (_req, res) => {
    const ctx = signedIn(res);
    const code = randomBytes(12).toString('base64url');
    await store.organisations.update(ctx.org.id, { linkCode: code });
    await accounts.record(ctx.org.id, ctx.user.id, 'telegram.link-code', null);
    sendPage(res, await page(ctx, html`${ctx.t('settings.telegramHelp')} <code>link ${code}</code>`));
  });
  router.post('/console/settings/api-keys', requireAdmin, async (req, res) => {
    const ctx = signedIn(res);
    const parsed = z.object({ name: z.string().trim().min(1).max(60) }).safeParse(req.body);
    if (!parsed.success) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: ctx.t('settings.keyName') }));
    const { key, hash } = newApiKey();
    const id = randomUUID();
    await store.console.createApiKey({ id, orgId: ctx.org.id, name: parsed.data.name, hash, createdAt: deps.clock.now().toISOString(), revokedAt: null });
    await accounts.record(ctx.org.id, ctx.user.id, 'api-key.created', id, parsed.data.name);
    sendPage(res, await page(ctx, html`${ctx.t('settings.keyShown')} <code id="new-key">${key}</code>`));
  });
  router.post('/console/settings/api-keys/:id/revoke', requireAdmin, async (req, res) => {
    const ctx = signedIn(res);
    if (!(await store.console.revokeApiKey(ctx.org.id, String(req.params['id']), deps.clock.now()))) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    await accounts.record(ctx.org.id, ctx.user.id, 'api-key.revoked', String(req.params['id']));
    res.redirect(303, '/console/settings');
  });
  router.post('/console/settings/users', requireAdmin, async (req, res) => {
    const ctx = signedIn(res);
    const parsed = inviteForm.safeParse(req.body);
    if (!parsed.success) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: parsed.error.issues.map((i) => i.path.join('.')).join(', ') }));
    const personId = parsed.data.personId || null;
    // Only someone of this organisation, already approved: sign-in codes go to that person's chat.
    const person = personId ? await store.people.get(personId) : null;
    if (personId && (person?.orgId !== ctx.org.id || person.roleStatus !== 'active')) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: 'personId' }));
    try {
      await accounts.invite({ orgId: ctx.org.id, email: parsed.data.email, role: parsed.data.role, lang: ctx.lang, personId, by: ctx.user.id });
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      return void res.status(409).type('text/plain').send(ctx.t('errors.invalid', { fields: 'email' }));
    }
    res.redirect(303, '/console/settings');
  });
  router.post('/console/settings/users/:id/revoke', requireAdmin, async (req, res) => {
    const ctx = signedIn(res);
    if (!(await store.console.getUser(ctx.org.id, String(req.params['id'])))) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    await accounts.revoke(ctx.org.id, String(req.params['id']), ctx.user.id);
    res.redirect(303, String(req.params['id']) === ctx.user.id ? '/console/sign-in' : '/console/settings');
  });
  router.post('/console/settings/users/:id/delete', requireAdmin, async (req, res) => {
    const ctx = signedIn(res);
    if (String(req.params['id']) === ctx.user.id || !(await store.console.deleteUser(ctx.org.id, String(req.params['id'])))) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    await accounts.record(ctx.org.id, ctx.user.id, 'user.removed', String(req.params['id']));
    res.redirect(303, '/console/settings');
  });
  router.get('/console/audit', requireAdmin, async (_req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const [entries, users] = await Promise.all([store.console.listAudit(ctx.org.id, 500), store.console.listUsers(ctx.org.id)]);
    const who = new Map(users.map((u) => [u.id, u.email]));
    const body = html`<table id="audit"><thead><tr><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.who')}</th><th scope="col">${t('audit.action')}</th><th scope="col">${t('audit.target')}</th><th scope="col">${t('audit.detail')}</th></tr></thead>
<tbody>${entries.map((e) => html`<tr><td>${e.at.slice(0, 19).replace('T', ' ')}</td><td>${e.userId ? (who.get(e.userId) ?? e.userId) : 'cli'}</td><td>${e.action}</td><td>${e.target ?? ''}</td><td>${e.detail ?? ''}</td></tr>`)}</tbody></table>`;
    sendPage(res, layout(ctx, t('audit.title'), body, 'audit'));
  });
  return router;
}
