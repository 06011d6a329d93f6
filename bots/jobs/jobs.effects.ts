import { contactDetailIn } from '../common/relay/contact-details.ts';
import { z } from 'zod';
import type { Json } from '../../core/dialog/json.ts';
import type { EffectContext, EffectHandler } from '../../core/pipeline/effects.ts';
import type { Application } from '../../core/ports/jobs.port.ts';
import type { JobBoard } from './job-board.ts';
import type { JobPlaces } from './job-places.ts';
import { isApprovedRecruiter, jobInput, postJob } from './job-posting.ts';
import { JOBS_EVENTS } from './jobs.events.ts';
import { jobsFor } from './jobs-for-me.ts';
import { EDUCATION_COUNTRIES, OCCUPATION_GROUPS, OCCUPATIONS, WORK_LANGUAGES } from './occupations.ts';
import { mergeProfile, occupationRef, profilePayload, profileWords } from './profile-input.ts';
import { recruiterEffects } from './recruiter.effects.ts';
import { currentPerson } from './jobs-context.ts';

/** What the jobs effects use. */
export interface JobsEffectsDeps {
  readonly board: JobBoard;
  readonly places: JobPlaces;
}

/** Jobs shown per page of "jobs for me". */
export const PAGE_SIZE = 5;

const list = z.object({ list: z.string(), group: z.string().optional(), occupations: z.array(z.object({ occupation: z.string().optional() })).optional(), occupation: z.object({ occupation: z.string().optional() }).optional() });
const page = z.object({ page: z.number().int().min(0).max(1000) });
const jobRef = z.object({ jobId: z.string().min(1).max(100) });
const applyPayload = z.object({ jobId: z.string().min(1).max(100), motivation: z.string().max(1000).optional(), shareRtw: z.enum(['yes', 'no']).optional() });
const applicationRef = z.object({ applicationId: z.string().min(1).max(200) });

/** The options of a list in the reader's language (`{id, label}`, as lists from data want them). */
async function options(payload: z.infer<typeof list>, context: EffectContext, deps: JobsEffectsDeps): Promise<Json> {
  const person = await currentPerson(context);
  const words = deps.board.words(person.lang);
  const item = (id: string, label: string) => ({ id, label });
  switch (payload.list) {
    case 'groups':
      return { items: OCCUPATION_GROUPS.map((g) => item(g.id, words.t(`group.${g.id}`))) };
    case 'occupations':
      return { items: (OCCUPATION_GROUPS.find((g) => g.id === payload.group)?.occupations ?? []).map((o) => item(o.id, words.t(`occ.${o.id}`))) };
    case 'skills':
    case 'job-skills': {
      const picked =
        payload.list === 'job-skills'
          ? [payload.occupation?.occupation]
          : (payload.occupations?.map((o) => o.occupation) ?? (await context.store.jobs.getProfile(person.id))?.occupations.map((o) => o.occupation.id ?? undefined) ?? []);
      const skills = [...new Set(picked.flatMap((id) => (id ? (OCCUPATIONS.get(id)?.skills ?? []) : [])))].slice(0, 10);
      return { items: skills.map((s) => item(s, words.skill(s))) };
    }
    case 'languages':
      return { items: WORK_LANGUAGES.map((l) => item(l, words.language(l))) };
    case 'countries':
      return { items: EDUCATION_COUNTRIES.map((c) => item(c, words.country(c))) };
    default:
      return { items: [] };
  }
}

