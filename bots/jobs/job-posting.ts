import { z } from 'zod';
import { LANGUAGE_CODES } from '../../core/i18n/languages.ts';
import { CONTRACT_TYPES, type Job } from '../../core/ports/jobs.port.ts';
import type { Organisation, Person, Place } from '../../core/ports/people.port.ts';
import type { JobBoard } from './job-board.ts';
import type { JobPlaces } from './job-places.ts';
import { OCCUPATIONS, SKILLS, WORK_LANGUAGES } from './occupations.ts';

const level = z.enum(['A1', 'A2', 'B1', 'B2', 'C1', 'C2']);
const placeInput = z.union([
  z.strictObject({ town: z.string().trim().min(2).max(80) }),
  z.strictObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
]);

/** A job as an employer posts it (the admin API's body; the chat dialog builds the same). */
export const jobInput = z.strictObject({
  title: z.string().trim().min(2).max(80),
  description: z.string().trim().min(2).max(2000),
  sourceLang: z.enum(LANGUAGE_CODES as [string, ...string[]]).optional(),
  occupation: z.union([
    z.strictObject({ id: z.string().refine((id) => OCCUPATIONS.has(id), 'unknown occupation id') }),
    z.strictObject({ text: z.string().trim().min(2).max(80) }),
  ]),
  place: placeInput.nullable().default(null),
  remote: z.boolean().default(false),
  contract: z.enum(CONTRACT_TYPES),
  hoursPerWeek: z.number().int().min(1).max(60),
  languages: z.array(z.strictObject({ lang: z.enum(WORK_LANGUAGES as [string, ...string[]]), level })).max(5).default([]),
  skills: z.array(z.enum(SKILLS as [string, ...string[]])).max(15).default([]),
  pay: z
    .strictObject({ min: z.number().min(0), max: z.number().min(0), currency: z.string().regex(/^[A-Z]{3}$/), per: z.enum(['hour', 'month', 'year']) })
    .refine((p) => p.max >= p.min, { message: 'max must not be below min', path: ['max'] })
    .nullable()
    .default(null),
  closesAt: z.iso.date(),
  /** The approved recruiter of this employer the job is posted for (applications are announced to them). */
  recruiterId: z.string().min(1).max(100).optional(),
});
/** One of {@link jobInput}. */
export type JobInput = z.infer<typeof jobInput>;

/** Why a job could not be posted. */
export type PostRefusal = 'not-approved' | 'closes-in-past';

/** An approved recruiter of this organisation: the only people who may post for it. */
export function isApprovedRecruiter(person: Person | null, orgId: string): boolean {
  return person !== null && person.role === 'recruiter' && person.roleStatus === 'active' && person.orgId === orgId;
}

/**
 * Posts a job for an employer: the place is made coarse (or found by name), the job stored under
 * a caller-derived id (a retry posts nothing twice), then alerts go to matching candidates.
 */
export async function postJob(
  deps: { board: JobBoard; places: JobPlaces; store: { jobs: { createJob(job: Job): Promise<boolean>; getJob(id: string): Promise<Job | null> } }; now: Date },
  org: Organisation,
  recruiter: Person | null,
  id: string,
  input: JobInput,
): Promise<{ ok: true; job: Job } | { ok: false; reason: PostRefusal }> {
  if (input.recruiterId !== undefined && !isApprovedRecruiter(recruiter, org.id)) return { ok: false, reason: 'not-approved' };
  if (input.closesAt <= deps.now.toISOString().slice(0, 10)) return { ok: false, reason: 'closes-in-past' };
  const lang = input.sourceLang ?? recruiter?.lang ?? org.lang;
  // A town no gazetteer knows stays without coordinates: the job is listed, with no distance claimed.
  const asPlace: Place | null = !input.place ? null : 'town' in input.place ? { type: 'typed', text: input.place.town } : { type: 'pin', ...input.place };
  const place = asPlace ? await deps.places.resolve(asPlace) : null;
  const now = deps.now.toISOString();
  const job: Job = {
    id,
    orgId: org.id,
    recruiterId: recruiter?.id ?? null,
    title: input.title,
    description: input.description,
    sourceLang: lang,
    translations: {},
    occupation: 'id' in input.occupation ? { id: input.occupation.id, text: null } : { id: null, text: input.occupation.text },
    place,
    placeName: place?.label ?? (input.place && 'town' in input.place ? input.place.town : null),
    remote: input.remote,
    contract: input.contract,
    hoursPerWeek: input.hoursPerWeek,
    languages: input.languages.map((l) => ({ lang: l.lang, level: l.level })),
    skills: input.skills,
    pay: input.pay,
    closesAt: `${input.closesAt}T23:59:59.999Z`,
    status: 'open',
    closedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const created = await deps.store.jobs.createJob(job);
  const stored = created ? job : ((await deps.store.jobs.getJob(id)) ?? job);
  // Alerts run on every attempt: a crash after the insert must not skip them (each is idempotent).
  await deps.board.alert(stored);
  return { ok: true, job: stored };
}
