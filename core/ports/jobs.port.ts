/**
 * The jobs flow's records: employers' job offers, candidates' profiles and applications. Every
 * field of a profile or an application is personal data; a forgotten person leaves none of it.
 */

/** CEFR levels, lowest first; `native` ranks above C2. */
export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'] as const;
/** One of {@link CEFR_LEVELS}. */
export type LanguageLevel = (typeof CEFR_LEVELS)[number];

/** Contract types a job may have. */
export const CONTRACT_TYPES = ['permanent', 'fixed-term', 'apprenticeship', 'internship', 'seasonal', 'freelance'] as const;
/** One of {@link CONTRACT_TYPES}. */
export type ContractType = (typeof CONTRACT_TYPES)[number];

/** A coarse place: the centre of an area (never a person's exact pin), with a label to show. */
export interface CoarsePlace {
  readonly latitude: number;
  readonly longitude: number;
  /** A town or area name as typed or found; null for a shared pin. */
  readonly label: string | null;
}

/** A language with a level: a job's requirement or what a candidate speaks. */
export interface LanguageSkill {
  /** ISO 639 code (`fr`, `prs` for Dari). */
  readonly lang: string;
  readonly level: LanguageLevel;
}

/** An occupation from the taxonomy (`id`), or typed by the person (`text`). */
export interface OccupationRef {
  readonly id: string | null;
  readonly text: string | null;
}

/** Where a job stands; only open jobs are matched and accept applications. */
export type JobStatus = 'open' | 'paused' | 'closed';

/** A job offer of an employer organisation. */
export interface Job {
  readonly id: string;
  readonly orgId: string;
  /** The recruiter who posted it in chat; null when posted through the API. */
  readonly recruiterId: string | null;
  readonly title: string;
  readonly description: string;
  /** The language the title and description were written in. */
  readonly sourceLang: string;
  /** Title and description per reader language, translated once (absent: shown as written). */
  readonly translations: Readonly<Record<string, { readonly title: string; readonly description: string }>>;
  readonly occupation: OccupationRef;
  readonly place: CoarsePlace | null;
  /** The town as the employer named it, shown with the job. */
  readonly placeName: string | null;
  readonly remote: boolean;
  readonly contract: ContractType;
  readonly hoursPerWeek: number;
  readonly languages: readonly LanguageSkill[];
  readonly skills: readonly string[];
  readonly pay: { readonly min: number; readonly max: number; readonly currency: string; readonly per: 'hour' | 'month' | 'year' } | null;
  readonly closesAt: string;
  readonly status: JobStatus;
  readonly closedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Job fields a recruiter may change. */
export type JobPatch = Partial<Omit<Job, 'id' | 'orgId' | 'recruiterId' | 'createdAt' | 'updatedAt' | 'closedAt'>>;

/** Education levels on a simple scale. */
export const EDUCATION_LEVELS = ['none', 'primary', 'secondary', 'vocational', 'bachelor', 'master', 'doctorate'] as const;
/** Whether a diploma is recognised in the host country. */
export const RECOGNITION = ['yes', 'in-progress', 'no', 'unknown'] as const;

/** One diploma or schooling. */
export interface Education {
  readonly level: (typeof EDUCATION_LEVELS)[number];
  readonly field: string;
  /** ISO 3166 alpha-2 code. */
  readonly country: string;
  readonly year: number | null;
  readonly finished: boolean;
  readonly recognised: (typeof RECOGNITION)[number];
}

/** A candidate's right to work, as they said it; stored only with their consent. */
export type RightToWork = 'yes' | 'no' | 'unknown';

/** A candidate's profile, built in chat. */
export interface Profile {
  readonly personId: string;
  readonly occupations: readonly { readonly occupation: OccupationRef; readonly years: number }[];
  readonly skills: readonly string[];
  readonly skillsText: string | null;
  readonly languages: readonly (LanguageSkill & { readonly source: 'self-check' | 'certificate' | 'native' })[];
  readonly education: readonly Education[];
  readonly availability: 'now' | 'weeks' | 'months';
  readonly area: CoarsePlace | null;
  readonly travelKm: number;
  /** Null when the person did not consent to store it. */
  readonly rightToWork: RightToWork | null;
  /** Whether recruiters may find the profile (jobs for me and applying work either way). */
  readonly visible: boolean;
  readonly alerts: boolean;
  /** When the last job alert went out (at most one a day). */
  readonly lastAlertAt: string | null;
  readonly updatedAt: string;
}

/** Where an application stands, as the applicant hears it. */
export const APPLICATION_STATUSES = ['applied', 'shortlisted', 'invited', 'declined', 'withdrawn'] as const;
/** One of {@link APPLICATION_STATUSES}. */
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Reasons a recruiter may give when declining. */
export const DECLINE_REASONS = ['filled', 'experience', 'language', 'distance', 'other'] as const;

/** An application: a person's answer to a job. */
export interface Application {
  readonly id: string;
  readonly jobId: string;
  readonly orgId: string;
  /** Null once the applicant was forgotten: the row then only says "withdrawn". */
  readonly personId: string | null;
  readonly firstName: string;
  readonly status: ApplicationStatus;
  /** The applicant's own words, and the recruiter's language version of them. */
  readonly message: string | null;
  readonly messageLang: string | null;
  readonly messageTranslated: string | null;
  /**
   * The profile's own words (a typed occupation, skills, a field of study) in the recruiter's
   * language, by original text, translated once when applying; absent words show as written.
   */
  readonly wordsTranslated?: Readonly<Record<string, string>>;
  /** The applicant chose to show their right-to-work answer with this application. */
  readonly shareRightToWork: boolean;
  readonly invite: { readonly at: string; readonly where: string } | null;
  readonly declineReason: (typeof DECLINE_REASONS)[number] | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What matching reads of an open job (kept small: thousands are scored per request). */
export interface JobCandidate {
  readonly id: string;
  readonly occupationId: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly remote: boolean;
  readonly languages: readonly LanguageSkill[];
  readonly skills: readonly string[];
  readonly createdAt: string;
}

/** What an alert fan-out reads of a visible profile. */
export interface ProfileCandidate {
  readonly personId: string;
  readonly occupationIds: readonly string[];
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly travelKm: number;
  readonly languages: readonly LanguageSkill[];
  readonly skills: readonly string[];
  readonly lastAlertAt: string | null;
}

/** A rectangle of latitudes and longitudes (a prefilter before exact distances). */
export interface Box {
  readonly south: number;
  readonly north: number;
  readonly west: number;
  readonly east: number;
}

/** Jobs, profiles and applications. Conflicts are values (`false`, `null`), not thrown. */
export interface JobStore {
  createJob(job: Job): Promise<boolean>;
  getJob(id: string): Promise<Job | null>;
  /** Another organisation's job reads as absent. */
  getJobOf(orgId: string, id: string): Promise<Job | null>;
  listJobs(orgId: string): Promise<Job[]>;
  updateJob(id: string, patch: JobPatch, at: Date): Promise<Job | null>;
  /** Open jobs whose place lies in the box, remote ones and those of unknown place; not past their closing date. */
  openJobsNear(box: Box | null, now: Date): Promise<JobCandidate[]>;

