import { Router, type Request } from 'express';
import { z } from 'zod';
import { CHANNELS, type ChannelName } from '../../core/messages.ts';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { Contact } from '../../core/ports/contacts.port.ts';
import type { Person } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { spreadsheetSafe, TAG_PATTERN } from '../../core/text/people-text.ts';
import { LANGUAGE_CODES } from '../../core/i18n/languages.ts';
import { importContactsCsv } from '../csv/contacts-csv.ts';
import { CsvImportError, type ContactsImportResult } from '../csv/csv-import.error.ts';
import type { ConsoleAccounts } from './console-accounts.ts';
import { sendPage, signedIn, type SignedIn } from './console-http.ts';
import { csrfField, layout } from './console-layout.ts';
import { html, type SafeHtml } from './html.ts';
import { checkRouteIds } from '../http/route-ids.ts';

const PAGE = 50;
const filters = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  tag: z.string().trim().max(40).optional().catch(undefined),
  lang: z.enum(LANGUAGE_CODES as [string, ...string[]]).optional().catch(undefined),
  channel: z.enum(CHANNELS).optional().catch(undefined),
  page: z.coerce.number().int().min(0).max(100_000).default(0).catch(0),
});
const tagsForm = z.object({
  tags: z
    .string()
    .max(1000)
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(40).regex(TAG_PATTERN)).max(20)),
});
const eraseForm = z.object({ confirm: z.literal('ERASE') });

function options(values: readonly string[], selected: string | undefined, any: string): SafeHtml {
  return html`<option value="">${any}</option>${values.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${v}</option>`)}`;
}

/** The import report: counts, then each rejected row by line (the reason names the column, never the value). */
export function importReport(ctx: SignedIn, result: ContactsImportResult, stopped?: { line: number; reason: string }): SafeHtml {
  const { t } = ctx;
  return html`<section id="import-report" aria-live="polite">
<p class="notice" role="status">${t('contacts.imported', { created: result.created, updated: result.updated, rejected: result.rejected.length })}</p>
${stopped ? html`<p class="error" role="alert">${t('contacts.stopped', stopped)}</p>` : ''}
${result.rejected.length > 0
  ? html`<table id="rejected"><caption>${t('contacts.rejected')}</caption><thead><tr><th scope="col">${t('contacts.line')}</th><th scope="col">${t('contacts.reason')}</th></tr></thead>
<tbody>${result.rejected.map((r) => html`<tr><td>${r.line}</td><td>${r.reason}</td></tr>`)}</tbody></table>`
  : ''}
</section>`;
}

function statusOf(ctx: SignedIn, c: Contact): string {
  return c.unreachable ? `${ctx.t('contacts.unreachable')} (${c.unreachable})` : c.subscribed ? ctx.t('contacts.subscribed') : ctx.t('contacts.unsubscribed');
}

/** Contacts: search and filters, CSV import with its per-line report, a person's record, tags, export and erasure. */
export function contactsRouter(deps: { store: Store; accounts: ConsoleAccounts; ids: IdGenerator; clock: Clock; beforeErase: (person: Person) => Promise<void> }): Router {
  const { store } = deps;
  const router = checkRouteIds(Router(), ['id']);
  // Why in memory: it guards this process's event loop; rows are idempotent per phone.
  const importing = new Set<string>();

  const listPage = async (ctx: SignedIn, req: Request, report?: SafeHtml): Promise<SafeHtml> => {
    const { t } = ctx;
    const f = filters.parse(req.query);
    const { contacts, total } = await store.contacts.search(ctx.org.id, {
      ...(f.q ? { q: f.q } : {}),
      ...(f.tag ? { tag: f.tag } : {}),
      ...(f.lang ? { lang: f.lang } : {}),
      ...(f.channel ? { channel: f.channel as ChannelName } : {}),
      limit: PAGE,
      offset: f.page * PAGE,
    });
    const query = (page: number) => `?${new URLSearchParams({ ...(f.q ? { q: f.q } : {}), ...(f.tag ? { tag: f.tag } : {}), ...(f.lang ? { lang: f.lang } : {}), ...(f.channel ? { channel: f.channel } : {}), page: String(page) })}`;
    return layout(
      ctx,
      t('contacts.title'),
      html`<section aria-labelledby="imp"><h2 id="imp">${t('contacts.import')}</h2>
