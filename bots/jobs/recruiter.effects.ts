import { z } from 'zod';
import type { Json } from '../../core/dialog/json.ts';
import type { EffectHandler } from '../../core/pipeline/effects.ts';
import { DECLINE_REASONS, type Application } from '../../core/ports/jobs.port.ts';
import { JOBS_EVENTS } from './jobs.events.ts';
import type { JobsEffectsDeps } from './jobs.effects.ts';
import { currentPerson, ownJob } from './jobs-context.ts';
import { applicationView } from './application-view.ts';

const code = z.object({ code: z.string().trim().toLowerCase().max(32) });
const jobRef = z.object({ jobId: z.string().min(1).max(100) });
const edit = z.object({
  jobId: z.string().min(1).max(100),
  pick: z.enum(['pause', 'resume', 'close', 'change']),
  field: z.enum(['title', 'description', 'hours', 'closes']).optional(),
  value: z.union([z.string().max(2000), z.number()]).optional(),
});
const pick = z.object({ jobId: z.string().min(1).max(100), pick: z.string().min(1).max(200) });
const decision = z.object({
  jobId: z.string().min(1).max(100),
  pick: z.string().min(1).max(200),
  decision: z.enum(['shortlist', 'invite', 'decline']),
  inviteAt: z.string().max(80).optional(),
  inviteWhere: z.string().max(200).optional(),
  reason: z.enum(DECLINE_REASONS).optional(),
});

const STATUS_OF = { shortlist: 'shortlisted', invite: 'invited', decline: 'declined' } as const;

/** The recruiter's side: asking an employer for approval, their jobs, applications and decisions. */
export function recruiterEffects(deps: JobsEffectsDeps): [string, EffectHandler][] {
  const { board } = deps;
  /** An application of one of the recruiter's own jobs, or null. */
  const ownApplication = async (context: Parameters<EffectHandler>[1], jobId: string, applicationId: string) => {
    const own = await ownJob(context, jobId);
    const application = own ? await context.store.jobs.getApplication(applicationId) : null;
    return own && application && application.jobId === own.job.id ? { ...own, application } : null;
  };
  return [
    [
      JOBS_EVENTS.requestOrg,
      async (event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const org = await context.store.organisations.findByCode(code.parse(event.payload).code);
        if (!org || person.role !== 'recruiter' || person.roleStatus !== 'pending') return { ok: false };
        // Asked, not granted: an administrator of that employer (or the operator) approves.
        await context.store.people.update(person.id, { orgId: org.id }, context.clock.now());
        return { ok: true, orgName: org.name };
      },
    ],
    [
      JOBS_EVENTS.myJobs,
      async (_event, context): Promise<Json> => {
        const person = await currentPerson(context);
        if (!person.orgId) return { count: 0 };
        const words = board.words(person.lang);
        const jobs = (await context.store.jobs.listJobs(person.orgId)).filter((j) => j.status !== 'closed');
        return { count: jobs.length, items: jobs.map((j) => ({ id: j.id, label: `${j.title} (${words.t(`jobStatus.${j.status}`)})`.slice(0, 200) })) };
      },
    ],
    [
      JOBS_EVENTS.jobDetail,
      async (event, context): Promise<Json> => {
        const own = await ownJob(context, jobRef.parse(event.payload).jobId);
        if (!own) throw new Error('not this recruiter’s job');
        const words = board.words(own.person.lang);
        const applications = await context.store.jobs.applicationsOfJob(own.job.id);
        const items = applications.map((a) => ({ id: a.id, label: `${a.firstName || words.t('someone')}: ${words.status(a)}`.slice(0, 200) }));
        return {
          title: own.job.title,
          count: applications.length,
          items,
          open: own.job.status === 'open',
          paused: own.job.status === 'paused',
          notClosed: own.job.status !== 'closed',
        };
      },
    ],
    [
      JOBS_EVENTS.editJob,
      async (event, context): Promise<Json> => {
        const { jobId, pick: action, field, value } = edit.parse(event.payload);
        const own = await ownJob(context, jobId);
        if (!own) return { ok: false };
        const now = context.clock.now();
        if (action !== 'change') {
          await context.store.jobs.updateJob(own.job.id, { status: action === 'pause' ? 'paused' : action === 'resume' ? 'open' : 'closed' }, now);
          return { ok: true };
        }
        if (field === 'closes' && (typeof value !== 'string' || value <= now.toISOString().slice(0, 10))) return { ok: false };
        const patch =
          field === 'title' ? { title: String(value) }
          : field === 'description' ? { description: String(value) }
          : field === 'hours' ? { hoursPerWeek: Number(value) }
          : { closesAt: `${String(value)}T23:59:59.999Z` };
        // A changed text is translated again when a reader next needs it.
        await context.store.jobs.updateJob(own.job.id, field === 'title' || field === 'description' ? { ...patch, translations: {} } : patch, now);
        return { ok: true };
      },
    ],
    [
      JOBS_EVENTS.applicationCv,
      async (event, context): Promise<Json> => {
        const { jobId, pick: applicationId } = pick.parse(event.payload);
        const found = await ownApplication(context, jobId, applicationId);
        if (!found) throw new Error('not an application of this recruiter’s job');
        const view = await applicationView(context.store, board.words(found.person.lang), found.application);
        // The person id (never an address) lets the relay open a conversation with the applicant.
        return { ...view, active: !['withdrawn', 'declined'].includes(found.application.status) && found.application.personId !== null, personId: found.application.personId };
      },
    ],
    [
      JOBS_EVENTS.decide,
      async (event, context): Promise<Json> => {
        const input = decision.parse(event.payload);
        const found = await ownApplication(context, input.jobId, input.pick);
        if (!found || found.application.status === 'withdrawn') return { ok: false };
        const patch: Partial<Pick<Application, 'status' | 'invite' | 'declineReason'>> = {
          status: STATUS_OF[input.decision],
          ...(input.decision === 'invite' ? { invite: { at: input.inviteAt ?? '', where: input.inviteWhere ?? '' } } : {}),
          ...(input.decision === 'decline' ? { declineReason: input.reason ?? 'other' } : {}),
        };
        const updated = await context.store.jobs.updateApplication(found.application.id, patch, context.clock.now());
        if (updated) await board.tellApplicant(updated, found.job, `jobs-status:${context.effectId}`);
        return { ok: true };
      },
    ],
  ];
}
