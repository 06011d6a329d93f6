import { z } from 'zod';
import type { DialogDef } from '../../core/dialog/dialog-definition.ts';
import { firstNameSchema } from '../../core/text/people-text.ts';
import { FREE_TEXT_EVENTS } from '../common/free-text-router.ts';
import { reducePin } from '../common/places/coarse-place.ts';

/** Event emitted once the person agreed and answered; its payload is the dialog data. */
export const ONBOARDING_COMPLETED = 'onboarding.completed';
/** Event emitted when the person declines the privacy notice: what a channel kept of the exchange goes. */
export const ONBOARDING_REFUSED = 'onboarding.refused';

const agreeOrNot = {
  type: 'choice',
  choices: [
    { id: 'agree', label: 'onboarding:agree', means: 'yes' },
    { id: 'disagree', label: 'onboarding:disagree', means: 'no' },
  ],
} as const;

/** A first name: the one rule for names wherever they come from (sign-up, CSV import). */
export { firstNameSchema };

/** A typed place (town or postcode), for channels that cannot share a pin. */
export const typedPlaceSchema = z.string().trim().min(2).max(80);

/**
 * Onboarding: language, privacy consent, role, first name, optional place, then the menu (or
 * the organisation of the deep link the person came through).
 * Nothing is kept about a person who declines, beyond the conversation's language.
 */
export const onboardingDialog: DialogDef = {
  id: 'onboarding',
  version: 2,
  start: 'first',
  steps: {
    // A stranger's first words may answer a broadcast they received as an imported contact.
    first: { kind: 'route', next: { switch: 'firstText', cases: { '': 'language' }, default: 'firstReply' } },
    firstReply: {
      kind: 'task',
      event: FREE_TEXT_EVENTS.first.name,
      save: 'first',
      next: { switch: 'first.kind', cases: { replied: 'useLang' }, default: 'language' },
    },
    useLang: { kind: 'use-language', from: 'first.lang', next: 'replyNotice' },
    replyNotice: { kind: 'say', text: { key: 'onboarding:replyForwarded' }, next: 'language' },
    language: { kind: 'ask', prompt: { key: 'common:pickLanguage' }, input: { type: 'language' }, save: 'lang', next: 'privacy' },
    privacy: {
      kind: 'ask',
      prompt: { key: 'onboarding:privacy' },
      input: agreeOrNot,
      save: 'consent',
      next: { switch: 'consent', cases: { agree: 'role' }, default: 'refused' },
    },
    // Declining leaves nothing to erase in a store (a person is created only on completion), but
    // the conversation still holds the first words they wrote: they go, the language stays.
    refused: { kind: 'set', key: 'firstText', value: null, next: 'forgetReply' },
    forgetReply: { kind: 'set', key: 'first', value: null, next: 'forgetPage' },
    forgetPage: { kind: 'emit', event: ONBOARDING_REFUSED, next: 'refusedNotice' },
    refusedNotice: { kind: 'say', text: { key: 'onboarding:refused' }, next: 'reconsider' },
    reconsider: {
      kind: 'ask',
      prompt: { key: 'onboarding:reconsider' },
      input: agreeOrNot,
      save: 'consent',
      next: { switch: 'consent', cases: { agree: 'role' }, default: 'refusedNotice' },
    },
    role: {
      kind: 'ask',
      prompt: { key: 'onboarding:askRole' },
      input: {
        type: 'choice',
        choices: [
          { id: 'newcomer', label: 'onboarding:roleNewcomer' },
          { id: 'resident', label: 'onboarding:roleResident' },
          { id: 'ngo-staff', label: 'onboarding:roleStaff' },
          { id: 'recruiter', label: 'onboarding:roleRecruiter' },
        ],
      },
      save: 'role',
      next: 'name',
    },
    name: {
      kind: 'ask',
      prompt: { key: 'onboarding:askName' },
      input: { type: 'text', schema: firstNameSchema, invalid: 'onboarding:badName' },
      save: 'firstName',
      next: 'place',
    },
    place: {
      kind: 'ask',
      prompt: { key: 'onboarding:askPlace' },
      // The pin is kept as its coarse cell's centre: the exact point is never stored.
      input: { type: 'location', skip: { id: 'skip', label: 'onboarding:skip' }, typed: typedPlaceSchema, invalid: 'onboarding:badPlace', reducePin },
      save: 'place',
      next: 'register',
    },
    register: { kind: 'emit', event: ONBOARDING_COMPLETED, next: 'welcome' },
    welcome: {
      kind: 'say',
      text: { key: 'onboarding:welcome' },
      next: { switch: 'role', cases: { 'ngo-staff': 'pending', recruiter: 'pending' }, default: 'menu' },
    },
    pending: { kind: 'say', text: { key: 'onboarding:pending' }, next: 'menu' },
    menu: { kind: 'route', next: { switch: 'startPayload', cases: { '': 'toMenu' }, default: 'toJoin' } },
    toMenu: { kind: 'goto', dialog: 'menu', args: ['role'] },
    // Came through a deep link (`/start code`): join that organisation once signed up.
    toJoin: { kind: 'goto', dialog: 'join', args: ['role', 'startPayload'] },
  },
};
