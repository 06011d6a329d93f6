import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { Application, Education, LanguageSkill, OccupationRef, Profile } from '../../core/ports/jobs.port.ts';
import type { Match } from './matching.ts';
import { OCCUPATIONS } from './occupations.ts';

/**
 * The jobs flow's words for one reader: taxonomy labels from the hand-written locale files,
 * language and country names from CLDR (Node's Intl), short CVs and the one-line reasons.
 */
export class JobsText {
  private readonly languageNames: Intl.DisplayNames;
  private readonly countryNames: Intl.DisplayNames;

  constructor(
    private readonly text: TextRenderer,
    readonly lang: string,
  ) {
    this.languageNames = new Intl.DisplayNames([lang, 'en'], { type: 'language', fallback: 'code' });
    this.countryNames = new Intl.DisplayNames([lang, 'en'], { type: 'region', fallback: 'code' });
  }

  t(key: string, params?: Readonly<Record<string, string | number>>): string {
    return this.text(this.lang, `jobs:${key}`, params);
  }

  occupation(ref: OccupationRef): string {
    return ref.id && OCCUPATIONS.has(ref.id) ? this.t(`occ.${ref.id}`) : (ref.text ?? '?');
  }

  skill(id: string): string {
    return this.t(`skill.${id}`);
  }

  /** A language's name in the reader's language ("French", "فرانسوي"). */
  language(code: string): string {
    return this.languageNames.of(code) ?? code;
  }

  /** A country by ISO code, or as the person typed it. */
  country(country: string): string {
    return /^[A-Z]{2}$/.test(country) ? (this.countryNames.of(country) ?? country) : country;
  }

  languageLevel(l: LanguageSkill): string {
    return `${this.language(l.lang)} ${l.level === 'native' ? this.t('level.native') : l.level}`;
  }

  /** "You match: cook, French B1, 4 km". */
  reason(match: Match): string {
    const parts: string[] = [];
    if (match.occupation) parts.push(this.t(`occ.${match.occupation}`));
    for (const l of match.languages) parts.push(this.languageLevel(l));
    if (match.distance !== null) parts.push(this.text(this.lang, match.distance.key, match.distance));
    else if (match.remote) parts.push(this.t('remote'));
    return parts.length > 0 ? this.t('reason', { parts: parts.join(', ') }) : this.t('reasonNone');
  }

  private education(e: Education): string {
    const parts = [this.t(`education.${e.level}`), e.field, this.country(e.country)];
    if (e.year !== null) parts.push(String(e.year));
    parts.push(this.t(e.finished ? 'finished' : 'notFinished'));
    parts.push(this.t('recognisedIs', { value: this.t(`recognised.${e.recognised}`) }));
    return parts.join(', ');
  }

  /**
   * A profile as a short CV. `rightToWork` says whether that line may be shown: the person's
   * own view, or an application where they chose to share it; never otherwise.
   */
  cv(firstName: string, profile: Profile, options: { readonly rightToWork: boolean; readonly words?: Readonly<Record<string, string>> }): string {
    const own = (text: string) => options.words?.[text] ?? text;
    const lines = [firstName];
    for (const o of profile.occupations) lines.push(this.t('cvOccupation', { occupation: own(this.occupation(o.occupation)), years: o.years }));
    const skills = [...profile.skills.map((s) => this.skill(s)), ...(profile.skillsText ? [own(profile.skillsText)] : [])];
    if (skills.length > 0) lines.push(this.t('cvSkills', { skills: skills.join(', ') }));
    if (profile.languages.length > 0) lines.push(this.t('cvLanguages', { languages: profile.languages.map((l) => this.languageLevel(l)).join(', ') }));
    for (const e of profile.education) lines.push(this.t('cvEducation', { education: this.education({ ...e, field: own(e.field), country: own(e.country) }) }));
    lines.push(this.t('cvAvailable', { when: this.t(`available.${profile.availability}`) }));
    if (options.rightToWork && profile.rightToWork !== null) lines.push(this.t('cvRightToWork', { value: this.t(`rightToWork.${profile.rightToWork}`) }));
    return lines.join('\n');
  }

  /** "Shortlisted", "Invited: Tuesday 10:00, 3 rue ..." as the applicant or the recruiter reads it. */
  status(application: Application): string {
    return this.t(`status.${application.status}`);
  }
}