<p class="muted">${t('contacts.importHelp')}</p>
<form method="post" action="/console/contacts/import" class="stack" id="import-form" data-upload="/console/contacts/import">${csrfField(ctx)}
<label for="csv-file">${t('contacts.file')}</label><input id="csv-file" type="file" accept=".csv,text/csv">
<label for="csv">${t('contacts.paste')}</label><textarea id="csv" name="csv" rows="3"></textarea>
<progress id="import-progress" max="100" value="0" hidden aria-label="${t('contacts.progress')}"></progress>
<button type="submit">${t('contacts.upload')}</button>
</form>
<div id="import-result">${report ?? ''}</div></section>
<section aria-labelledby="list"><h2 id="list">${t('contacts.found', { count: total })}</h2>
<form method="get" action="/console/contacts" class="filters">
<label>${t('contacts.search')} <input name="q" type="search" value="${f.q ?? ''}"></label>
<label>${t('contacts.tag')} <input name="tag" value="${f.tag ?? ''}"></label>
<label>${t('contacts.language')} <select name="lang">${options(LANGUAGE_CODES, f.lang, t('contacts.any'))}</select></label>
<label>${t('contacts.channel')} <select name="channel">${options(CHANNELS, f.channel, t('contacts.any'))}</select></label>
<button type="submit">${t('contacts.filter')}</button>
</form>
<form method="post" action="/console/contacts/export">${csrfField(ctx)}<button type="submit" class="secondary">${t('contacts.export')}</button></form>
<table id="contacts"><thead><tr><th scope="col">${t('contacts.name')}</th><th scope="col">${t('contacts.language')}</th><th scope="col">${t('contacts.channel')}</th><th scope="col">${t('contacts.tags')}</th><th scope="col">${t('contacts.status')}</th></tr></thead>
<tbody>${contacts.map((c) => html`<tr><td><a href="/console/contacts/${c.id}" dir="auto">${c.firstName}</a></td><td>${c.lang}</td><td>${c.channel}</td><td>${c.tags.join(', ')}</td><td>${statusOf(ctx, c)}</td></tr>`)}</tbody></table>
<nav class="pager">${f.page > 0 ? html`<a href="${query(f.page - 1)}">${t('contacts.previous')}</a>` : ''} ${(f.page + 1) * PAGE < total ? html`<a href="${query(f.page + 1)}">${t('contacts.next')}</a>` : ''}</nav>
</section>`,
      'contacts',
    );
  };

  router.get('/console/contacts', async (req, res) => {
    sendPage(res, await listPage(signedIn(res), req));
  });

  router.post('/console/contacts/import', async (req, res) => {
    const ctx = signedIn(res);
    const orgId = ctx.org.id;
    // The page's script uploads the file as text/csv (with a progress bar); without script, the pasted text comes as a form.
    const fromForm = typeof (req.body as { csv?: unknown } | undefined)?.csv === 'string' ? (req.body as { csv: string }).csv : null;
    if (importing.has(orgId)) return void res.status(409).type('text/plain').send(ctx.t('contacts.busy'));
    importing.add(orgId);
    let report: SafeHtml;
    try {
      const result = await importContactsCsv(fromForm ?? req, { orgId, store, ids: deps.ids, clock: deps.clock });
      await deps.accounts.record(orgId, ctx.user.id, 'contacts.imported', null, `${result.created} added, ${result.updated} updated, ${result.rejected.length} rejected`);
      report = importReport(ctx, result);
    } catch (error) {
      if (!(error instanceof CsvImportError)) throw error;
      report = importReport(ctx, error.imported, { line: error.line, reason: error.reason });
    } finally {
      importing.delete(orgId);
    }
    if (req.get('x-fragment') === '1') return void res.type('html').send(report.value);
    sendPage(res, await listPage(ctx, req, report));
  });

  router.post('/console/contacts/export', async (_req, res) => {
    const ctx = signedIn(res);
    const lines = ['first_name,phone,language,channel,tags'];
    const cell = (v: string) => `"${spreadsheetSafe(v).replaceAll('"', '""')}"`;
    for (let offset = 0; ; offset += 500) {
      const { contacts } = await store.contacts.search(ctx.org.id, { limit: 500, offset });
      // Phones are E.164 (a leading +, never a formula); every other cell is made spreadsheet-safe.
      for (const c of contacts) lines.push([cell(c.firstName), `"${c.phone ?? ''}"`, cell(c.lang), cell(c.channel), cell(c.tags.join('|'))].join(','));
      if (contacts.length < 500) break;
    }
    await deps.accounts.record(ctx.org.id, ctx.user.id, 'contacts.exported', null, `${lines.length - 1} contacts`);
    res.type('text/csv').set('content-disposition', 'attachment; filename="contacts.csv"').send(`${lines.join('\r\n')}\r\n`);
  });

  const contactPage = async (ctx: SignedIn, c: Contact, notice?: string): Promise<SafeHtml> => {
    const { t } = ctx;
    const person = c.personId ? await store.people.get(c.personId) : null;
    const consent = person
      ? t('contact.consentGiven', { version: person.consent.noticeVersion, at: person.consent.givenAt.slice(0, 10) })
      : t('contact.consentImported', { at: c.createdAt.slice(0, 10) });
    return layout(
      ctx,
      c.firstName,
      html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<dl class="facts"><dt>${t('contact.channel')}</dt><dd>${c.channel}</dd><dt>${t('contacts.language')}</dt><dd>${person?.lang ?? c.lang}</dd>
<dt>${t('contacts.source')}</dt><dd>${c.source}</dd><dt>${t('contacts.status')}</dt><dd>${statusOf(ctx, c)}</dd>
<dt>${t('contact.consent')}</dt><dd>${consent}</dd></dl>
<form method="post" action="/console/contacts/${c.id}/tags" class="stack">${csrfField(ctx)}
<label for="tags">${t('contact.editTags')}</label><input id="tags" name="tags" value="${c.tags.join(', ')}">
<button type="submit">${t('contact.save')}</button></form>
<p><a href="/console/inbox?contact=${c.id}">${t('inbox.title')}</a></p>
<section class="danger" aria-labelledby="erase"><h2 id="erase">${t('contact.erase')}</h2><p>${t('contact.eraseHelp')}</p>
<form method="post" action="/console/contacts/${c.id}/erase" class="stack">${csrfField(ctx)}
<label for="confirm">${t('contact.eraseConfirm')}</label><input id="confirm" name="confirm" required pattern="ERASE" autocomplete="off">
<button type="submit" class="danger">${t('contact.erase')}</button></form></section>`,
      'contacts',
    );
  };

  router.get('/console/contacts/:id', async (req, res) => {
    const ctx = signedIn(res);
    const contact = await store.contacts.get(ctx.org.id, req.params.id);
    if (!contact) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    sendPage(res, await contactPage(ctx, contact));
  });

  router.post('/console/contacts/:id/tags', async (req, res) => {
    const ctx = signedIn(res);
    const parsed = tagsForm.safeParse(req.body);
    if (!parsed.success) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: ctx.t('contacts.tags') }));
    const contact = await store.contacts.setTags(ctx.org.id, req.params.id, parsed.data.tags, deps.clock.now());
    if (!contact) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    await deps.accounts.record(ctx.org.id, ctx.user.id, 'contact.tagged', contact.id, parsed.data.tags.join('|'));
    sendPage(res, await contactPage(ctx, contact, ctx.t('contact.saved')));
  });

  router.post('/console/contacts/:id/erase', async (req, res) => {
    const ctx = signedIn(res);
    if (!eraseForm.safeParse(req.body).success) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: ctx.t('contact.eraseConfirm') }));
    const contact = await store.contacts.get(ctx.org.id, req.params.id);
    if (!contact) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    // A person who signed up in chat is erased whole (as "forget me" does); an imported row alone otherwise.
    const person = contact.personId ? await store.people.get(contact.personId) : null;
    if (person) {
      await deps.beforeErase(person);
      await store.people.erase(person.id);
    } else await store.contacts.remove(ctx.org.id, contact.id);
    await store.scrubErased();
    await deps.accounts.record(ctx.org.id, ctx.user.id, 'contact.erased', contact.id);
    sendPage(res, layout(ctx, ctx.t('contact.erase'), html`<p class="notice" role="status">${ctx.t('contact.erased')}</p><p><a href="/console/contacts">${ctx.t('contacts.title')}</a></p>`, 'contacts'));
  });
  return router;
}
