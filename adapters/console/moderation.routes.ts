import { Router } from 'express';
import type { RelayService } from '../../bots/common/relay/relay.service.ts';
import type { RelayReport } from '../../core/ports/relays.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { ConsoleAccounts } from './console-accounts.ts';
import { sendPage, signedIn, type SignedIn } from './console-http.ts';
import { csrfField, layout } from './console-layout.ts';
import { html, type SafeHtml } from './html.ts';
import { checkRouteIds } from '../http/route-ids.ts';

const ACTIONS = ['dismiss', 'suspend', 'hide-subject'] as const;

/** One report as a moderator reads it: who (first names only, never an address), the subject, the last messages as written and as read. */
async function reportCard(store: Store, ctx: SignedIn, report: RelayReport): Promise<SafeHtml> {
  const { t } = ctx;
  const [reporter, reported] = await Promise.all([store.people.get(report.reporterId), store.people.get(report.reportedId)]);
  const name = (id: string) => (id === report.reporterId ? reporter?.firstName : reported?.firstName) ?? '—';
  return html`<section class="thread" id="r-${report.id}" aria-labelledby="rh-${report.id}">
<h2 id="rh-${report.id}"><bdi>${name(report.reportedId)}</bdi> · ${report.subject.kind} <span class="muted">${t('moderation.reportedBy', { name: name(report.reporterId) })} · ${report.createdAt.slice(0, 16).replace('T', ' ')}</span></h2>
<ol class="messages">${report.evidence.map(
    (m) => html`<li class="${m.fromPersonId === report.reporterId ? 'us' : 'them'}"><p class="who"><bdi>${name(m.fromPersonId)}</bdi> · <time datetime="${m.at}">${m.at.slice(0, 16).replace('T', ' ')}</time></p>
<div class="side"><div><h3>${t('inbox.original')}</h3><p class="message" lang="${m.lang}" dir="auto">${m.text}</p></div>
<div><h3>${t('inbox.translation')}</h3><p class="message"${m.shownLang ? html` lang="${m.shownLang}"` : ''} dir="auto">${m.shownText ?? '—'}</p></div></div></li>`,
  )}</ol>
<div class="row">${ACTIONS.map(
    (a) => html`<form method="post" action="/console/moderation/${report.id}/${a}">${csrfField(ctx)}<button type="submit"${a === 'suspend' ? html` class="danger"` : a === 'dismiss' ? html` class="secondary"` : ''}>${t(`moderation.${a}`)}</button></form>`,
  )}</div></section>`;
}

/**
 * The moderation queue: reports people filed about a relayed conversation, with its last messages
 * in both languages; dismiss, suspend the reported person, or hide the subject (the admin API's actions).
 */
export function moderationConsoleRouter(deps: { store: Store; relays: RelayService; accounts: ConsoleAccounts }): Router {
  const { store, relays } = deps;
  const router = checkRouteIds(Router(), ['id']);

  router.get('/console/moderation', async (_req, res) => {
    const ctx = signedIn(res);
    const reports = await relays.reports(ctx.org.id, 'open', 50);
    const cards = await Promise.all(reports.map((r) => reportCard(store, ctx, r)));
    sendPage(res, layout(ctx, ctx.t('moderation.title'), cards.length ? html`${cards}` : html`<p>${ctx.t('moderation.none')}</p>`, 'moderation'));
  });

  for (const action of ACTIONS) {
    router.post(`/console/moderation/:id/${action}`, async (req, res) => {
      const ctx = signedIn(res);
      const id = String(req.params['id']);
      // Another organisation's report (or none) is "not found", as in the admin API.
      if (!(await relays.report(ctx.org.id, id))) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
      const done = action === 'dismiss' ? await relays.dismiss(ctx.org.id, id) : action === 'suspend' ? await relays.suspend(ctx.org.id, id) : await relays.hideSubject(ctx.org.id, id);
      if (!done) return void res.status(409).type('text/plain').send(ctx.t('moderation.notOpen'));
      await deps.accounts.record(ctx.org.id, ctx.user.id, `report.${action}`, id);
      res.redirect(303, '/console/moderation');
    });
  }
  return router;
}
