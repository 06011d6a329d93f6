import { Router } from 'express';
import type { Broadcast } from '../../core/ports/broadcasts.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { sendPage, signedIn, type SignedIn } from './console-http.ts';
import { layout } from './console-layout.ts';
import { broadcastFunnels, inboxByPerson, reach } from './console-queries.ts';
import { funnelTable, percent, type Funnel } from './funnel.ts';
import { html, type SafeHtml } from './html.ts';
import { checkRouteIds } from '../http/route-ids.ts';

/** How often a broadcast's event stream looks at the store (the outbox may be sent by another process). */
const STREAM_POLL_MS = 300;
const DONE_POLL_MS = 5_000;

function progressBar(ctx: SignedIn, f: Funnel, status: string): SafeHtml {
  const p = percent(f, status);
  return html`<div class="progress"><progress id="progress" max="100" value="${p}" aria-labelledby="progress-label"></progress>
<p id="progress-label" aria-live="polite">${ctx.t('broadcast.percent', { percent: p })}</p></div>`;
}

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Overview, and a broadcast's page with its live progress (server-sent events). */
export function broadcastsRouter(deps: { store: Store }): Router {
  const { store } = deps;
  const router = checkRouteIds(Router(), ['id']);

  router.get('/console', async (_req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const orgId = ctx.org.id;
    const [people, recent, pending, inbox] = await Promise.all([
      reach(store, orgId),
      store.broadcasts.list(orgId, 5),
      store.people.listPending().then((list) => list.filter((p) => p.orgId === orgId)),
      inboxByPerson(store, orgId),
    ]);
    const seen = ctx.user.inboxSeenAt ?? '';
    const unread = inbox.flatMap((g) => g.entries).filter((e) => e.direction === 'in' && e.at > seen).length;
    const rows = await Promise.all(recent.map(async (b) => [b, (await broadcastFunnels(store, orgId, b.id)).all] as const));
    const body = html`<section aria-labelledby="reach"><h2 id="reach">${t('overview.reach')}: ${people.total}</h2>
<div class="cols">
<table><caption>${t('overview.byChannel')}</caption><tbody>${people.byChannel.map(([c, n]) => html`<tr><th scope="row">${c}</th><td>${n}</td></tr>`)}</tbody></table>
<table><caption>${t('overview.byLanguage')}</caption><tbody>${people.byLang.map(([l, n]) => html`<tr><th scope="row">${l}</th><td>${n}</td></tr>`)}</tbody></table>
</div></section>
<section aria-labelledby="recent"><h2 id="recent">${t('overview.recent')}</h2>
${rows.length === 0 ? html`<p>${t('overview.none')}</p>` : funnelTable(ctx, t('overview.recent'), rows.map(([b, f]) => [`${excerpt(b.text)} (${t(`status.${b.status}`)})`, f]))}
<ul class="links">${rows.map(([b]) => html`<li><a href="/console/broadcasts/${b.id}">${excerpt(b.text)}</a> <span class="muted">${b.createdAt.slice(0, 16).replace('T', ' ')}</span></li>`)}</ul>
<p><a href="/console/broadcasts">${t('broadcast.list')}</a></p>
</section>
<div class="cols">
<section aria-labelledby="unread"><h2 id="unread">${t('overview.unread')}</h2><p><a href="/console/inbox">${t('overview.unreadCount', { count: unread })}</a></p></section>
<section aria-labelledby="pending"><h2 id="pending">${t('overview.pending')}</h2><p><a href="/console/approvals">${t('overview.pendingCount', { count: pending.length })}</a></p></section>
</div>`;
    sendPage(res, layout(ctx, t('overview.title'), body, 'overview'));
  });

  const find = async (orgId: string, id: string): Promise<Broadcast | null> => store.broadcasts.get(orgId, id);

  router.get('/console/broadcasts', async (_req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const list = await store.broadcasts.list(ctx.org.id, 100);
    const rows = await Promise.all(list.map(async (b) => [b, (await broadcastFunnels(store, ctx.org.id, b.id)).all] as const));
    const body = html`<table id="broadcasts"><thead><tr><th scope="col">${t('broadcast.created')}</th><th scope="col">${t('compose.text')}</th><th scope="col">${t('broadcast.status')}</th><th scope="col">${t('funnel.total')}</th><th scope="col">${t('funnel.sent')}</th><th scope="col">${t('funnel.held')}</th><th scope="col">${t('funnel.failed')}</th><th scope="col">${t('funnel.replied')}</th></tr></thead>
<tbody>${rows.map(
      ([b, f]) => html`<tr><td>${b.createdAt.slice(0, 16).replace('T', ' ')}</td><td><a href="/console/broadcasts/${b.id}" dir="auto">${excerpt(b.text)}</a></td><td>${t(`status.${b.status}`)}</td><td>${f.total}</td><td>${f.sent}</td><td>${f.held}</td><td>${f.failed}</td><td>${f.replied}</td></tr>`,
    )}</tbody></table>`;
    sendPage(res, layout(ctx, t('broadcast.list'), body, 'overview'));
  });

  router.get('/console/broadcasts/:id', async (req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const broadcast = await find(ctx.org.id, req.params.id);
    if (!broadcast) return void res.status(404).type('text/plain').send(t('errors.notFound'));
    const [f, translations, held] = await Promise.all([
      broadcastFunnels(store, ctx.org.id, broadcast.id),
      store.broadcasts.translations(broadcast.id),
      store.outbox.held(ctx.org.id, 500).then((rows) => rows.filter((r) => r.broadcastId === broadcast.id)),
    ]);
    const body = html`<p>${t('broadcast.status')}: <strong id="status">${t(`status.${broadcast.status}`)}</strong> · ${t('compose.scheduleAt', { at: broadcast.scheduledAt.slice(0, 16).replace('T', ' ') })}</p>
<blockquote class="message" dir="auto">${broadcast.text}</blockquote>
<section aria-labelledby="p"><h2 id="p">${t('broadcast.progress')}</h2>
<div id="live" data-events="/console/broadcasts/${broadcast.id}/events">
${progressBar(ctx, f.all, broadcast.status)}
${funnelTable(ctx, t('broadcast.byLanguage'), f.byLang, 'by-lang')}
${funnelTable(ctx, t('broadcast.byChannel'), f.byChannel, 'by-channel')}
</div></section>
<section aria-labelledby="h"><h2 id="h">${t('broadcast.held')}</h2>
${held.length === 0 ? html`<p>${t('broadcast.heldNone')}</p>` : html`<table><thead><tr><th scope="col">${t('contacts.channel')}</th><th scope="col">${t('broadcast.why')}</th><th scope="col">${t('broadcast.expires')}</th></tr></thead>
<tbody>${held.map((h) => html`<tr><td>${h.channel}</td><td>${h.reason}</td><td>${h.expiresAt.slice(0, 16).replace('T', ' ')}</td></tr>`)}</tbody></table>`}
</section>
<section aria-labelledby="tx"><h2 id="tx">${t('broadcast.translations')}</h2>
<dl class="texts">${[...translations].map(([lang, tr]) => html`<dt>${lang}${tr.kind === 'translated' ? ` (${tr.by})` : ` (${tr.reason})`}</dt><dd lang="${lang}" dir="auto">${tr.text}</dd>`)}</dl></section>`;
    sendPage(res, layout(ctx, t('broadcast.title'), body));
  });

  router.get('/console/broadcasts/:id/events', async (req, res) => {
    const ctx = signedIn(res);
    const broadcast = await find(ctx.org.id, req.params.id);
    if (!broadcast) return void res.status(404).json({ error: 'not found' });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    let last = '';
    let stopped = false;
    let delay = STREAM_POLL_MS;
    const push = async (): Promise<void> => {
      if (stopped) return;
      try {
        // A revoked session ends its open streams too, not only its next request.
        if (!(await store.console.getSession(ctx.session.idHash, new Date()))) {
          stopped = true;
          return void res.end();
        }
        const [f, current] = await Promise.all([broadcastFunnels(store, ctx.org.id, broadcast.id), find(ctx.org.id, broadcast.id)]);
        const p = percent(f.all, current?.status ?? 'done');
        // A finished broadcast changes only as receipts and replies come: look less often.
        delay = current?.status === 'done' ? DONE_POLL_MS : STREAM_POLL_MS;
        const data = JSON.stringify({
          percent: p,
          label: ctx.t('broadcast.percent', { percent: p }),
          status: current ? ctx.t(`status.${current.status}`) : '',
          byLang: f.byLang,
          byChannel: f.byChannel,
        });
        if (data !== last) {
          last = data;
          res.write(`event: progress\ndata: ${data}\n\n`);
        }
      } catch {
        // A busy store: the next poll tries again; the page keeps what it showed.
      }
      if (!stopped) timer = setTimeout(() => void push(), delay);
    };
    let timer: NodeJS.Timeout = setTimeout(() => void push(), 0);
    req.on('close', () => {
      stopped = true;
      clearTimeout(timer);
    });
  });
  return router;
}
