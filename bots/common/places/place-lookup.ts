import type { Choice } from '../../../core/messages.ts';
import type { Place } from '../../../core/ports/people.port.ts';
import { cellOf, type CoarsePlace } from './coarse-place.ts';
import type { Gazetteer, Town } from './gazetteer.ts';

/** A pin farther than this from any town of 1,000 people is "far from any town" (at sea). */
export const NO_TOWN_BEYOND_KM = 40;
/** Candidates offered for an ambiguous name. */
export const MAX_CANDIDATES = 5;
/** A typed default (from onboarding) is taken when its biggest match is this many times the next. */
const DOMINANT = 10;

/** What a shared pin or a typed name turned out to be. */
export type PlaceLookup =
  | { readonly kind: 'found'; readonly place: CoarsePlace }
  /** Several towns have that name: the person picks one. */
  | { readonly kind: 'several'; readonly towns: readonly Town[] }
  /** Nothing matches; `script` is true when the name is not in Latin letters (the gazetteer's). */
  | { readonly kind: 'none'; readonly script: boolean }
  /** A pin far from any town. */
  | { readonly kind: 'far' };

/** A town as a place: the coarse cell of its centre. */
export function townPlace(town: Town): CoarsePlace {
  return { type: 'area', ...cellOf(town.latitude, town.longitude), town: town.name, country: town.country };
}

/** True when the text has letters and some are not Latin (Arabic, Persian, Ethiopic, Cyrillic...). */
export function hasNonLatinLetters(text: string): boolean {
  return /\p{L}/u.test(text) && /[^\p{Script=Latin}\P{L}]/u.test(text);
}

/** A pin (already reduced to its cell): the nearest town names it; none near means at sea. */
export function lookupPin(gazetteer: Gazetteer, pin: { latitude: number; longitude: number }): PlaceLookup {
  const { cell, latitude, longitude } = cellOf(pin.latitude, pin.longitude);
  const town = gazetteer.nearest(latitude, longitude, NO_TOWN_BEYOND_KM);
  if (!town) return { kind: 'far' };
  return { kind: 'found', place: { type: 'area', cell, latitude, longitude, town: town.name, country: town.country } };
}

/** A typed town or district: one match, several to choose from, or none. */
export function lookupTyped(gazetteer: Gazetteer, text: string): PlaceLookup {
  const towns = gazetteer.find(text, MAX_CANDIDATES);
  if (towns.length === 1) return { kind: 'found', place: townPlace(towns[0]!) };
  if (towns.length > 1) return { kind: 'several', towns };
  return { kind: 'none', script: hasNonLatinLetters(text) };
}

/**
 * The place a person gave at onboarding, as a coarse place, when it is clear: a pin (reduced
 * again, since older rows may hold the exact point), or a typed name with one clear match.
 */
export function defaultPlace(gazetteer: Gazetteer, place: Place | null): CoarsePlace | null {
  if (!place) return null;
  if (place.type === 'pin') {
    const found = lookupPin(gazetteer, place);
    return found.kind === 'found' ? found.place : null;
  }
  const towns = gazetteer.find(place.text, 2);
  const [first, second] = towns;
  if (!first) return null;
  if (!second || first.population >= DOMINANT * Math.max(1, second.population)) return townPlace(first);
  return null;
}

const countryNames = new Map<string, Intl.DisplayNames>();

/** A country's name in the reader's language (ICU's names), or its English name, or its code. */
export function countryName(code: string, lang: string): string {
  for (const locale of [lang, 'en']) {
    let names = countryNames.get(locale);
    if (!names) {
      names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
      countryNames.set(locale, names);
    }
    const name = names.of(code);
    if (name && name !== code) return name;
  }
  return code;
}

/** Candidates as a list from data: the town's name, then its region and country. */
export function townChoices(towns: readonly Town[], lang: string): Choice[] {
  return towns.map((town) => ({
    id: String(town.id),
    label: town.name,
    description: [town.region, countryName(town.country, lang)].filter((s) => s.length > 0).join(', '),
  }));
}

/** How a place is named back to the person: "Saint-Denis, France". */
export function placeLabel(place: CoarsePlace, lang: string): string {
  return `${place.town}, ${countryName(place.country, lang)}`;
}
