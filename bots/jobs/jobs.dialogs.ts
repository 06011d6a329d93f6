import { z } from 'zod';
import type { ChoiceSpec, DialogDef } from '../../core/dialog/dialog-definition.ts';
import { CONTRACT_TYPES, DECLINE_REASONS } from '../../core/ports/jobs.port.ts';
import { CEFR_CHOICES, number, educationDialog, languageLevelDialog, occupationDialog, profileDialog } from './jobs-profile.dialogs.ts';
import { JOBS_EVENTS } from './jobs.events.ts';
import { reducePin } from '../common/places/coarse-place.ts';

const back: ChoiceSpec = { id: 'back', label: 'jobs:back' };
const skip: ChoiceSpec = { id: 'skip', label: 'jobs:skip' };
const yesNo = {
  type: 'choice',
  choices: [
    { id: 'yes', label: 'jobs:yes', means: 'yes' },
    { id: 'no', label: 'jobs:no', means: 'no' },
  ],
} as const;
const words = (max: number) => z.string().trim().min(2).max(max);

/** The menu's "Work": candidates find jobs and keep a profile; recruiters post and read applications. */
export const jobsDialog: DialogDef = {
  id: 'jobs',
  version: 1,
  start: 'who',
  steps: {
    who: { kind: 'task', event: JOBS_EVENTS.whoami, save: 'me', next: { switch: 'me.kind', cases: { recruiter: 'recruiter', 'no-profile': 'build' }, default: 'hub' } },
    build: { kind: 'call', dialog: 'jobs-profile', next: 'who' },
    hub: {
      kind: 'ask',
      prompt: { key: 'jobs:hub' },
      input: {
        type: 'choice',
        choices: [
          { id: 'for-me', label: 'jobs:forMe' },
          { id: 'profile', label: 'jobs:myProfile' },
          { id: 'applications', label: 'jobs:myApplications' },
          back,
        ],
      },
      save: 'pick',
      next: { switch: 'pick', cases: { 'for-me': 'forMe', profile: 'profile', applications: 'applications' }, default: 'end' },
    },
    forMe: { kind: 'call', dialog: 'jobs-for-me', next: 'hub' },
    profile: { kind: 'call', dialog: 'jobs-my-profile', next: 'hub' },
    applications: { kind: 'call', dialog: 'jobs-my-applications', next: 'hub' },
    recruiter: { kind: 'call', dialog: 'jobs-recruiter', args: ['me'], next: 'end' },
    end: { kind: 'end' },
  },
};

/** "Jobs for me": 5 at a time with their reason, "more", then one job and "Apply". */
export const forMeDialog: DialogDef = {
  id: 'jobs-for-me',
  version: 1,
  start: 'first',
  steps: {
    first: { kind: 'set', key: 'page', value: 0, next: 'find' },
    find: { kind: 'task', event: JOBS_EVENTS.forMe, save: 'found', next: { switch: 'found.count', cases: { '0': 'none' }, default: 'list' } },
    none: { kind: 'say', text: { key: 'jobs:noJobs' }, next: 'end' },
    list: {
      kind: 'ask',
      prompt: { key: 'jobs:jobsForMe' },
      input: { type: 'choice', from: 'found.items', choices: [{ id: 'more', label: 'jobs:more', when: 'found.next' }, back] },
      save: 'jobId',
      next: { switch: 'jobId', cases: { more: 'nextPage', back: 'end' }, default: 'show' },
    },
    nextPage: { kind: 'set', key: 'page', from: 'found.next', next: 'find' },
    show: { kind: 'task', event: JOBS_EVENTS.show, save: 'job', next: { switch: 'job.applied', cases: { true: 'already' }, default: 'detail' } },
    already: { kind: 'say', text: { key: 'jobs:jobDetail' }, next: 'alreadyNote' },
    alreadyNote: { kind: 'say', text: { key: 'jobs:alreadyApplied' }, next: 'find' },
    detail: {
      kind: 'ask',
      prompt: { key: 'jobs:jobDetail' },
      input: { type: 'choice', choices: [{ id: 'apply', label: 'jobs:apply' }, back] },
      save: 'action',
      next: { switch: 'action', cases: { apply: 'message' }, default: 'find' },
    },
    message: {
      kind: 'ask',
      prompt: { key: 'jobs:askMotivation' },
      input: { type: 'choice', choices: [skip], otherwise: { save: 'motivation', next: 'share' } },
      save: 'skipped',
      next: 'share',
    },
    share: { kind: 'route', next: { switch: 'job.canShare', cases: { true: 'askShare' }, default: 'apply' } },
    askShare: { kind: 'ask', prompt: { key: 'jobs:askShareRightToWork' }, input: yesNo, save: 'shareRtw', next: 'apply' },
    apply: { kind: 'task', event: JOBS_EVENTS.apply, save: 'applied', next: { switch: 'applied.reason', cases: { contact: 'noContact' }, default: 'sent' } },
    noContact: { kind: 'say', text: { key: 'common:noContactDetails' }, next: 'message' },
    sent: { kind: 'say', text: { key: 'jobs:applied' }, next: 'end' },
    end: { kind: 'end' },
  },
};

