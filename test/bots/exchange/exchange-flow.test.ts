import { afterEach, describe, expect, it } from 'vitest';
import { reducePin } from '../../../bots/common/places/coarse-place.ts';
import { TranslationError } from '../../../core/errors.ts';
import { PIN, exchangeApp, person, say, texts, type ExchangeApp } from './exchange-harness.ts';

let app: ExchangeApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const ar = say('ar');
const fr = say('fr');

/** Amira (Arabic, a pin at onboarding) offers plumbing for children's clothes. */
async function amiraPosts(a: ExchangeApp) {
  const amira = person(a, 'amira');
  await amira.onboard('ar', 'أميرة', PIN);
  expect(texts(await amira.tap('exchange'))).toEqual([ar('exchange:hub')]);
  expect(texts(await amira.tap('offer'))).toEqual([ar('exchange:pickCategory')]);
  expect(texts(await amira.tap('plumbing'))).toEqual([ar('exchange:askDescription')]);
  expect(texts(await amira.text('أصلح المغاسل والحنفيات'))).toEqual([ar('exchange:askInReturnOffer')]);
  const known = await amira.text('ملابس أطفال');
  expect(known[0]!.text).toBe(ar('common:places.useKnown', { known: { label: 'Aubervilliers, فرنسا' } }));
  const preview = await amira.tap('yes');
  expect(preview.map((r) => r.text)).toEqual([ar('exchange:confirm', { preview: { text: `${ar('exchange:cat.plumbing')}\n“أصلح المغاسل والحنفيات”\n${ar('exchange:inReturnAsks', { text: 'ملابس أطفال' })}\n📍 Aubervilliers, فرنسا` } })]);
  expect(preview[0]!.choices).toEqual(['publish', 'cancel']);
  const published = await amira.tap('publish');
  expect(published[0]!.text).toBe(ar('exchange:published', { published: { expires: '28 ديسمبر' } }));
  return amira;
}