  getProfile(personId: string): Promise<Profile | null>;
  putProfile(profile: Profile): Promise<void>;
  /**
   * Profiles whose owner chose to be found by recruiters, by person id after `after`, optionally
   * with an occupation among theirs. A hidden profile is never returned.
   */
  visibleProfiles(options: { readonly occupationId?: string; readonly limit: number; readonly after?: string }): Promise<Profile[]>;
  /** Visible profiles with alerts on, in the box (or without an area), for a new job. */
  alertableProfiles(box: Box | null): Promise<ProfileCandidate[]>;
  /** Marks an alert sent unless one went out after `since`; true when this call took the day's slot. */
  takeAlertSlot(personId: string, since: Date, at: Date): Promise<boolean>;

  /** Adds an application; false when this person already applied to this job. */
  apply(application: Application): Promise<boolean>;
  getApplication(id: string): Promise<Application | null>;
  applicationsOfJob(jobId: string): Promise<Application[]>;
  applicationsOfPerson(personId: string): Promise<Application[]>;
  updateApplication(id: string, patch: Partial<Pick<Application, 'status' | 'invite' | 'declineReason'>>, at: Date): Promise<Application | null>;

  /**
   * Erases a person's profile and applications: each application becomes a bare "withdrawn"
   * row without name, words or link to the person (the recruiter's list still adds up).
   */
  erasePerson(personId: string): Promise<void>;
  /** Deletes jobs closed (or past their closing date) before `before`, with their applications. */
  deleteClosedBefore(before: Date): Promise<number>;
}