/** The candidate's applications and their status; withdraw one. */
export const myApplicationsDialog: DialogDef = {
  id: 'jobs-my-applications',
  version: 1,
  start: 'find',
  steps: {
    find: { kind: 'task', event: JOBS_EVENTS.myApplications, save: 'found', next: { switch: 'found.count', cases: { '0': 'none' }, default: 'list' } },
    none: { kind: 'say', text: { key: 'jobs:noApplications' }, next: 'end' },
    list: {
      kind: 'ask',
      prompt: { key: 'jobs:yourApplications' },
      input: { type: 'choice', from: 'found.items', choices: [back] },
      save: 'applicationId',
      next: { switch: 'applicationId', cases: { back: 'end' }, default: 'action' },
    },
    action: {
      kind: 'ask',
      prompt: { key: 'jobs:applicationAction' },
      input: { type: 'choice', choices: [{ id: 'withdraw', label: 'jobs:withdraw' }, back] },
      save: 'action',
      next: { switch: 'action', cases: { withdraw: 'withdraw' }, default: 'find' },
    },
    withdraw: { kind: 'task', event: JOBS_EVENTS.withdraw, save: 'withdrawn', next: 'withdrawn' },
    withdrawn: { kind: 'say', text: { key: 'jobs:withdrawn' }, next: 'find' },
    end: { kind: 'end' },
  },
};

/** "My profile": the short CV, then change any part. */
export const myProfileDialog: DialogDef = {
  id: 'jobs-my-profile',
  version: 1,
  start: 'cv',
  steps: {
    cv: { kind: 'task', event: JOBS_EVENTS.cv, save: 'cv', next: 'show' },
    show: {
      kind: 'ask',
      prompt: { key: 'jobs:cvShow' },
      input: {
        type: 'choice',
        choices: [
          ...['occupations', 'skills', 'languages', 'education', 'availability', 'area', 'rightToWork', 'visibility'].map((id) => ({ id, label: `jobs:part.${id}` })),
          { id: 'alertsOff', label: 'jobs:alertsOff', when: 'cv.alerts' },
          { id: 'alertsOn', label: 'jobs:alertsOn', when: 'cv.noAlerts' },
          back,
        ],
      },
      save: 'part',
      next: { switch: 'part', cases: { back: 'end', alertsOff: 'alerts', alertsOn: 'alerts' }, default: 'change' },
    },
    change: { kind: 'call', dialog: 'jobs-profile', args: ['part'], next: 'cv' },
    alerts: { kind: 'task', event: JOBS_EVENTS.alerts, save: 'alerts', next: 'alertsSaid' },
    alertsSaid: { kind: 'say', text: { key: 'jobs:alertsDone', keyFrom: 'alerts.notice' }, next: 'cv' },
    end: { kind: 'end' },
  },
};

