import { z } from 'zod';
import type { Json } from '../../../core/dialog/json.ts';
import type { EffectHandler } from '../../../core/pipeline/effects.ts';
import type { CoarsePlace } from './coarse-place.ts';
import type { Gazetteer } from './gazetteer.ts';
import { defaultPlace, lookupPin, lookupTyped, placeLabel, townChoices, townPlace, type PlaceLookup } from './place-lookup.ts';
import { PLACE_EVENTS, typedTownSchema } from './places.dialog.ts';

const answerSchema = z.object({
  answer: z.union([
    z.object({ type: z.literal('pin'), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
    z.object({ type: z.literal('typed'), text: typedTownSchema }),
  ]),
});
const pickSchema = z.object({ town: z.string().regex(/^\d{1,12}$/) });

/** A found place as the dialog keeps it, with its label in the reader's language. */
function found(place: CoarsePlace, lang: string): Json {
  return { kind: 'found', place, label: placeLabel(place, lang) };
}

function asResult(lookup: PlaceLookup, lang: string): Json {
  switch (lookup.kind) {
    case 'found':
      return found(lookup.place, lang);
    case 'several':
      return { kind: 'several', options: townChoices(lookup.towns, lang).map((c) => ({ ...c })) };
    case 'none':
      return { kind: 'none', script: lookup.script };
    case 'far':
      return { kind: 'far' };
  }
}

/**
 * Effects of the place sub-dialog. Pure look-ups (no store writes), so replays are harmless.
 * Logs never carry the place: only that a look-up ran.
 */
export function placeEffects(deps: { readonly gazetteer: () => Gazetteer; readonly defaultLang: string }): ReadonlyMap<string, EffectHandler> {
  const langOf = (person: { lang: string } | null): string => person?.lang ?? deps.defaultLang;
  const known: EffectHandler = async (_event, { person }) => {
    const place = defaultPlace(deps.gazetteer(), person?.place ?? null);
    return place ? found(place, langOf(person)) : { kind: 'none' };
  };
  const resolve: EffectHandler = async (event, { person }) => {
    const { answer } = answerSchema.parse(event.payload);
    const lookup = answer.type === 'pin' ? lookupPin(deps.gazetteer(), answer) : lookupTyped(deps.gazetteer(), answer.text);
    return asResult(lookup, langOf(person));
  };
  const pick: EffectHandler = async (event, { person }) => {
    const { town } = pickSchema.parse(event.payload);
    const hit = deps.gazetteer().byId(Number(town));
    return hit ? found(townPlace(hit), langOf(person)) : { kind: 'none', script: false };
  };
  return new Map([
    [PLACE_EVENTS.known, known],
    [PLACE_EVENTS.resolve, resolve],
    [PLACE_EVENTS.pick, pick],
  ]);
}
