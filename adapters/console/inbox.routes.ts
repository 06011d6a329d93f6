import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { ReplyDesk } from '../../bots/broadcast/replies.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { cleanFreeText } from '../../core/text/people-text.ts';
import { sha256, type ConsoleAccounts } from './console-accounts.ts';
import { sendPage, signedIn } from './console-http.ts';
import { csrfField, layout } from './console-layout.ts';
import { inboxByPerson } from './console-queries.ts';
import { html } from './html.ts';
import { checkRouteIds } from '../http/route-ids.ts';

/** What one inbox page shows, so that it stays light however many people write: the latest people, their latest messages. */
const PEOPLE_PER_PAGE = 20;
const MESSAGES_PER_PERSON = 3;
/** One person's whole thread, up to its latest this many messages. */
const THREAD_LIMIT = 50;
const oneContact = z.object({ contact: z.string().min(1).max(100).optional().catch(undefined) });

const text = z.string().transform(cleanFreeText).pipe(z.string().trim().min(1).max(4000));
const answerForm = z.object({ answerId: z.uuid().optional(), text, translated: z.string().transform(cleanFreeText).pipe(z.string().trim().max(4000)).optional() });

/**
 * The inbox: people's replies and our answers, grouped by person, each message as written next to
 * its translation; answering one person shows what they will read (editable) before it is sent.
 */
export function inboxRouter(deps: { store: Store; replies: ReplyDesk; accounts: ConsoleAccounts }): Router {
  const { store } = deps;
  const router = checkRouteIds(Router(), ['contactId']);

  router.get('/console/inbox', async (req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const { contact: only } = oneContact.parse(req.query);
    // Another organisation's contact is "not found", as in the admin API.
    if (only && !(await store.contacts.get(ctx.org.id, only))) return void res.status(404).type('text/plain').send(t('errors.notFound'));
    const all = await inboxByPerson(store, ctx.org.id, only);
    const groups = only ? all.map((g) => ({ ...g, older: 0, entries: g.entries.slice(-THREAD_LIMIT) })) : all.slice(0, PEOPLE_PER_PAGE).map((g) => ({ ...g, older: Math.max(0, g.entries.length - MESSAGES_PER_PERSON), entries: g.entries.slice(-MESSAGES_PER_PERSON) }));
    // Opening the inbox reads it: the overview counts replies after this as unread.
    await store.console.updateUser(ctx.org.id, ctx.user.id, { inboxSeenAt: new Date().toISOString() });
    const body =
      groups.length === 0
        ? html`<p>${t('inbox.empty')}</p>`
        : html`${groups.map(
            ({ contact, entries, ...rest }) => html`<section class="thread" id="c-${contact.id}" aria-labelledby="h-${contact.id}">
<h2 id="h-${contact.id}"><a href="/console/contacts/${contact.id}" dir="auto">${contact.firstName}</a> <span class="muted">${contact.channel} · ${contact.lang}</span></h2>
${'older' in rest && rest.older ? html`<p><a href="/console/inbox?contact=${contact.id}">${t('inbox.older', { count: rest.older })}</a></p>` : ''}
<ol class="messages">${entries.map(
              (e) => html`<li class="${e.direction === 'in' ? 'them' : 'us'}"><p class="who">${e.direction === 'in' ? t('inbox.them') : t('inbox.us')} · <time datetime="${e.at}">${e.at.slice(0, 16).replace('T', ' ')}</time></p>
<div class="side"><div><h3>${t('inbox.original')}</h3><p class="message original"${e.lang ? html` lang="${e.lang}"` : ''} dir="auto">${e.text}</p></div>
<div><h3>${t('inbox.translation')}</h3><p class="message translation"${e.translatedLang ? html` lang="${e.translatedLang}"` : ''} dir="auto">${e.translatedText ?? '—'}</p></div></div></li>`,
            )}</ol>
<form method="post" action="/console/inbox/${contact.id}/preview" class="stack">${csrfField(ctx)}
<label for="a-${contact.id}">${t('inbox.yourAnswer')}</label><textarea id="a-${contact.id}" name="text" rows="2" required dir="auto"></textarea>
<button type="submit">${t('inbox.preview')}</button></form>
</section>`,
          )}`;
    sendPage(res, layout(ctx, t('inbox.title'), body, 'inbox'));
  });

  router.post('/console/inbox/:contactId/preview', async (req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const parsed = z.object({ text }).safeParse(req.body);
    if (!parsed.success) return void res.status(400).type('text/plain').send(t('errors.invalid', { fields: t('inbox.yourAnswer') }));
    const preview = await deps.replies.previewAnswer(ctx.org.id, req.params.contactId, parsed.data.text);
    if (!preview) return void res.status(404).type('text/plain').send(t('errors.notFound'));
    const body = html`<form method="post" action="/console/inbox/${req.params.contactId}/answer" class="stack">${csrfField(ctx)}
<input type="hidden" name="text" value="${parsed.data.text}"><input type="hidden" name="answerId" value="${randomUUID()}">
<div class="side"><div><h2>${t('inbox.yourAnswer')}</h2><p class="message" dir="auto">${parsed.data.text}</p></div>
<div>${preview.translated !== null
      ? html`<label for="translated"><strong>${t('inbox.willRead', { lang: preview.lang })}</strong></label><textarea id="translated" name="translated" rows="4" lang="${preview.lang}" dir="auto">${preview.translated}</textarea>`
      : html`<p>${t('inbox.noTranslation')}</p>`}</div></div>
<button type="submit">${t('inbox.send')}</button></form>`;
    sendPage(res, layout(ctx, t('inbox.previewTitle'), body, 'inbox'));
  });

  router.post('/console/inbox/:contactId/answer', async (req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const parsed = answerForm.safeParse(req.body);
    if (!parsed.success) return void res.status(400).type('text/plain').send(t('errors.invalid', { fields: t('inbox.yourAnswer') }));
    // The preview's id, scoped by organisation: the same answer sent twice (a double click) goes once.
    const key = parsed.data.answerId ? sha256(`${ctx.org.id}:${parsed.data.answerId}`).slice(0, 32) : undefined;
    const result = await deps.replies.answer(ctx.org.id, req.params.contactId, parsed.data.text, parsed.data.translated || undefined, key);
    if (!result) return void res.status(404).type('text/plain').send(t('errors.notFound'));
    if ('reason' in result) return sendPage(res, layout(ctx, t('inbox.title'), html`<p class="error" role="alert">${t('inbox.unreachable', { reason: result.reason })}</p>`, 'inbox'), 409);
    await deps.accounts.record(ctx.org.id, ctx.user.id, 'contact.answered', req.params.contactId);
    res.redirect(303, `/console/inbox#c-${req.params.contactId}`);
  });
  return router;
}