/** A recruiter: ask for approval by an employer, then post jobs and read applications. */
export const recruiterDialog: DialogDef = {
  id: 'jobs-recruiter',
  version: 1,
  start: 'route',
  steps: {
    route: { kind: 'route', next: { switch: 'me.status', cases: { approved: 'hub', pending: 'pending' }, default: 'askOrg' } },
    pending: { kind: 'say', text: { key: 'jobs:recruiterPending' }, next: 'end' },
    askOrg: { kind: 'ask', prompt: { key: 'jobs:askEmployer' }, input: { type: 'text', schema: words(32), invalid: 'jobs:unknownEmployer' }, save: 'code', next: 'request' },
    request: { kind: 'task', event: JOBS_EVENTS.requestOrg, save: 'requested', next: { switch: 'requested.ok', cases: { true: 'requested' }, default: 'unknown' } },
    unknown: { kind: 'say', text: { key: 'jobs:unknownEmployer' }, next: 'end' },
    requested: { kind: 'say', text: { key: 'jobs:employerRequested' }, next: 'end' },
    hub: {
      kind: 'ask',
      prompt: { key: 'jobs:recruiterHub' },
      input: { type: 'choice', choices: [{ id: 'post', label: 'jobs:postJob' }, { id: 'mine', label: 'jobs:myJobs' }, back] },
      save: 'pick',
      next: { switch: 'pick', cases: { post: 'post', mine: 'mine' }, default: 'end' },
    },
    post: { kind: 'call', dialog: 'jobs-post', next: 'hub' },
    mine: { kind: 'call', dialog: 'jobs-my-jobs', next: 'hub' },
    end: { kind: 'end' },
  },
};

/** A job, posted in chat by an approved recruiter. */
export const postDialog: DialogDef = {
  id: 'jobs-post',
  version: 1,
  start: 'title',
  steps: {
    title: { kind: 'ask', prompt: { key: 'jobs:askTitle' }, input: { type: 'text', schema: words(80), invalid: 'jobs:badText' }, save: 'title', next: 'description' },
    description: { kind: 'ask', prompt: { key: 'jobs:askDescription' }, input: { type: 'text', schema: words(2000), invalid: 'jobs:badText' }, save: 'description', next: 'noYears' },
    noYears: { kind: 'set', key: 'noYears', value: true, next: 'occupation' },
    occupation: { kind: 'call', dialog: 'jobs-occupation', args: ['noYears'], save: 'occupation', next: 'place' },
    place: {
      kind: 'ask',
      prompt: { key: 'jobs:askJobPlace' },
      input: { type: 'location', skip: { id: 'remote', label: 'jobs:remote' }, typed: words(80), invalid: 'jobs:badPlace', reducePin },
      save: 'place',
      next: 'contract',
    },
    contract: { kind: 'ask', prompt: { key: 'jobs:askContract' }, input: { type: 'choice', choices: CONTRACT_TYPES.map((id) => ({ id, label: `jobs:contract.${id}` })) }, save: 'contract', next: 'hours' },
    hours: {
      kind: 'ask',
      prompt: { key: 'jobs:askHours' },
      input: { type: 'text', schema: number(60).pipe(z.number().min(1)), invalid: 'jobs:badNumber' },
      save: 'hours',
      next: 'needsLanguage',
    },
    needsLanguage: { kind: 'ask', prompt: { key: 'jobs:askNeedsLanguage' }, input: yesNo, save: 'more', next: { switch: 'more', cases: { yes: 'requirement' }, default: 'skillsList' } },
    requirement: { kind: 'call', dialog: 'jobs-requirement', save: 'languages', append: true, next: 'needsLanguage' },
    skillsList: { kind: 'set', key: 'list', value: 'job-skills', next: 'skillOptions' },
    skillOptions: { kind: 'task', event: JOBS_EVENTS.options, save: 'options', next: 'skills' },
    skills: {
      kind: 'ask',
      prompt: { key: 'jobs:askJobSkills' },
      input: { type: 'multi', from: 'options.items', choices: [], done: { id: 'done', label: 'jobs:done' }, min: 0 },
      save: 'skills',
      next: 'pay',
    },
    pay: {
      kind: 'ask',
      prompt: { key: 'jobs:askPay' },
      input: { type: 'choice', choices: [skip], otherwise: { save: 'payTyped', next: 'closes' } },
      save: 'paySkipped',
      next: 'closes',
    },
    closes: {
      kind: 'ask',
      prompt: { key: 'jobs:askCloses' },
      input: { type: 'text', schema: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/), invalid: 'jobs:badDate' },
      save: 'closesOn',
      next: 'post',
    },
    post: { kind: 'task', event: JOBS_EVENTS.post, save: 'posted', next: { switch: 'posted.reason', cases: { '': 'posted', 'closes-in-past': 'pastDate' }, default: 'refused' } },
    pastDate: { kind: 'say', text: { key: 'jobs:badDate' }, next: 'closes' },
    posted: { kind: 'say', text: { key: 'jobs:posted' }, next: 'end' },
    refused: { kind: 'say', text: { key: 'jobs:notApproved' }, next: 'end' },
    end: { kind: 'end' },
  },
};

