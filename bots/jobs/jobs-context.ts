import type { EffectContext } from '../../core/pipeline/effects.ts';
import type { Job } from '../../core/ports/jobs.port.ts';
import type { Person } from '../../core/ports/people.port.ts';
import { isApprovedRecruiter } from './job-posting.ts';

/** The person as stored now (onboarding may have created them earlier in this very turn). */
export async function currentPerson(context: EffectContext): Promise<Person> {
  const person = context.person ?? (await context.store.people.findByAddress(context.address));
  if (!person) throw new Error('a jobs effect for someone not signed up');
  return person;
}

/** A job of the recruiter's own organisation, or null (another employer's job is never shown). */
export async function ownJob(context: EffectContext, jobId: string): Promise<{ person: Person; job: Job } | null> {
  const person = await currentPerson(context);
  if (!person.orgId || !isApprovedRecruiter(person, person.orgId)) return null;
  const job = await context.store.jobs.getJobOf(person.orgId, jobId);
  return job ? { person, job } : null;
}

