import { z } from 'zod';
import type { ChoiceSpec, DialogDef, InputSpec, Next } from '../../core/dialog/dialog-definition.ts';
import { normalizeAnswer } from '../../core/dialog/normalize-answer.ts';
import { JOBS_EVENTS } from './jobs.events.ts';
import { reducePin } from '../common/places/coarse-place.ts';

const yesNo: InputSpec = {
  type: 'choice',
  choices: [
    { id: 'yes', label: 'jobs:yes', means: 'yes' },
    { id: 'no', label: 'jobs:no', means: 'no' },
  ],
};
const yesNoUnknown: InputSpec = {
  type: 'choice',
  choices: [
    { id: 'yes', label: 'jobs:yes', means: 'yes' },
    { id: 'no', label: 'jobs:no', means: 'no' },
    { id: 'unknown', label: 'jobs:dontKnow' },
  ],
};
/** A can-do question: yes, a little, no, or "I don't know". */
const canDo: InputSpec = {
  type: 'choice',
  choices: [
    { id: 'yes', label: 'jobs:yes', means: 'yes' },
    { id: 'little', label: 'jobs:aLittle' },
    { id: 'no', label: 'jobs:no', means: 'no' },
    { id: 'unknown', label: 'jobs:dontKnow' },
  ],
};
const skip: ChoiceSpec = { id: 'skip', label: 'jobs:skip' };
const level = (id: string): ChoiceSpec => ({ id, label: `jobs:level.${id}` });
/** CEFR levels a certificate (or a job's requirement) states. */
export const CEFR_CHOICES: readonly ChoiceSpec[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'].map(level);

/** A small whole number, typed with any digits ("6", "٦", "۶"). */
export const number = (max: number) => z.string().transform(normalizeAnswer).pipe(z.string().regex(/^\d{1,3}$/)).transform(Number).pipe(z.number().int().min(0).max(max));
const words = (max: number) => z.string().trim().min(2).max(max);

/** An options task: its kind and parameters are data (`list`, `group`), its options land in `options`. */
const optionsTask = (next: Next) => ({ kind: 'task', event: JOBS_EVENTS.options, save: 'options', next }) as const;

/**
 * One occupation: a group, then an occupation of it (or typed), then the years of experience
 * (a job's occupation skips the years: `noYears`). Ends with its whole data.
 */
export const occupationDialog: DialogDef = {
  id: 'jobs-occupation',
  version: 1,
  start: 'groupsList',
  steps: {
    groupsList: { kind: 'set', key: 'list', value: 'groups', next: 'groups' },
    groups: optionsTask('group'),
    group: {
      kind: 'ask',
      prompt: { key: 'jobs:askGroup' },
      input: { type: 'choice', from: 'options.items', choices: [], otherwise: { save: 'typed', next: 'years' } },
      save: 'group',
      next: 'occupationsList',
    },
    occupationsList: { kind: 'set', key: 'list', value: 'occupations', next: 'occupations' },
    occupations: optionsTask('occupation'),
    occupation: {
      kind: 'ask',
      prompt: { key: 'jobs:askOccupation' },
      input: { type: 'choice', from: 'options.items', choices: [], otherwise: { save: 'typed', next: 'years' } },
      save: 'occupation',
      next: 'years',
    },
    years: { kind: 'route', next: { switch: 'noYears', cases: { '': 'askYears' }, default: 'done' } },
    askYears: {
      kind: 'ask',
      prompt: { key: 'jobs:askYears' },
      input: { type: 'text', schema: number(60), invalid: 'jobs:badNumber' },
      save: 'years',
      next: 'done',
    },
    done: { kind: 'set', key: 'options', value: null, next: 'end' },
    end: { kind: 'end' },
  },
};

/**
 * One language with a level: native, a certificate's level, or the three-question self-check in
 * the person's own language ("I don't know" stops it at the level reached).
 */
export const languageLevelDialog: DialogDef = {
  id: 'jobs-language',
  version: 1,
  start: 'list',
  steps: {
    list: { kind: 'set', key: 'list', value: 'languages', next: 'languages' },
    languages: optionsTask('language'),
    language: { kind: 'ask', prompt: { key: 'jobs:askLanguage' }, input: { type: 'choice', from: 'options.items', choices: [] }, save: 'lang', next: 'how' },
    how: {
      kind: 'ask',
      prompt: { key: 'jobs:askHow' },
      input: {
        type: 'choice',
        choices: [
          { id: 'native', label: 'jobs:howNative' },
          { id: 'certificate', label: 'jobs:howCertificate' },
          { id: 'self-check', label: 'jobs:howSelfCheck' },
        ],
      },
      save: 'how',
      next: { switch: 'how', cases: { certificate: 'certificate', 'self-check': 'q1' }, default: 'done' },
    },
    certificate: { kind: 'ask', prompt: { key: 'jobs:askCertificate' }, input: { type: 'choice', choices: CEFR_CHOICES }, save: 'certificate', next: 'done' },
    q1: { kind: 'ask', prompt: { key: 'jobs:canDo1' }, input: canDo, save: 'q1', next: { switch: 'q1', cases: { yes: 'q2' }, default: 'done' } },
    q2: { kind: 'ask', prompt: { key: 'jobs:canDo2' }, input: canDo, save: 'q2', next: { switch: 'q2', cases: { yes: 'q3' }, default: 'done' } },
    q3: { kind: 'ask', prompt: { key: 'jobs:canDo3' }, input: canDo, save: 'q3', next: 'done' },
    done: { kind: 'set', key: 'options', value: null, next: 'end' },
    end: { kind: 'end' },
  },
};

/** One diploma or schooling: level, field, country, year, finished, recognised. */
export const educationDialog: DialogDef = {
  id: 'jobs-education',
  version: 1,
  start: 'level',
  steps: {
    level: {
      kind: 'ask',
      prompt: { key: 'jobs:askEducationLevel' },
      input: { type: 'choice', choices: ['primary', 'secondary', 'vocational', 'bachelor', 'master', 'doctorate'].map((id) => ({ id, label: `jobs:education.${id}` })) },
      save: 'level',
      next: 'field',
    },
    field: { kind: 'ask', prompt: { key: 'jobs:askField' }, input: { type: 'text', schema: words(80), invalid: 'jobs:badText' }, save: 'field', next: 'countries' },
    countries: { kind: 'set', key: 'list', value: 'countries', next: 'countryList' },
    countryList: optionsTask('country'),
    country: {
      kind: 'ask',
      prompt: { key: 'jobs:askCountry' },
      input: { type: 'choice', from: 'options.items', choices: [], otherwise: { save: 'countryTyped', next: 'year' } },
      save: 'country',
      next: 'year',
    },
    year: {
      kind: 'ask',
      prompt: { key: 'jobs:askYear' },
      input: { type: 'choice', choices: [skip], otherwise: { save: 'yearTyped', next: 'finished' } },
      save: 'yearSkipped',
      next: 'finished',
    },
    finished: { kind: 'ask', prompt: { key: 'jobs:askFinished' }, input: yesNo, save: 'finished', next: 'recognised' },
    recognised: {
      kind: 'ask',
      prompt: { key: 'jobs:askRecognised' },
      input: {
        type: 'choice',
        choices: [
          { id: 'yes', label: 'jobs:yes', means: 'yes' },
          { id: 'in-progress', label: 'jobs:inProgress' },
          { id: 'no', label: 'jobs:no', means: 'no' },
          { id: 'unknown', label: 'jobs:dontKnow' },
        ],
      },
      save: 'recognised',
      next: 'done',
    },
    done: { kind: 'set', key: 'options', value: null, next: 'end' },
    end: { kind: 'end' },
  },
};

/** After a section: the next one when building the whole profile, else save (changing one part). */
const then = (section: string): Next => ({ switch: 'part', cases: { '': section }, default: 'save' });

/**
 * The candidate's profile, built in chat; `part` (from "My profile") asks only that section
 * again. Nothing is stored until the end (`save`).
 */
export const profileDialog: DialogDef = {
  id: 'jobs-profile',
  version: 1,
  start: 'route',
  steps: {
    route: {
      kind: 'route',
      next: {
        switch: 'part',
        cases: { '': 'intro', occupations: 'occupation', skills: 'skillsList', languages: 'language', education: 'hasEducation', availability: 'availability', area: 'area', rightToWork: 'rtwExplain', visibility: 'visible' },
        default: 'intro',
      },
    },
    intro: { kind: 'say', text: { key: 'jobs:profileIntro' }, next: 'occupation' },
    occupation: { kind: 'call', dialog: 'jobs-occupation', save: 'occupations', append: true, next: 'moreOccupations' },
    moreOccupations: { kind: 'ask', prompt: { key: 'jobs:askMoreOccupations' }, input: yesNo, save: 'more', next: { switch: 'more', cases: { yes: 'occupation' }, default: 'afterOccupations' } },
    afterOccupations: { kind: 'route', next: then('skillsList') },
    skillsList: { kind: 'set', key: 'list', value: 'skills', next: 'skillOptions' },
    skillOptions: optionsTask('skills'),
    skills: {
      kind: 'ask',
      prompt: { key: 'jobs:askSkills' },
      input: { type: 'multi', from: 'options.items', choices: [], done: { id: 'done', label: 'jobs:done' }, min: 0 },
      save: 'skills',
      next: 'skillsText',
    },
    skillsText: {
      kind: 'ask',
      prompt: { key: 'jobs:askSkillsText' },
      input: { type: 'choice', choices: [skip], otherwise: { save: 'skillsTyped', next: 'afterSkills' } },
      save: 'skillsSkipped',
      next: 'afterSkills',
    },
    afterSkills: { kind: 'set', key: 'options', value: null, next: 'afterSkills2' },
    afterSkills2: { kind: 'route', next: then('language') },
    language: { kind: 'call', dialog: 'jobs-language', save: 'languages', append: true, next: 'moreLanguages' },
    moreLanguages: { kind: 'ask', prompt: { key: 'jobs:askMoreLanguages' }, input: yesNo, save: 'more', next: { switch: 'more', cases: { yes: 'language' }, default: 'afterLanguages' } },
    afterLanguages: { kind: 'route', next: then('hasEducation') },
    hasEducation: { kind: 'ask', prompt: { key: 'jobs:askHasEducation' }, input: yesNo, save: 'hasEducation', next: { switch: 'hasEducation', cases: { yes: 'education' }, default: 'noEducation' } },
    noEducation: { kind: 'set', key: 'education', value: [], next: 'afterEducation' },
    education: { kind: 'call', dialog: 'jobs-education', save: 'education', append: true, next: 'moreEducation' },
    moreEducation: { kind: 'ask', prompt: { key: 'jobs:askMoreEducation' }, input: yesNo, save: 'more', next: { switch: 'more', cases: { yes: 'education' }, default: 'afterEducation' } },
    afterEducation: { kind: 'route', next: then('availability') },
    availability: {
      kind: 'ask',
      prompt: { key: 'jobs:askAvailability' },
      input: { type: 'choice', choices: ['now', 'weeks', 'months'].map((id) => ({ id, label: `jobs:available.${id}` })) },
      save: 'availability',
      next: then('area'),
    },
    area: {
      kind: 'ask',
      prompt: { key: 'jobs:askArea' },
      input: { type: 'location', skip, typed: words(80), invalid: 'jobs:badPlace', reducePin },
      save: 'area',
      next: 'travel',
    },
    travel: {
      kind: 'ask',
      prompt: { key: 'jobs:askTravel' },
      input: { type: 'text', schema: number(200), invalid: 'jobs:badNumber' },
      save: 'travelKm',
      next: then('rtwExplain'),
    },
    rtwExplain: { kind: 'say', text: { key: 'jobs:rightToWorkWhy' }, next: 'rtwConsent' },
    rtwConsent: { kind: 'ask', prompt: { key: 'jobs:askRightToWorkConsent' }, input: yesNo, save: 'rtwConsent', next: { switch: 'rtwConsent', cases: { yes: 'rtw' }, default: 'rtwNone' } },
    rtwNone: { kind: 'set', key: 'rightToWork', value: null, next: 'afterRtw' },
    rtw: { kind: 'ask', prompt: { key: 'jobs:askRightToWork' }, input: yesNoUnknown, save: 'rightToWork', next: 'afterRtw' },
    afterRtw: { kind: 'route', next: then('visible') },
    visible: { kind: 'ask', prompt: { key: 'jobs:askVisible' }, input: yesNo, save: 'visible', next: { switch: 'part', cases: { '': 'alerts' }, default: 'save' } },
    alerts: { kind: 'ask', prompt: { key: 'jobs:askAlerts' }, input: yesNo, save: 'alerts', next: 'save' },
    save: { kind: 'task', event: JOBS_EVENTS.saveProfile, save: 'saved', next: 'saved' },
    saved: { kind: 'say', text: { key: 'jobs:profileSaved' }, next: 'end' },
    end: { kind: 'end' },
  },
};
