/** Events of the jobs flow (the dialogs emit them, jobs.effects.ts performs them). */
export const JOBS_EVENTS = {
  /** Who is asking: a candidate (with or without a profile) or a recruiter, and their approval. */
  whoami: 'jobs.whoami',
  /** A recruiter names the employer they recruit for (its code). */
  requestOrg: 'jobs.request-org',
  /** Options for a list: occupation groups, occupations of a group, skills, languages, countries. */
  options: 'jobs.options',
  /** Stores the profile (or the part of it that was changed). */
  saveProfile: 'jobs.save-profile',
  /** The profile as a short CV in the reader's language. */
  cv: 'jobs.cv',
  /** A page of open jobs ranked for the candidate, with reasons. */
  forMe: 'jobs.for-me',
  /** One job, in the reader's language. */
  show: 'jobs.show',
  apply: 'jobs.apply',
  /** The candidate's applications, as options. */
  myApplications: 'jobs.my-applications',
  withdraw: 'jobs.withdraw',
  /** A recruiter posts a job. */
  post: 'jobs.post',
  /** A recruiter's jobs, as options. */
  myJobs: 'jobs.my-jobs',
  /** A recruiter's job with its applications, as options. */
  jobDetail: 'jobs.job-detail',
  /** Pause, resume, close, or change one field of a job. */
  editJob: 'jobs.edit-job',
  /** An application as a short CV in the recruiter's language. */
  applicationCv: 'jobs.application-cv',
  /** Shortlist, invite, decline: the applicant hears it in their language. */
  decide: 'jobs.decide',
  /** Job alerts on or off. */
  alerts: 'jobs.alerts',
} as const;
