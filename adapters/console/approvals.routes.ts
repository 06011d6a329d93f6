import { Router } from 'express';
import type { ConsoleDeps } from './console.router.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { ConsoleAccounts } from './console-accounts.ts';
import { sendPage, signedIn } from './console-http.ts';
import { csrfField, layout } from './console-layout.ts';
import { html } from './html.ts';
import { checkRouteIds } from '../http/route-ids.ts';

/** Approvals: staff and recruiters who asked, in chat, to act for this organisation (the CLI's people:approve). */
export function approvalsRouter(deps: { store: Store; accounts: ConsoleAccounts; clock: Clock; approve: ConsoleDeps['approve'] }): Router {
  const { store } = deps;
  const router = checkRouteIds(Router(), ['personId']);
  const pendingOf = (orgId: string) => store.people.listPending(orgId);

  router.get('/console/approvals', async (_req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const pending = await pendingOf(ctx.org.id);
    const body =
      pending.length === 0
        ? html`<p>${t('approvals.none')}</p>`
        : html`<table id="pending"><thead><tr><th scope="col">${t('contacts.name')}</th><th scope="col">${t('approvals.role')}</th><th scope="col">${t('approvals.since')}</th><th scope="col"></th></tr></thead>
<tbody>${pending.map(
            (p) => html`<tr><td dir="auto">${p.firstName}</td><td>${p.role}</td><td>${p.createdAt.slice(0, 10)}</td>
<td><form method="post" action="/console/approvals/${p.id}/approve">${csrfField(ctx)}<button type="submit">${t('approvals.approve')}</button></form></td></tr>`,
          )}</tbody></table>`;
    sendPage(res, layout(ctx, t('approvals.title'), body, 'approvals'));
  });

  router.post('/console/approvals/:personId/approve', async (req, res) => {
    const ctx = signedIn(res);
    const person = (await pendingOf(ctx.org.id)).find((p) => p.id === req.params.personId);
    // Someone who asked another organisation (or nobody) is "not found" here.
    if (!person) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    if (!(await deps.approve(person, ctx.org)).ok) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    await deps.accounts.record(ctx.org.id, ctx.user.id, 'person.approved', person.id, person.role);
    res.redirect(303, '/console/approvals');
  });
  return router;
}
