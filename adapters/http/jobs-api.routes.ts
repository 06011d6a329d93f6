import { Router, type Request } from 'express';
import { z } from 'zod';
import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { Application, Job } from '../../core/ports/jobs.port.ts';
import type { NewOutboxMessage } from '../../core/ports/outbox.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { applicationView } from '../../bots/jobs/application-view.ts';
import type { JobBoard } from '../../bots/jobs/job-board.ts';
import type { JobPlaces } from '../../bots/jobs/job-places.ts';
import { jobInput, postJob } from '../../bots/jobs/job-posting.ts';
import { approvePerson } from '../../bots/jobs/recruiter-approval.ts';
import { jsonBody } from './json-body.ts';
import { orgOf, requireOrg } from './org-auth.ts';
import { sendValidationError } from './validation-error.ts';
import { checkRouteIds } from './route-ids.ts';

const candidatesQuery = z.strictObject({
  occupation: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().max(100).optional(),
});

const jobPatch = z
  .strictObject({
    status: z.enum(['open', 'paused', 'closed']),
    title: z.string().trim().min(2).max(80),
    description: z.string().trim().min(2).max(2000),
    hoursPerWeek: z.number().int().min(1).max(60),
    closesAt: z.iso.date(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' });

/** A job as its employer reads it (translations stay internal). */
function jobView(job: Job) {
  const { translations: _t, ...rest } = job;
  return rest;
}

/** What an employer's API sees of an applicant: first name, status, the short CV, never an address. */
async function applicationRow(store: Store, board: JobBoard, lang: string, a: Application) {
  const view = await applicationView(store, board.words(lang), a);
  return {
    id: a.id,
    firstName: a.personId && a.status !== 'withdrawn' ? a.firstName : null,
    status: a.status,
    cv: view.text,
    message: a.personId && a.status !== 'withdrawn' ? { original: a.message, lang: a.messageLang, translated: a.messageTranslated } : null,
    createdAt: a.createdAt,
  };
}

/**
 * The jobs part of the admin API, authenticated by the employer's (or NGO's) key: approve its
 * pending recruiters, post and manage its jobs, read applications. Another organisation's
 * person or job is a 404.
 */
export function jobsApiRouter(deps: {
  store: Store;
  board: JobBoard;
  places: JobPlaces;
  text: TextRenderer;
  send: (messages: readonly NewOutboxMessage[]) => Promise<void>;
  clock: Clock;
  ids: IdGenerator;
}): Router {
  const { store, board } = deps;
  const router = checkRouteIds(Router(), ['id']);
  router.use(['/api/jobs', '/api/people', '/api/candidates'], requireOrg(store));
  const json = jsonBody('64kb');

  router.get('/api/people/pending', async (_req, res) => {
    const pending = await store.people.listPending(orgOf(res)!.id);
    res.json({ people: pending.map((p) => ({ id: p.id, role: p.role, firstName: p.firstName, createdAt: p.createdAt })) });
  });

  router.post('/api/people/:id/approve', async (req: Request<{ id: string }>, res) => {
    const org = orgOf(res)!;
    const person = await store.people.get(req.params.id);
    // Only people who asked to act for this organisation: anyone else is "no such person".
    if (!person || person.orgId !== org.id) return void res.status(404).json({ error: 'no such person' });
    const result = await approvePerson({ store, text: deps.text, send: deps.send, now: deps.clock.now() }, person, org);
    if (!result.ok) return void res.status(result.reason === 'gone' ? 404 : 409).json({ error: result.reason === 'gone' ? 'no such person' : 'not waiting for approval' });
    res.json({ id: result.person.id, role: result.person.role, roleStatus: result.person.roleStatus });
  });

  router.post('/api/jobs', ...json, async (req, res) => {
    const parsed = jobInput.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const org = orgOf(res)!;
    const recruiter = parsed.data.recruiterId ? await store.people.get(parsed.data.recruiterId) : null;
    // An Idempotency-Key makes a retried request find the job it created instead of posting a second.
    const key = req.get('idempotency-key');
    const id = key && /^[A-Za-z0-9_-]{8,64}$/.test(key) ? `job-${org.id}-${key}` : `job-${deps.ids.newId()}`;
    const posted = await postJob({ board, places: deps.places, store, now: deps.clock.now() }, org, recruiter, id, parsed.data);
    if (!posted.ok) {
      const field = posted.reason === 'not-approved' ? 'recruiterId' : 'closesAt';
      const message = posted.reason === 'not-approved' ? 'not an approved recruiter of this organisation' : 'must be a future date';
      return void res.status(posted.reason === 'not-approved' ? 403 : 400).json({ error: 'invalid request', issues: [{ field, message }] });
    }
    res.status(201).json(jobView(posted.job));
  });

  router.get('/api/jobs', async (_req, res) => {
    res.json({ jobs: (await store.jobs.listJobs(orgOf(res)!.id)).map(jobView) });
  });

  router.get('/api/jobs/:id', async (req: Request<{ id: string }>, res) => {
    const job = await store.jobs.getJobOf(orgOf(res)!.id, req.params.id);
    if (!job) return void res.status(404).json({ error: 'no such job' });
    res.json(jobView(job));
  });

  router.patch('/api/jobs/:id', ...json, async (req: Request<{ id: string }>, res) => {
    const parsed = jobPatch.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const job = await store.jobs.getJobOf(orgOf(res)!.id, req.params.id);
    if (!job) return void res.status(404).json({ error: 'no such job' });
    const { closesAt, title, description, ...rest } = parsed.data;
    // A changed text is translated again when a reader next needs it.
    const retranslate = title !== undefined || description !== undefined;
    const updated = await store.jobs.updateJob(
      job.id,
      { ...rest, ...(title ? { title } : {}), ...(description ? { description } : {}), ...(retranslate ? { translations: {} } : {}), ...(closesAt ? { closesAt: `${closesAt}T23:59:59.999Z` } : {}) },
      deps.clock.now(),
    );
    res.json(jobView(updated!));
  });

  router.get('/api/jobs/:id/applications', async (req: Request<{ id: string }>, res) => {
    const org = orgOf(res)!;
    const job = await store.jobs.getJobOf(org.id, req.params.id);
    if (!job) return void res.status(404).json({ error: 'no such job' });
    const applications = await store.jobs.applicationsOfJob(job.id);
    res.json({ applications: await Promise.all(applications.map((a) => applicationRow(store, board, org.lang, a))) });
  });

  // Candidates who chose to be found: the short CV in the organisation's language, first name only,
  // never an address or the right to work (shared only with an application, by the applicant).
  router.get('/api/candidates', async (req, res) => {
    const parsed = candidatesQuery.safeParse(req.query);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const org = orgOf(res)!;
    const { occupation, limit, after } = parsed.data;
    const profiles = await store.jobs.visibleProfiles({ limit, ...(occupation ? { occupationId: occupation } : {}), ...(after ? { after } : {}) });
    const words = board.words(org.lang);
    const candidates = [];
    for (const profile of profiles) {
      const person = await store.people.get(profile.personId);
      if (person) candidates.push({ id: profile.personId, firstName: person.firstName, cv: words.cv(person.firstName, profile, { rightToWork: false }) });
    }
    res.json({ candidates, next: profiles.length === limit ? (profiles.at(-1)?.personId ?? null) : null });
  });

  return router;
}