/** A language a job needs, with the lowest level that will do. */
export const requirementDialog: DialogDef = {
  id: 'jobs-requirement',
  version: 1,
  start: 'list',
  steps: {
    list: { kind: 'set', key: 'list', value: 'languages', next: 'languages' },
    languages: { kind: 'task', event: JOBS_EVENTS.options, save: 'options', next: 'language' },
    language: { kind: 'ask', prompt: { key: 'jobs:askJobLanguage' }, input: { type: 'choice', from: 'options.items', choices: [] }, save: 'lang', next: 'level' },
    level: { kind: 'ask', prompt: { key: 'jobs:askJobLevel' }, input: { type: 'choice', choices: CEFR_CHOICES }, save: 'level', next: 'done' },
    done: { kind: 'set', key: 'options', value: null, next: 'end' },
    end: { kind: 'end' },
  },
};

/** A recruiter's jobs: applications (short CVs and decisions), pause, resume, close. */
export const myJobsDialog: DialogDef = {
  id: 'jobs-my-jobs',
  version: 1,
  start: 'find',
  steps: {
    find: { kind: 'task', event: JOBS_EVENTS.myJobs, save: 'found', next: { switch: 'found.count', cases: { '0': 'none' }, default: 'list' } },
    none: { kind: 'say', text: { key: 'jobs:noJobsPosted' }, next: 'end' },
    list: {
      kind: 'ask',
      prompt: { key: 'jobs:yourJobs' },
      input: { type: 'choice', from: 'found.items', choices: [back] },
      save: 'jobId',
      next: { switch: 'jobId', cases: { back: 'end' }, default: 'detail' },
    },
    detail: { kind: 'task', event: JOBS_EVENTS.jobDetail, save: 'job', next: 'job' },
    job: {
      kind: 'ask',
      prompt: { key: 'jobs:recruiterJob' },
      input: {
        type: 'choice',
        from: 'job.items',
        choices: [
          { id: 'pause', label: 'jobs:pause', when: 'job.open' },
          { id: 'resume', label: 'jobs:resume', when: 'job.paused' },
          { id: 'close', label: 'jobs:close', when: 'job.notClosed' },
          { id: 'change', label: 'jobs:edit', when: 'job.notClosed' },
          back,
        ],
      },
      save: 'pick',
      next: { switch: 'pick', cases: { back: 'find', pause: 'edit', resume: 'edit', close: 'edit', change: 'field' }, default: 'application' },
    },
    field: {
      kind: 'ask',
      prompt: { key: 'jobs:askJobField' },
      input: { type: 'choice', choices: [...['title', 'description', 'hours', 'closes'].map((id) => ({ id, label: `jobs:jobField.${id}` })), back] },
      save: 'field',
      next: { switch: 'field', cases: { title: 'newTitle', description: 'newDescription', hours: 'newHours', closes: 'newCloses' }, default: 'detail' },
    },
    newTitle: { kind: 'ask', prompt: { key: 'jobs:askTitle' }, input: { type: 'text', schema: words(80), invalid: 'jobs:badText' }, save: 'value', next: 'edit' },
    newDescription: { kind: 'ask', prompt: { key: 'jobs:askDescription' }, input: { type: 'text', schema: words(2000), invalid: 'jobs:badText' }, save: 'value', next: 'edit' },
    newHours: { kind: 'ask', prompt: { key: 'jobs:askHours' }, input: { type: 'text', schema: number(60).pipe(z.number().min(1)), invalid: 'jobs:badNumber' }, save: 'value', next: 'edit' },
    newCloses: {
      kind: 'ask',
      prompt: { key: 'jobs:askCloses' },
      input: { type: 'text', schema: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/), invalid: 'jobs:badDate' },
      save: 'value',
      next: 'edit',
    },
    edit: { kind: 'task', event: JOBS_EVENTS.editJob, save: 'edited', next: { switch: 'edited.ok', cases: { true: 'edited' }, default: 'badEdit' } },
    badEdit: { kind: 'say', text: { key: 'jobs:badDate' }, next: 'detail' },
    edited: { kind: 'say', text: { key: 'jobs:jobUpdated' }, next: 'detail' },
    application: { kind: 'call', dialog: 'jobs-application', args: ['pick', 'jobId'], next: 'detail' },
    end: { kind: 'end' },
  },
};

