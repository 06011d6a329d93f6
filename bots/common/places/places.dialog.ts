import { z } from 'zod';
import type { DialogDef } from '../../../core/dialog/dialog-definition.ts';
import { reducePin } from './coarse-place.ts';

/** Tasks of the place sub-dialog (see places.effects.ts). */
export const PLACE_EVENTS = {
  /** The person's onboarding place, when it is clear: `{kind: 'found', place, label}` or `{kind: 'none'}`. */
  known: 'places.known',
  /** Reads `answer` (a reduced pin or a typed name): a PlaceLookup with `options` for a list. */
  resolve: 'places.resolve',
  /** Reads `town` (a GeoNames id picked from the list): `{kind: 'found', place}`. */
  pick: 'places.pick',
} as const;

/** A typed town or district: short, one line (a 500-character paste is re-asked, kindly). */
export const typedTownSchema = z
  .string()
  .trim()
  .min(2)
  .max(80)
  .refine((s) => !s.includes('\n'));

/** Id of the place sub-dialog; its result (`end`) is a CoarsePlace, or null when the person went back. */
export const PLACE_DIALOG = 'place';

/**
 * Where is it? Offers the onboarding place first, then a pin (reduced to a coarse cell before
 * it is stored) or a typed town matched against the offline gazetteer: a list when the name is
 * ambiguous, a kind hint when nothing matches (Latin letters, or a pin), a polite word for a
 * pin at sea. Shared by the exchange and jobs.
 */
export const placeDialog: DialogDef = {
  id: PLACE_DIALOG,
  version: 1,
  start: 'known',
  steps: {
    known: { kind: 'task', event: PLACE_EVENTS.known, save: 'known', next: { switch: 'known.kind', cases: { found: 'useKnown' }, default: 'ask' }, onError: 'ask' },
    useKnown: {
      kind: 'ask',
      prompt: { key: 'common:places.useKnown' },
      input: {
        type: 'choice',
        choices: [
          { id: 'yes', label: 'common:yes', means: 'yes' },
          { id: 'other', label: 'common:places.another', means: 'no' },
        ],
      },
      save: 'useKnown',
      next: { switch: 'useKnown', cases: { yes: 'keepKnown' }, default: 'ask' },
    },
    keepKnown: { kind: 'set', key: 'place', from: 'known.place', next: 'done' },
    ask: {
      kind: 'ask',
      prompt: { key: 'common:places.ask' },
      input: { type: 'location', skip: { id: 'back', label: 'common:places.back' }, typed: typedTownSchema, invalid: 'common:places.badText', reducePin },
      save: 'answer',
      next: { switch: 'answer.type', cases: { '': 'cancel' }, default: 'resolve' },
    },
    resolve: {
      kind: 'task',
      event: PLACE_EVENTS.resolve,
      save: 'found',
      next: { switch: 'found.kind', cases: { found: 'take', several: 'pick', far: 'far', none: 'none' }, default: 'ask' },
    },
    take: { kind: 'set', key: 'place', from: 'found.place', next: 'said' },
    said: { kind: 'say', text: { key: 'common:places.set' }, next: 'done' },
    pick: {
      kind: 'ask',
      prompt: { key: 'common:places.pick' },
      input: { type: 'choice', from: 'found.options', choices: [{ id: 'retype', label: 'common:places.noneOfThese' }] },
      save: 'town',
      next: { switch: 'town', cases: { retype: 'ask' }, default: 'picked' },
    },
    picked: { kind: 'task', event: PLACE_EVENTS.pick, save: 'found', next: { switch: 'found.kind', cases: { found: 'take' }, default: 'ask' } },
    far: { kind: 'say', text: { key: 'common:places.far' }, next: 'ask' },
    none: { kind: 'route', next: { switch: 'found.script', cases: { true: 'noneScript' }, default: 'noneLatin' } },
    noneLatin: { kind: 'say', text: { key: 'common:places.notFound' }, next: 'ask' },
    noneScript: { kind: 'say', text: { key: 'common:places.notFoundScript' }, next: 'ask' },
    cancel: { kind: 'set', key: 'place', value: null, next: 'done' },
    done: { kind: 'end', result: 'place' },
  },
};
