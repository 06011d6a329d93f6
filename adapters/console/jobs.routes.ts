import { Router } from 'express';
import { z } from 'zod';
import { applicationView } from '../../bots/jobs/application-view.ts';
import type { JobBoard } from '../../bots/jobs/job-board.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { ConsoleAccounts } from './console-accounts.ts';
import { sendPage, signedIn } from './console-http.ts';
import { csrfField, layout } from './console-layout.ts';
import { html } from './html.ts';
import { checkRouteIds } from '../http/route-ids.ts';

const STATUSES = ['open', 'paused', 'closed'] as const;
const statusForm = z.object({ status: z.enum(STATUSES) });

/**
 * Jobs and applications: the organisation's jobs with their applications (the short CV in the
 * organisation's language, the applicant's words next to their translation, never an address),
 * and opening, pausing or closing a job (the admin API's PATCH).
 */
export function jobsConsoleRouter(deps: { store: Store; jobs: JobBoard; accounts: ConsoleAccounts; clock: Clock }): Router {
  const { store } = deps;
  const router = checkRouteIds(Router(), ['id']);

  router.get('/console/jobs', async (_req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const jobs = await store.jobs.listJobs(ctx.org.id);
    const counts = await Promise.all(jobs.map(async (j) => (await store.jobs.applicationsOfJob(j.id)).length));
    const body =
      jobs.length === 0
        ? html`<p>${t('jobs.none')}</p>`
        : html`<table id="jobs"><thead><tr><th scope="col">${t('jobs.job')}</th><th scope="col">${t('broadcast.status')}</th><th scope="col">${t('jobs.closes')}</th><th scope="col">${t('jobs.applications')}</th></tr></thead>
<tbody>${jobs.map((j, i) => html`<tr><td><a href="/console/jobs/${j.id}" dir="auto">${j.title}</a></td><td>${t(`jobs.${j.status}`)}</td><td>${j.closesAt.slice(0, 10)}</td><td>${counts[i]}</td></tr>`)}</tbody></table>`;
    sendPage(res, layout(ctx, t('jobs.title'), body, 'jobs'));
  });

  router.get('/console/jobs/:id', async (req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const job = await store.jobs.getJobOf(ctx.org.id, req.params.id);
    if (!job) return void res.status(404).type('text/plain').send(t('errors.notFound'));
    const applications = await store.jobs.applicationsOfJob(job.id);
    const words = deps.jobs.words(ctx.org.lang);
    const views = await Promise.all(applications.map((a) => applicationView(store, words, a)));
    const body = html`<p>${t('broadcast.status')}: <strong>${t(`jobs.${job.status}`)}</strong> · ${t('jobs.closes')} ${job.closesAt.slice(0, 10)}</p>
<blockquote class="message" lang="${job.sourceLang}" dir="auto">${job.description}</blockquote>
<div class="row">${STATUSES.filter((s) => s !== job.status).map(
      (s) => html`<form method="post" action="/console/jobs/${job.id}/status">${csrfField(ctx)}<input type="hidden" name="status" value="${s}"><button type="submit" class="${s === 'closed' ? 'danger' : 'secondary'}">${t(`jobs.set-${s}`)}</button></form>`,
    )}</div>
<section aria-labelledby="apps"><h2 id="apps">${t('jobs.applications')}: ${applications.length}</h2>
${applications.map((a, i) => {
  // A withdrawn or forgotten applicant shows no name and no words, as in the admin API.
  const shown = a.personId !== null && a.status !== 'withdrawn';
  return html`<article class="thread"><h3><bdi>${shown ? a.firstName : '—'}</bdi> · ${a.status} · ${a.createdAt.slice(0, 10)}</h3>
<p class="message" dir="auto">${views[i]!.text}</p>
${shown && a.message ? html`<div class="side"><div><h3>${t('inbox.original')}</h3><p class="message"${a.messageLang ? html` lang="${a.messageLang}"` : ''} dir="auto">${a.message}</p></div><div><h3>${t('inbox.translation')}</h3><p class="message" dir="auto">${a.messageTranslated ?? '—'}</p></div></div>` : ''}
</article>`;
})}</section>`;
    sendPage(res, layout(ctx, job.title, body, 'jobs'));
  });

  router.post('/console/jobs/:id/status', async (req, res) => {
    const ctx = signedIn(res);
    const parsed = statusForm.safeParse(req.body);
    if (!parsed.success) return void res.status(400).type('text/plain').send(ctx.t('errors.invalid', { fields: 'status' }));
    const job = await store.jobs.getJobOf(ctx.org.id, req.params.id);
    if (!job) return void res.status(404).type('text/plain').send(ctx.t('errors.notFound'));
    await store.jobs.updateJob(job.id, { status: parsed.data.status }, deps.clock.now());
    await deps.accounts.record(ctx.org.id, ctx.user.id, 'job.status', job.id, parsed.data.status);
    res.redirect(303, `/console/jobs/${job.id}`);
  });
  return router;
}
