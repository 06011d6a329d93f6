import { Router, type Response } from 'express';
import { z } from 'zod';
import type { RelayService } from '../../bots/common/relay/relay.service.ts';
import type { RelayReport } from '../../core/ports/relays.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { orgOf, requireOrg } from './org-auth.ts';
import { sendValidationError } from './validation-error.ts';

const listQuery = z.strictObject({
  status: z.enum(['open', 'dismissed', 'suspended']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const reportId = z.string().min(1).max(100);
const outcomeQuery = z.strictObject({ kind: z.string().min(1).max(40), id: z.string().min(1).max(100).optional() });

/**
 * What a moderator sees of a report: the relay's last messages in both languages and the
 * subject; people by opaque id and first name only (never an address or a number).
 */
async function reportView(store: Store, report: RelayReport) {
  const [reporter, reported] = await Promise.all([store.people.get(report.reporterId), store.people.get(report.reportedId)]);
  const names = new Map([
    [report.reporterId, reporter?.firstName ?? null],
    [report.reportedId, reported?.firstName ?? null],
  ]);
  return {
    id: report.id,
    status: report.status,
    subject: report.subject,
    createdAt: report.createdAt,
    reporter: { id: report.reporterId, firstName: reporter?.firstName ?? null },
    reported: { id: report.reportedId, firstName: reported?.firstName ?? null, suspended: await store.relays.isSuspended(report.reportedId) },
    evidence: report.evidence.map((m) => ({
      from: m.fromPersonId === report.reporterId ? 'reporter' : 'reported',
      firstName: names.get(m.fromPersonId) ?? null,
      at: m.at,
      original: { lang: m.lang, text: m.text },
      shown: m.shownText === null ? null : { lang: m.shownLang, text: m.shownText },
    })),
  };
}

function notFound(res: Response): void {
  res.status(404).json({ error: 'not found' });
}

/**
 * The moderation queue of an organisation (reports filed by people who belong to it), and the
 * outcome counts of relays: authenticated by the organisation's API key; another
 * organisation's report is a 404.
 */
export function moderationRouter(deps: { store: Store; relays: RelayService }): Router {
  const { store, relays } = deps;
  const router = Router();
  router.use(['/api/moderation', '/api/relay-outcomes'], requireOrg(store));

  router.get('/api/moderation/reports', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const reports = await relays.reports(orgOf(res)!.id, parsed.data.status ?? null, parsed.data.limit);
    res.json({ reports: await Promise.all(reports.map((r) => reportView(store, r))) });
  });

  router.get('/api/moderation/reports/:id', async (req, res) => {
    const id = reportId.safeParse(req.params.id);
    const report = id.success ? await relays.report(orgOf(res)!.id, id.data) : null;
    if (!report) return notFound(res);
    res.json(await reportView(store, report));
  });

  router.post('/api/moderation/reports/:id/dismiss', async (req, res) => {
    const id = reportId.safeParse(req.params.id);
    const orgId = orgOf(res)!.id;
    if (!id.success || !(await relays.report(orgId, id.data))) return notFound(res);
    const done = await relays.dismiss(orgId, id.data);
    if (!done) return void res.status(409).json({ error: 'the report is no longer open' });
    res.json({ id: done.id, status: done.status });
  });

  router.post('/api/moderation/reports/:id/suspend', async (req, res) => {
    const id = reportId.safeParse(req.params.id);
    const orgId = orgOf(res)!.id;
    if (!id.success || !(await relays.report(orgId, id.data))) return notFound(res);
    const done = await relays.suspend(orgId, id.data);
    if (!done) return void res.status(409).json({ error: 'the report is no longer open' });
    res.json({ id: done.id, status: done.status, suspended: done.reportedId });
  });

  router.post('/api/moderation/reports/:id/hide-subject', async (req, res) => {
    const id = reportId.safeParse(req.params.id);
    const hidden = id.success ? await relays.hideSubject(orgOf(res)!.id, id.data) : null;
    if (hidden === null) return notFound(res);
    if (!hidden) return void res.status(409).json({ error: 'this subject cannot be hidden' });
    res.json({ hidden: true });
  });

  router.get('/api/relay-outcomes', async (req, res) => {
    const parsed = outcomeQuery.safeParse(req.query);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    res.json({ kind: parsed.data.kind, id: parsed.data.id ?? null, outcomes: await relays.outcomes(parsed.data.kind, parsed.data.id) });
  });

  return router;
}