/** The candidate's side: profile, jobs for them, applications. */
function candidateEffects(deps: JobsEffectsDeps): [string, EffectHandler][] {
  const { board } = deps;
  return [
    [
      JOBS_EVENTS.whoami,
      async (_event, context): Promise<Json> => {
        const person = await currentPerson(context);
        if (person.role === 'recruiter') {
          const org = person.orgId ? await context.store.organisations.get(person.orgId) : null;
          const status = !org ? 'no-org' : person.roleStatus === 'active' ? 'approved' : 'pending';
          return { kind: 'recruiter', status, orgName: org?.name ?? '' };
        }
        return { kind: (await context.store.jobs.getProfile(person.id)) ? 'candidate' : 'no-profile' };
      },
    ],
    [JOBS_EVENTS.options, async (event, context) => options(list.parse(event.payload), context, deps)],
    [
      JOBS_EVENTS.saveProfile,
      async (event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const input = profilePayload.parse(event.payload);
        const area = input.area === undefined ? undefined : input.area === null ? null : await deps.places.resolve(input.area);
        const before = await context.store.jobs.getProfile(person.id);
        await context.store.jobs.putProfile(mergeProfile(person.id, before, input, area, context.clock.now()));
        return { ok: true };
      },
    ],
    [
      JOBS_EVENTS.cv,
      async (_event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const profile = await context.store.jobs.getProfile(person.id);
        if (!profile) return { text: '', alerts: false, noAlerts: true };
        const words = board.words(person.lang);
        const visibility = words.t(profile.visible ? 'cvVisible' : 'cvHidden');
        return { text: `${words.cv(person.firstName, profile, { rightToWork: true })}\n${visibility}`, alerts: profile.alerts, noAlerts: !profile.alerts };
      },
    ],
    [
      JOBS_EVENTS.forMe,
      async (event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const profile = await context.store.jobs.getProfile(person.id);
        if (!profile) return { count: 0 };
        const { page: at } = page.parse(event.payload);
        const ranked = await jobsFor(context.store.jobs, profile, context.clock.now());
        const shown = ranked.slice(at * PAGE_SIZE, (at + 1) * PAGE_SIZE);
        const words = board.words(person.lang);
        const items: { id: string; label: string }[] = [];
        const lines: string[] = [];
        for (const { job: candidate, match } of shown) {
          const job = await context.store.jobs.getJob(candidate.id);
          if (!job) continue;
          const { title } = await board.inLanguage(job, person.lang);
          const label = job.placeName ? `${title} – ${job.placeName}` : title;
          items.push({ id: job.id, label: label.slice(0, 200) });
          lines.push(`${items.length}. ${label}\n${words.reason(match)}`);
        }
        return { count: ranked.length, items, text: lines.join('\n'), next: ranked.length > (at + 1) * PAGE_SIZE ? at + 1 : null };
      },
    ],
    [
      JOBS_EVENTS.show,
      async (event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const job = await context.store.jobs.getJob(jobRef.parse(event.payload).jobId);
        if (!job) throw new Error('no such job');
        const words = board.words(person.lang);
        const org = await context.store.organisations.get(job.orgId);
        const { title, description } = await board.inLanguage(job, person.lang);
        const facts = [
          words.t(`contract.${job.contract}`),
          words.t('hours', { hours: job.hoursPerWeek }),
          ...(job.placeName ? [job.placeName] : []),
          ...(job.remote ? [words.t('remote')] : []),
          ...(job.languages.length ? [job.languages.map((l) => words.languageLevel(l)).join(', ')] : []),
          ...(job.pay ? [words.t('pay', { min: job.pay.min, max: job.pay.max, currency: job.pay.currency, per: words.t(`per.${job.pay.per}`) })] : []),
          words.t('closes', { date: job.closesAt.slice(0, 10) }),
        ];
        const applied = (await context.store.jobs.applicationsOfPerson(person.id)).some((a) => a.jobId === job.id);
        const profile = await context.store.jobs.getProfile(person.id);
        return { text: `${title} · ${org?.name ?? ''}\n${facts.join(' · ')}\n\n${description}`, applied, canShare: profile?.rightToWork != null, title };
      },
    ],
    [
      JOBS_EVENTS.apply,
      async (event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const { jobId, motivation, shareRtw } = applyPayload.parse(event.payload);
        const job = await context.store.jobs.getJob(jobId);
        if (!job || job.status !== 'open') return { ok: false };
        const org = await context.store.organisations.get(job.orgId);
        const recruiterLang = job.recruiterId ? ((await context.store.people.get(job.recruiterId))?.lang ?? org?.lang) : org?.lang;
        const text = motivation?.trim() ? motivation.trim() : null;
        // A recruiter never sees a phone number or a handle unless the applicant chose to share one.
        if (text && contactDetailIn(text) !== null) return { ok: false, reason: 'contact' };
        const profile = await context.store.jobs.getProfile(person.id);
        // The motivation and the profile's own words, translated together for the recruiter.
        const ownWords = profile ? profileWords(profile) : [];
        const translated = recruiterLang ? await board.translateMany([...(text ? [text] : []), ...ownWords], person.lang, recruiterLang) : {};
        const now = context.clock.now().toISOString();
        const application: Application = {
          // Derived from the effect: a replay finds this application instead of making a second.
          id: `app-${context.effectId}`,
          jobId,
          orgId: job.orgId,
          personId: person.id,
          firstName: person.firstName,
          status: 'applied',
          message: text,
          messageLang: text ? person.lang : null,
          messageTranslated: text ? (translated[text] ?? null) : null,
          wordsTranslated: Object.fromEntries(ownWords.flatMap((w) => (translated[w] ? [[w, translated[w]]] : []))),
          shareRightToWork: shareRtw === 'yes',
          invite: null,
          declineReason: null,
          createdAt: now,
          updatedAt: now,
        };
        const added = await context.store.jobs.apply(application);
        // A replay of this effect finds its own application (and tells the recruiter under the
        // same id, so once); a second application by the same person to the same job is refused
        // by the store and tells nobody again.
        const own = added || (await context.store.jobs.getApplication(application.id)) !== null;
        if (own) await board.tellRecruiter(job, `jobs-applied:${application.id}`);
        return { ok: true };
      },
    ],
    [
      JOBS_EVENTS.myApplications,
      async (_event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const words = board.words(person.lang);
        const items: { id: string; label: string }[] = [];
        for (const application of await context.store.jobs.applicationsOfPerson(person.id)) {
          const job = await context.store.jobs.getJob(application.jobId);
          if (!job) continue;
          const { title } = await board.inLanguage(job, person.lang);
          items.push({ id: application.id, label: `${title}: ${words.status(application)}`.slice(0, 200) });
        }
        return { count: items.length, items };
      },
    ],
    [
      JOBS_EVENTS.withdraw,
      async (event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const application = await context.store.jobs.getApplication(applicationRef.parse(event.payload).applicationId);
        if (!application || application.personId !== person.id) return { ok: false };
        await context.store.jobs.updateApplication(application.id, { status: 'withdrawn' }, context.clock.now());
        return { ok: true };
      },
    ],
    [
      JOBS_EVENTS.alerts,
      async (event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const on = z.object({ part: z.enum(['alertsOn', 'alertsOff']) }).parse(event.payload).part === 'alertsOn';
        const profile = await context.store.jobs.getProfile(person.id);
        if (profile) await context.store.jobs.putProfile({ ...profile, alerts: on, updatedAt: context.clock.now().toISOString() });
        return { notice: on ? 'jobs:alertsNowOn' : 'jobs:alertsNowOff' };
      },
    ],
  ];
}