describe('posting and finding in the exchange (web chat, SQLite)', () => {
  it('an offer posted in Arabic with a pin is found in French at "about 2 km", its words translated once and stored with the post', async () => {
    app = await exchangeApp();
    await amiraPosts(app);
    const [post] = await app.store.exchange.listByPerson((await app.store.people.findByAddress({ channel: 'webchat', id: 'amira' }))!.id);
    // The cell and its centre, never the pin as shared.
    expect(post).toMatchObject({ kind: 'offer', category: 'plumbing', description: 'أصلح المغاسل والحنفيات', inReturn: 'ملابس أطفال', gift: false, lang: 'ar', status: 'open', cell: reducePin(PIN.latitude, PIN.longitude).cell });
    expect(post!.latitude).toBe(reducePin(PIN.latitude, PIN.longitude).latitude);

    const lea = person(app, 'lea');
    await lea.onboard('fr', 'Léa', null);
    await lea.tap('exchange');
    expect(texts(await lea.tap('findHelp'))).toEqual([fr('exchange:searchCategory')]);
    expect(texts(await lea.tap('plumbing'))).toEqual([fr('exchange:pickRadius')]);
    expect(texts(await lea.tap('5'))).toEqual([fr('common:places.ask')]);
    // A fault: the translator fails once; the original words show with a note, nothing is stored.
    app.translator.failing.set('fr', new TranslationError('down', 'unavailable'));
    const first = await lea.text('aubervilliers');
    const head = `1. ${fr('exchange:cat.plumbing')} · ${fr('common:places.aboutKm', { km: 2 })}`;
    expect(first.map((r) => r.text)).toEqual([
      fr('common:places.set', { found: { label: 'Aubervilliers, France' } }),
      [head, '“أصلح المغاسل والحنفيات”', fr('exchange:inReturnAsks', { text: 'ملابس أطفال' }), fr('exchange:notTranslated'), `أميرة · ${fr('exchange:postedToday')}`].join('\n'),
      fr('exchange:resultsPrompt'),
    ]);
    expect(await app.store.exchange.translations(post!.id, ['fr'])).toEqual(new Map());
    app.translator.failing.clear();
    await lea.tap('again');
    await lea.tap('all');
    await lea.tap('10');
    // All categories, 10 km: the same post, now translated.
    expect((await lea.text('Aubervilliers'))[1]!.text).toContain('“[fr] أصلح المغاسل والحنفيات”');
    const again = texts(await lea.tap('again'));
    expect(again).toEqual([fr('exchange:searchCategory')]);
    await lea.tap('plumbing');
    await lea.tap('5');
    const shown = await lea.text('Aubervilliers');
    expect(shown[1]!.text).toBe([head, '“[fr] أصلح المغاسل والحنفيات”', fr('exchange:inReturnAsks', { text: '[fr] ملابس أطفال' }), `أميرة · ${fr('exchange:postedToday')}`].join('\n'));
    // One "I'm interested" per result (its post id), then paging.
    expect(shown[2]).toEqual({ text: fr('exchange:resultsPrompt'), choices: [post!.id, 'again', 'back'] });
    // Translated once for French, stored with the post: a second search asks the translator nothing.
    expect(await app.store.exchange.translations(post!.id, ['fr'])).toEqual(new Map([['fr', JSON.stringify({ description: '[fr] أصلح المغاسل والحنفيات', inReturn: '[fr] ملابس أطفال' })]]));
    const asked = app.translator.requestsFor('fr').length;
    await lea.tap('again');
    await lea.tap('plumbing');
    await lea.tap('5');
    await lea.text('Aubervilliers');
    expect(app.translator.requestsFor('fr').length).toBe(asked);
    // Never a phone number, a handle or the place: only what the result shows.
    expect(shown[1]!.text).not.toMatch(/amira|48\.9|2\.36/);
  });

  it('pages results 5 at a time, nearest first, with "more"', async () => {
    app = await exchangeApp();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const p = person(app, `poster-${i}`);
      await p.onboard('fr', `Nom${String.fromCharCode(65 + i)}`, { latitude: 48.86 + i * 0.02, longitude: 2.35 });
      await p.tap('exchange');
      await p.tap('offer');
      await p.tap('bike');
      await p.tap('skip');
      await p.tap('gift');
      await p.tap('yes');
      await p.tap('publish');
      ids.push(p.from.id);
    }
    const seeker = person(app, 'seeker');
    await seeker.onboard('fr', 'Zoé', 'Paris');
    await seeker.tap('exchange');
    await seeker.tap('findHelp');
    await seeker.tap('bike');
    await seeker.tap('25');
    const page1 = await seeker.tap('yes');
    const names = (text: string) => [...text.matchAll(/^(Nom[A-G]) ·/gm)].map((m) => m[1]);
    expect(names(page1[0]!.text)).toEqual(['NomA', 'NomB', 'NomC', 'NomD', 'NomE']);
    expect(page1[0]!.text).toContain(fr('exchange:isGift'));
    expect(page1[1]!.choices.slice(5)).toEqual(['more', 'again', 'back']);
    expect(page1[1]!.choices).toHaveLength(8);
    const page2 = await seeker.tap('more');
    expect(names(page2[0]!.text)).toEqual(['NomF', 'NomG']);
    expect(page2[0]!.text.startsWith('6. ')).toBe(true);
    expect(page2[1]!.choices.slice(2)).toEqual(['again', 'back']);
    expect(page2[1]!.choices).toHaveLength(4);
  });

  it('answers bad input politely and stores nothing wrong', async () => {
    app = await exchangeApp({ EXCHANGE_MAX_OPEN_POSTS: '1' });
    const amira = await amiraPosts(app);
    // The limit of open posts.
    await amira.tap('exchange');
    expect(texts(await amira.tap('need'))).toEqual([ar('exchange:tooMany', { can: { max: 1 } }), ar('exchange:hub')]);

    const lea = person(app, 'lea');
    await lea.onboard('fr', 'Léa', null);
    await lea.tap('exchange');
    await lea.tap('offer');
    // A category typed as a number out of range.
    expect(texts(await lea.text('99'))).toEqual([fr('common:pickOne'), fr('exchange:pickCategory')]);
    expect(texts(await lea.text('3'))).toEqual([fr('exchange:askDescription')]);
    // Emoji alone.
    expect(texts(await lea.text('🔨🎨👍'))).toEqual([fr('exchange:emojiOnly'), fr('exchange:askDescription')]);
    expect(texts(await lea.text('x'.repeat(301)))).toEqual([fr('exchange:tooLong'), fr('exchange:askDescription')]);
    expect(texts(await lea.text('Je repeins une chambre 🎨'))).toEqual([fr('exchange:askInReturnOffer')]);
    expect(texts(await lea.tap('gift'))).toEqual([fr('common:places.ask')]);
    // A typed place of 500 characters, and a pin in the ocean.
    expect(texts(await lea.text('Saint-Denis '.repeat(42).slice(0, 500)))).toEqual([fr('common:places.badText'), fr('common:places.ask')]);
    expect(texts(await lea.pin(44.5, -30.25))).toEqual([fr('common:places.far'), fr('common:places.ask')]);
    expect(texts(await lea.tap('back'))).toEqual([fr('exchange:hub')]);
    const leaId = (await app.store.people.findByAddress(lea.from))!.id;
    expect(await app.store.exchange.listByPerson(leaId)).toEqual([]);
  });
});
