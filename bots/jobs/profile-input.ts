import { z } from 'zod';
import { EDUCATION_LEVELS, RECOGNITION, type Education, type LanguageLevel, type OccupationRef, type Profile } from '../../core/ports/jobs.port.ts';
import { normalizeAnswer } from '../../core/dialog/normalize-answer.ts';
import { OCCUPATIONS, SKILLS, WORK_LANGUAGES } from './occupations.ts';

/** Sessions are stored data: what the profile dialogs gathered is checked again here. */
const occupationAnswer = z.object({
  occupation: z.string().max(64).optional(),
  typed: z.string().trim().min(1).max(80).optional(),
  years: z.number().int().min(0).max(60).optional(),
});
const canDo = z.enum(['yes', 'little', 'no', 'unknown']).optional();
const languageAnswer = z.object({
  lang: z.enum(WORK_LANGUAGES as [string, ...string[]]),
  how: z.enum(['native', 'certificate', 'self-check']),
  certificate: z.enum(['A1', 'A2', 'B1', 'B2', 'C1', 'C2']).optional(),
  q1: canDo,
  q2: canDo,
  q3: canDo,
});
const educationAnswer = z.object({
  level: z.enum(EDUCATION_LEVELS),
  field: z.string().trim().min(1).max(80),
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  countryTyped: z.string().trim().min(1).max(80).optional(),
  yearTyped: z.string().optional(),
  finished: z.enum(['yes', 'no']),
  recognised: z.enum(RECOGNITION),
});
const place = z.union([
  z.object({ type: z.literal('pin'), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  z.object({ type: z.literal('typed'), text: z.string().min(1).max(80) }),
]);

/** What the profile dialog sends to be saved; every section is optional (one part changed). */
export const profilePayload = z.object({
  occupations: z.array(occupationAnswer).max(10).optional(),
  skills: z.array(z.string()).max(30).optional(),
  skillsTyped: z.string().trim().max(300).optional(),
  languages: z.array(languageAnswer).max(15).optional(),
  education: z.array(educationAnswer).max(10).optional(),
  availability: z.enum(['now', 'weeks', 'months']).optional(),
  area: place.nullable().optional(),
  travelKm: z.number().int().min(0).max(200).optional(),
  rtwConsent: z.enum(['yes', 'no']).optional(),
  rightToWork: z.enum(['yes', 'no', 'unknown']).nullable().optional(),
  visible: z.enum(['yes', 'no']).optional(),
  alerts: z.enum(['yes', 'no']).optional(),
  part: z.string().optional(),
});
/** One of {@link profilePayload}. */
export type ProfilePayload = z.infer<typeof profilePayload>;

/**
 * The three can-do questions as a CEFR level: everyday phrases (A), work and daily life (B),
 * complex topics fluently (C); "a little" is the lower level of a band, "no" or "I don't know"
 * stops at the level reached before.
 */
export function selfCheckLevel(q1: string | undefined, q2: string | undefined, q3: string | undefined): LanguageLevel {
  if (q1 !== 'yes') return 'A1';
  if (q2 === 'little') return 'B1';
  if (q2 !== 'yes') return 'A2';
  if (q3 === 'little') return 'C1';
  return q3 === 'yes' ? 'C2' : 'B2';
}

/** An occupation answer as a reference: picked from the list, or typed. */
export function occupationRef(answer: { occupation?: string | undefined; typed?: string | undefined }): OccupationRef {
  if (answer.occupation && OCCUPATIONS.has(answer.occupation)) return { id: answer.occupation, text: null };
  return { id: null, text: answer.typed ?? null };
}

function education(e: z.infer<typeof educationAnswer>, now: Date): Education {
  const typed = e.yearTyped === undefined ? '' : normalizeAnswer(e.yearTyped);
  const year = /^\d{4}$/.test(typed) ? Number(typed) : null;
  return {
    level: e.level,
    field: e.field,
    country: e.country ?? e.countryTyped ?? '',
    year: year !== null && year >= 1950 && year <= now.getUTCFullYear() ? year : null,
    finished: e.finished === 'yes',
    recognised: e.recognised,
  };
}

/** The profile after the dialog's answers, section by section, over what was stored. */
export function mergeProfile(personId: string, before: Profile | null, input: ProfilePayload, area: Profile['area'] | undefined, now: Date): Profile {
  const base: Profile = before ?? {
    personId,
    occupations: [],
    skills: [],
    skillsText: null,
    languages: [],
    education: [],
    availability: 'now',
    area: null,
    travelKm: 20,
    rightToWork: null,
    visible: false,
    alerts: false,
    lastAlertAt: null,
    updatedAt: now.toISOString(),
  };
  const occupations = input.occupations?.flatMap((o) => {
    const ref = occupationRef(o);
    return ref.id || ref.text ? [{ occupation: ref, years: o.years ?? 0 }] : [];
  });
  const languages = input.languages?.map((l) => ({
    lang: l.lang,
    level: l.how === 'native' ? ('native' as const) : l.how === 'certificate' ? (l.certificate ?? 'A1') : selfCheckLevel(l.q1, l.q2, l.q3),
    source: l.how,
  }));
  const part = input.part ?? '';
  return {
    ...base,
    ...(occupations ? { occupations } : {}),
    ...(input.skills ? { skills: input.skills.filter((s) => SKILLS.includes(s)) } : {}),
    ...(input.skillsTyped !== undefined || part === 'skills' ? { skillsText: input.skillsTyped ?? null } : {}),
    ...(languages ? { languages } : {}),
    ...(input.education ? { education: input.education.map((e) => education(e, now)) } : {}),
    ...(input.availability ? { availability: input.availability } : {}),
    ...(area !== undefined ? { area } : {}),
    ...(input.travelKm !== undefined ? { travelKm: input.travelKm } : {}),
    // Only with explicit consent: a "no" to keeping it erases an answer given before.
    ...(input.rtwConsent ? { rightToWork: input.rtwConsent === 'yes' ? (input.rightToWork ?? null) : null } : {}),
    ...(input.visible ? { visible: input.visible === 'yes' } : {}),
    ...(input.alerts ? { alerts: input.alerts === 'yes' } : {}),
    updatedAt: now.toISOString(),
  };
}

/** The words a person typed into their profile (not picked from a list): what a reader needs translated. */
export function profileWords(profile: Profile): string[] {
  return [
    ...profile.occupations.flatMap((o) => (o.occupation.id === null && o.occupation.text ? [o.occupation.text] : [])),
    ...(profile.skillsText ? [profile.skillsText] : []),
    ...profile.education.flatMap((e) => [e.field, ...(/^[A-Z]{2}$/.test(e.country) ? [] : [e.country])]),
  ];
}