/** One application as the recruiter reads it, and what they decide. */
export const applicationDialog: DialogDef = {
  id: 'jobs-application',
  version: 1,
  start: 'cv',
  steps: {
    cv: { kind: 'task', event: JOBS_EVENTS.applicationCv, save: 'cv', next: 'show' },
    show: {
      kind: 'ask',
      prompt: { key: 'jobs:applicationCv' },
      input: {
        type: 'choice',
        choices: [
          { id: 'shortlist', label: 'jobs:shortlist', when: 'cv.active' },
          { id: 'invite', label: 'jobs:invite', when: 'cv.active' },
          { id: 'decline', label: 'jobs:decline', when: 'cv.active' },
          { id: 'write', label: 'jobs:write', when: 'cv.active' },
          { id: 'original', label: 'jobs:original', when: 'cv.translated' },
          back,
        ],
      },
      save: 'decision',
      next: { switch: 'decision', cases: { shortlist: 'decide', invite: 'when', decline: 'reason', write: 'write', original: 'original' }, default: 'end' },
    },
    original: { kind: 'say', text: { key: 'jobs:originalText' }, next: 'show' },
    when: { kind: 'ask', prompt: { key: 'jobs:askInviteWhen' }, input: { type: 'text', schema: words(80), invalid: 'jobs:badText' }, save: 'inviteAt', next: 'where' },
    where: { kind: 'ask', prompt: { key: 'jobs:askInviteWhere' }, input: { type: 'text', schema: words(200), invalid: 'jobs:badText' }, save: 'inviteWhere', next: 'decide' },
    reason: { kind: 'ask', prompt: { key: 'jobs:askDeclineReason' }, input: { type: 'choice', choices: DECLINE_REASONS.map((id) => ({ id, label: `jobs:declineReason.${id}` })) }, save: 'reason', next: 'decide' },
    decide: { kind: 'task', event: JOBS_EVENTS.decide, save: 'decided', next: 'decided' },
    decided: { kind: 'say', text: { key: 'jobs:decisionSent' }, next: 'cv' },
    // Writing goes through the shared relay, opened at once: pseudonymous, translated both ways.
    write: { kind: 'set', key: 'subjectKind', value: 'job-application', next: 'writeAbout' },
    writeAbout: { kind: 'set', key: 'subjectId', from: 'pick', next: 'writeTo' },
    writeTo: { kind: 'set', key: 'toPersonId', from: 'cv.personId', next: 'writeOpen' },
    writeOpen: { kind: 'set', key: 'open', value: true, next: 'relay' },
    relay: { kind: 'call', dialog: 'relay-request', args: ['subjectKind', 'subjectId', 'toPersonId', 'open'], save: 'contact', next: 'cv' },
    end: { kind: 'end' },
  },
};


/** Every dialog of the jobs flow. */
export const JOBS_DIALOGS: readonly DialogDef[] = [
  jobsDialog,
  forMeDialog,
  myApplicationsDialog,
  myProfileDialog,
  recruiterDialog,
  postDialog,
  requirementDialog,
  myJobsDialog,
  applicationDialog,
  occupationDialog,
  languageLevelDialog,
  educationDialog,
  profileDialog,
];
