import type { JobCandidate, JobStore, Profile } from '../../core/ports/jobs.port.ts';
import { boxAround, rankJobs, type Match, type Seeker } from './matching.ts';

/** A profile as matching reads it. */
export function seekerOf(profile: Profile): Seeker {
  return {
    occupationIds: profile.occupations.flatMap((o) => (o.occupation.id ? [o.occupation.id] : [])),
    skills: profile.skills,
    languages: profile.languages,
    latitude: profile.area?.latitude ?? null,
    longitude: profile.area?.longitude ?? null,
    travelKm: profile.travelKm,
  };
}

/**
 * Open jobs for a profile, best first: the store prefilters by the box of the travel distance
 * (plus remote jobs and jobs of unknown place), then every candidate is scored exactly.
 */
export async function jobsFor(store: Pick<JobStore, 'openJobsNear'>, profile: Profile, now: Date): Promise<{ job: JobCandidate; match: Match }[]> {
  const box = profile.area ? boxAround(profile.area.latitude, profile.area.longitude, profile.travelKm) : null;
  return rankJobs(await store.openJobsNear(box, now), seekerOf(profile));
}
