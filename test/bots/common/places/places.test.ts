import { getResolution, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { PLACE_RESOLUTION, cellOf, distanceKm, reducePin, roundedDistance } from '../../../../bots/common/places/coarse-place.ts';
import { gazetteer } from '../../../../bots/common/places/gazetteer.ts';
import { defaultPlace, hasNonLatinLetters, lookupPin, lookupTyped, townChoices } from '../../../../bots/common/places/place-lookup.ts';
import { loadLocales } from '../../../../bots/locales.ts';
import { createTextRenderer } from '../../../../core/i18n/text-renderer.ts';
import { person, placeChat } from './place-harness.ts';

const t = createTextRenderer(loadLocales());
const g = gazetteer();
const pin = (latitude: number, longitude: number) => ({ kind: 'message', content: { type: 'location', latitude, longitude } }) as const;
const say = (text: string) => ({ kind: 'message', content: { type: 'text', text } }) as const;
const tap = (choiceId: string) => ({ kind: 'message', content: { type: 'choice', choiceId } }) as const;

// Rue de la République, Saint-Denis: an exact point a person shares.
const EXACT = { latitude: 48.936181, longitude: 2.357443 };

describe('a shared pin', () => {
  it('is reduced at once to its coarse cell (resolution 7, about 2.5 km across) and the centre of that cell', () => {
    const reduced = reducePin(EXACT.latitude, EXACT.longitude);
    expect(reduced.cell).toBe(latLngToCell(EXACT.latitude, EXACT.longitude, PLACE_RESOLUTION));
    expect(getResolution(reduced.cell)).toBe(7);
    expect(reduced.latitude).not.toBe(EXACT.latitude);
    expect(distanceKm(reduced, EXACT)).toBeLessThan(2);
    // Everyone in the cell gets the same centre: the point itself cannot be recovered.
    expect(reducePin(reduced.latitude, reduced.longitude)).toEqual(reduced);
  });

  it('is named after the nearest town; a pin at sea has none', () => {
    expect(lookupPin(g, EXACT)).toMatchObject({ kind: 'found', place: { type: 'area', town: 'Saint-Denis', country: 'FR', cell: cellOf(EXACT.latitude, EXACT.longitude).cell } });
    expect(lookupPin(g, { latitude: 0, longitude: -30 })).toEqual({ kind: 'far' });
  });
});

describe('distances', () => {
  it.each([
    [0.2, 'en', 'less than 1 km'],
    [0.99, 'fr', 'moins de 1 km'],
    [1.4, 'en', 'about 1 km'],
    [2.6, 'fr', 'environ 3 km'],
    [2.6, 'ar', 'حوالي 3 كم'],
    [23.4, 'uk', 'приблизно 25 км'],
    [48, 'tr', 'yaklaşık 50 km'],
  ])('%s km reads "%s" in %s', (km, lang, said) => {
    const rounded = roundedDistance(km);
    expect(t(lang, rounded.key, rounded)).toBe(said);
  });
});

describe('a typed town', () => {
  it('matches without accents or case, with hyphens or spaces', () => {
    for (const typed of ['AUBERVILLIERS', 'aubervilliers ', 'Aubervilliers']) {
      expect(lookupTyped(g, typed)).toMatchObject({ kind: 'found', place: { town: 'Aubervilliers', country: 'FR' } });
    }
    expect(g.find('saint denis', 5)[0]).toMatchObject({ name: 'Saint-Denis' });
    expect(g.find('St Denis', 5)[0]).toMatchObject({ name: 'Saint-Denis' });
    expect(g.find('munchen', 1)).toEqual(g.find('München', 1));
    expect(lookupTyped(g, 'Montreuil')).toMatchObject({ kind: 'several' });
  });

  it('offers the candidates of an ambiguous name, biggest first, with region and country in the reader\'s language', () => {
    const found = lookupTyped(g, 'Saint-Denis');
    if (found.kind !== 'several') throw new Error(found.kind);
    const choices = townChoices(found.towns, 'fr');
    expect(choices.slice(0, 2)).toEqual([
      { id: '935264', label: 'Saint-Denis', description: 'Reunion, La Réunion' },
      { id: '2980916', label: 'Saint-Denis', description: 'Île-de-France, France' },
    ]);
    expect(townChoices(found.towns, 'ar')[1]!.description).toBe('Île-de-France, فرنسا');
  });

  it('finds nothing for an unknown name; a name in another script is told to use Latin letters', () => {
    expect(lookupTyped(g, 'Qwzxtplk')).toEqual({ kind: 'none', script: false });
    expect(lookupTyped(g, 'دمشق')).toEqual({ kind: 'none', script: true });
    expect(lookupTyped(g, 'ሓሙሲየን')).toEqual({ kind: 'none', script: true });
    expect(hasNonLatinLetters('Київ')).toBe(true);
    expect(hasNonLatinLetters('Île-de-France 93')).toBe(false);
  });

  it("takes onboarding's place as the default when it is clear", () => {
    expect(defaultPlace(g, { type: 'typed', text: 'aubervilliers' })).toMatchObject({ town: 'Aubervilliers' });
    // Paris, France is far bigger than every other Paris.
    expect(defaultPlace(g, { type: 'typed', text: 'paris' })).toMatchObject({ town: 'Paris', country: 'FR' });
    // Saint-Denis of La Réunion and of Île-de-France are about as big: no default.
    expect(defaultPlace(g, { type: 'typed', text: 'Saint-Denis' })).toBeNull();
    expect(defaultPlace(g, { type: 'pin', ...EXACT })).toMatchObject({ town: 'Saint-Denis', latitude: reducePin(EXACT.latitude, EXACT.longitude).latitude });
    expect(defaultPlace(g, null)).toBeNull();
  });
});

describe('the place sub-dialog', () => {
  const fr = (key: string, params?: Record<string, string>) => t('fr', key, params);

  it('offers the onboarding place; "another place" asks for a pin, which is kept only as its cell', async () => {
    const chat = placeChat(person('fr', { type: 'typed', text: 'Aubervilliers' }));
    expect(await chat.send(say('hello'))).toEqual([fr('common:places.useKnown', { 'known.label': 'Aubervilliers, France' }), [fr('common:yes'), fr('common:places.another')]]);
    expect(await chat.send(tap('other'))).toEqual([fr('common:places.ask'), [fr('common:places.back')]]);
    const out = await chat.send(pin(EXACT.latitude, EXACT.longitude));
    expect(out[0]).toBe('📍 D\'accord : Saint-Denis, France.');
    const stored = JSON.stringify(chat.session);
    expect(stored).not.toContain(String(EXACT.latitude));
    expect(stored).not.toContain(String(EXACT.longitude));
    expect(chat.session?.data['place']).toEqual({ type: 'area', ...cellOf(EXACT.latitude, EXACT.longitude), town: 'Saint-Denis', country: 'FR' });
  });

  it('keeps the onboarding place with "yes"', async () => {
    const chat = placeChat(person('fr', { type: 'typed', text: 'Aubervilliers' }));
    await chat.send(say('hello'));
    await chat.send(say('oui'));
    expect(chat.session?.data['place']).toMatchObject({ town: 'Aubervilliers', country: 'FR' });
  });

  it('lists an ambiguous name, and "none of these" asks again', async () => {
    const chat = placeChat(person('en', null));
    await chat.send(say('hello'));
    const listed = await chat.send(say('saint denis'));
    expect(listed[0]).toBe(t('en', 'common:places.pick'));
    expect(listed[1]).toContain('Saint-Denis');
    expect(listed[1]).toContain(t('en', 'common:places.noneOfThese'));
    expect(await chat.send(say(t('en', 'common:places.noneOfThese')))).toEqual([t('en', 'common:places.ask'), [t('en', 'common:places.back')]]);
    await chat.send(say('saint denis'));
    expect(await chat.send(tap('2980916'))).toEqual(['📍 OK: Saint-Denis, France.', t('en', 'common:pickOne'), [t('en', 'common:yes')]]);
    expect(chat.session?.data['place']).toMatchObject({ town: 'Saint-Denis', country: 'FR' });
  });

  it('answers bad input politely and stores nothing wrong: 500 characters, an unknown name, Arabic script, a pin at sea', async () => {
    const chat = placeChat(person('ar', null));
    await chat.send(say('مرحبا'));
    const ar = (key: string) => t('ar', key);
    expect(await chat.send(say('x'.repeat(500)))).toEqual([ar('common:places.badText'), ar('common:places.ask'), [ar('common:places.back')]]);
    expect(await chat.send(say('Qwzxtplk'))).toEqual([ar('common:places.notFound'), ar('common:places.ask'), [ar('common:places.back')]]);
    expect(await chat.send(say('دمشق'))).toEqual([ar('common:places.notFoundScript'), ar('common:places.ask'), [ar('common:places.back')]]);
    expect(await chat.send(pin(0.123456, -30.654321))).toEqual([ar('common:places.far'), ar('common:places.ask'), [ar('common:places.back')]]);
    expect(chat.session?.data['place']).toBeUndefined();
    expect(JSON.stringify(chat.session)).not.toContain('30.654321');
  });
});
