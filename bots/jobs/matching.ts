import { CEFR_LEVELS, type Box, type JobCandidate, type LanguageLevel, type LanguageSkill } from '../../core/ports/jobs.port.ts';
import { distanceKm, roundedDistance } from '../common/places/coarse-place.ts';
import { OCCUPATIONS } from './occupations.ts';

/** What a score is computed from on the candidate's side (a stored profile or its compact row). */
export interface Seeker {
  readonly occupationIds: readonly string[];
  readonly skills: readonly string[];
  readonly languages: readonly LanguageSkill[];
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly travelKm: number;
}

/** A transparent score out of 100, with what it is made of (the reason line is built from it). */
export interface Match {
  readonly score: number;
  /** The occupation that matched exactly, if any. */
  readonly occupation: string | null;
  /** Requirements the candidate meets, with the candidate's own level. */
  readonly languages: readonly LanguageSkill[];
  readonly commonSkills: number;
  /** The distance as people read it ("about 4 km"); null for remote jobs or unknown places. */
  readonly distance: ReturnType<typeof roundedDistance> | null;
  readonly remote: boolean;
}

/** Points per part: occupation, skills, languages, distance. */
const WEIGHTS = { occupation: 40, sameGroup: 20, skills: 20, languages: 25, distance: 15, unknownDistance: 5 } as const;
/** Below this a job is not shown in "jobs for me". */
export const SHOW_THRESHOLD = 25;
/** From this a new job is worth an alert. */
export const ALERT_THRESHOLD = 60;
/** Widest travel distance anyone may give: the alert prefilter's box. */
export const MAX_TRAVEL_KM = 200;

const rank = (level: LanguageLevel): number => CEFR_LEVELS.indexOf(level);


/** The box around a point that holds everything within `km` (a prefilter for an index). */
export function boxAround(latitude: number, longitude: number, km: number): Box {
  const dLat = km / 111;
  const dLng = km / (111 * Math.max(0.1, Math.cos((latitude * Math.PI) / 180)));
  return { south: latitude - dLat, north: latitude + dLat, west: longitude - dLng, east: longitude + dLng };
}

/** The candidate's best level in a language, or null. */
function levelIn(languages: readonly LanguageSkill[], lang: string): LanguageLevel | null {
  let best: LanguageLevel | null = null;
  for (const l of languages) if (l.lang === lang && (best === null || rank(l.level) > rank(best))) best = l.level;
  return best;
}

/**
 * Scores one job for one candidate; null when the job is out of the candidate's travel distance.
 * Every part is simple enough to explain in one line ("You match: cook, French B1, 4 km").
 */
export function scoreJob(job: Pick<JobCandidate, 'occupationId' | 'skills' | 'languages' | 'latitude' | 'longitude' | 'remote'>, seeker: Seeker): Match | null {
  let distance: Match['distance'] = null;
  let distancePoints: number = WEIGHTS.unknownDistance;
  if (job.remote) {
    distancePoints = WEIGHTS.distance;
  } else if (job.latitude !== null && job.longitude !== null && seeker.latitude !== null && seeker.longitude !== null) {
    const exact = distanceKm({ latitude: job.latitude, longitude: job.longitude }, { latitude: seeker.latitude, longitude: seeker.longitude });
    if (exact > seeker.travelKm) return null;
    distance = roundedDistance(exact);
    distancePoints = WEIGHTS.distance * (1 - exact / (seeker.travelKm + 1));
  }
  let occupation: string | null = null;
  let occupationPoints = 0;
  if (job.occupationId !== null) {
    if (seeker.occupationIds.includes(job.occupationId)) {
      occupation = job.occupationId;
      occupationPoints = WEIGHTS.occupation;
    } else {
      const group = OCCUPATIONS.get(job.occupationId)?.isco.slice(0, 2);
      if (group && seeker.occupationIds.some((id) => OCCUPATIONS.get(id)?.isco.slice(0, 2) === group)) occupationPoints = WEIGHTS.sameGroup;
    }
  }
  const commonSkills = job.skills.filter((s) => seeker.skills.includes(s)).length;
  const skillPoints = job.skills.length === 0 ? WEIGHTS.skills / 2 : (WEIGHTS.skills * commonSkills) / job.skills.length;
  const met: LanguageSkill[] = [];
  let languageShare = 0;
  for (const required of job.languages) {
    const level = levelIn(seeker.languages, required.lang);
    if (level === null) continue;
    const gap = rank(required.level) - rank(level);
    if (gap <= 0) {
      met.push({ lang: required.lang, level });
      languageShare += 1;
    } else if (gap === 1) {
      languageShare += 0.5;
    }
  }
  const languagePoints = job.languages.length === 0 ? WEIGHTS.languages : (WEIGHTS.languages * languageShare) / job.languages.length;
  const score = Math.round(occupationPoints + skillPoints + languagePoints + distancePoints);
  return { score, occupation, languages: met, commonSkills, distance, remote: job.remote };
}

/** Open jobs ranked for a candidate, best first (newest first among equals), with their match. */
export function rankJobs(jobs: readonly JobCandidate[], seeker: Seeker): { job: JobCandidate; match: Match }[] {
  const ranked: { job: JobCandidate; match: Match }[] = [];
  for (const job of jobs) {
    const match = scoreJob(job, seeker);
    if (match && match.score >= SHOW_THRESHOLD) ranked.push({ job, match });
  }
  return ranked.sort((a, b) => b.match.score - a.match.score || b.job.createdAt.localeCompare(a.job.createdAt));
}