/** The chat's job as the admin API's input would have it, so both roads post through one check. */
const chatJob = z.object({
  title: z.string(),
  description: z.string(),
  occupation: z.object({ occupation: z.string().optional(), typed: z.string().optional() }),
  place: z.union([z.object({ type: z.literal('pin'), latitude: z.number(), longitude: z.number() }), z.object({ type: z.literal('typed'), text: z.string() })]).nullable(),
  contract: z.string(),
  hours: z.number(),
  languages: z.array(z.object({ lang: z.string(), level: z.string() })).optional(),
  skills: z.array(z.string()).optional(),
  closesOn: z.string(),
});

/** Effects of the jobs flow. */
export function jobsEffects(deps: JobsEffectsDeps): ReadonlyMap<string, EffectHandler> {
  return new Map<string, EffectHandler>([
    ...candidateEffects(deps),
    ...recruiterEffects(deps),
    [
      JOBS_EVENTS.post,
      async (event, context): Promise<Json> => {
        const person = await currentPerson(context);
        const org = person.orgId ? await context.store.organisations.get(person.orgId) : null;
        if (!org || !isApprovedRecruiter(person, org.id)) return { ok: false, reason: 'not-approved' };
        const data = chatJob.parse(event.payload);
        const occupation = occupationRef(data.occupation);
        const input = jobInput.parse({
          title: data.title,
          description: data.description,
          sourceLang: person.lang,
          occupation: occupation.id ? { id: occupation.id } : { text: occupation.text ?? data.title },
          place: data.place === null ? null : data.place.type === 'typed' ? { town: data.place.text } : { latitude: data.place.latitude, longitude: data.place.longitude },
          remote: data.place === null,
          contract: data.contract,
          hoursPerWeek: data.hours,
          languages: data.languages ?? [],
          skills: data.skills ?? [],
          closesAt: data.closesOn,
          recruiterId: person.id,
        });
        const posted = await postJob({ board: deps.board, places: deps.places, store: context.store, now: context.clock.now() }, org, person, `job-${context.effectId}`, input);
        return posted.ok ? { ok: true, id: posted.job.id } : { ok: false, reason: posted.reason };
      },
    ],
  ]);
}

