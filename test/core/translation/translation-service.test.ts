import { describe, expect, it } from 'vitest';
import { TranslationError } from '../../../core/errors.ts';
import type { Glossary } from '../../../core/ports/translator.port.ts';
import { translationCacheKey } from '../../../core/translation/translation-cache-key.ts';
import { fillPlaceholders, TranslationService, type TemplateTranslation } from '../../../core/translation/translation-service.ts';
import { FakeTranslator, full, MemoryCache, recordingLogger, textOnly } from './translation.fakes.ts';

const clock = { now: () => new Date('2026-09-01T10:00:00Z') };

function setup(options: { secondary?: boolean; primary?: boolean } = {}) {
  const primary = new FakeTranslator('deepl', [full('ar'), full('fr'), full('uk'), full('en'), textOnly('fa'), textOnly('so')]);
  const secondary = new FakeTranslator('libretranslate', [textOnly('ti'), textOnly('fr'), textOnly('ar'), textOnly('en')]);
  const cache = new MemoryCache();
  const logger = recordingLogger();
  const service = new TranslationService({
    primary: options.primary === false ? null : primary,
    secondary: options.secondary === false ? null : secondary,
    cache,
    clock,
    logger,
  });
  return { primary, secondary, cache, logger, service };
}

const BROADCAST = ['Hello {{firstName}}, the food bank opens on Monday.', 'Bring your residence permit.', 'Questions? Reply to this message.'];

describe('TranslationService', () => {
  it('sends one request per target language with every text of the broadcast, and none for the source language', async () => {
    const { primary, secondary, service } = setup();
    const result = await service.translateTemplates({ texts: BROADCAST, source: 'en', targets: ['ar', 'fr', 'uk', 'en', 'ar'], glossary: null });

    expect(primary.requests.map((r) => r.target).sort()).toEqual(['ar', 'fr', 'uk']);
    expect(primary.requestsFor('fr')[0]!.texts).toEqual(['Hello <x id="firstName"/>, the food bank opens on Monday.', 'Bring your residence permit.', 'Questions? Reply to this message.']);
    expect(primary.requestsFor('fr')[0]).toMatchObject({ source: 'en', markup: true, glossary: null });
    expect(secondary.requests).toEqual([]);
    expect(result.get('fr')).toEqual([
      { kind: 'translated', text: '[fr] Hello {{firstName}}, the food bank opens on Monday.', by: 'deepl' },
      { kind: 'translated', text: '[fr] Bring your residence permit.', by: 'deepl' },
      { kind: 'translated', text: '[fr] Questions? Reply to this message.', by: 'deepl' },
    ]);
    expect(result.get('en')).toEqual(BROADCAST.map((text) => ({ kind: 'source', text, reason: 'same-language' })));
    expect([...result.keys()]).toEqual(['ar', 'fr', 'uk', 'en']);
  });

  it('keeps {{firstName}} through a markup language (Arabic): tags out, placeholders back, filled per recipient', async () => {
    const { primary, service } = setup();
    primary.render = (text) => text.replace('Hello', 'مرحبا').replace('the food bank opens on Monday.', 'بنك الطعام يفتح يوم الاثنين.');
    const result = await service.translateTemplate({ text: BROADCAST[0]!, source: 'en', targets: ['ar'], glossary: null });
    const ar = result.get('ar');
    expect(ar).toEqual({ kind: 'translated', text: 'مرحبا {{firstName}}, بنك الطعام يفتح يوم الاثنين.', by: 'deepl' });
    expect(fillPlaceholders((ar as { text: string }).text, { firstName: 'Amal' })).toBe('مرحبا Amal, بنك الطعام يفتح يوم الاثنين.');
  });

  it('keeps {{firstName}} through a text-only language (Persian) when the translator keeps the token', async () => {
    const { primary, service } = setup();
    primary.render = (text) => text.replace('Hello', 'سلام').replace('⟦1⟧', '⟦۱⟧').replace(/the food bank opens on Monday\.?/, 'بانک غذا دوشنبه باز است.');
    const result = await service.translateTemplate({ text: BROADCAST[0]!, source: 'en', targets: ['fa'], glossary: null });
    expect(primary.requestsFor('fa')).toHaveLength(1);
    expect(primary.requestsFor('fa')[0]).toMatchObject({ markup: false, texts: ['Hello ⟦1⟧, the food bank opens on Monday.', 'Hello, the food bank opens on Monday.'] });
    expect(result.get('fa')).toEqual({ kind: 'translated', text: 'سلام {{firstName}}, بانک غذا دوشنبه باز است.', by: 'deepl' });
  });

  it('falls back to the greeting form (Somali) when the translator mangles the token, still in one request', async () => {
    const { primary, logger, service } = setup();
    primary.render = (text) => (text.includes('⟦') ? 'Salaan 1, bangiga cuntada wuxuu furan yahay Isniinta.' : 'Salaan, bangiga cuntada wuxuu furan yahay Isniinta.');
    const result = await service.translateTemplate({ text: BROADCAST[0]!, source: 'en', targets: ['so'], glossary: null });
    expect(primary.requestsFor('so')).toHaveLength(1);
    expect(result.get('so')).toEqual({ kind: 'translated', text: '{{firstName}}, Salaan, bangiga cuntada wuxuu furan yahay Isniinta.', by: 'deepl' });
    expect(logger.lines.find((l) => l.message === 'broadcast texts translated')?.fields).toMatchObject({ target: 'so', placeholderFallbacks: 1 });
  });

  it('serves a second identical broadcast from the cache, without any request', async () => {
    const { primary, cache, service } = setup();
    await service.translateTemplates({ texts: BROADCAST, source: 'en', targets: ['ar', 'fr'], glossary: null });
    expect(primary.requests).toHaveLength(2);
    expect(cache.entries.get(translationCacheKey(BROADCAST[1]!, 'en', 'fr', null))).toBe('[fr] Bring your residence permit.');

    const again = await service.translateTemplates({ texts: BROADCAST, source: 'en', targets: ['ar', 'fr'], glossary: null });
    expect(primary.requests).toHaveLength(2);
    expect(again.get('fr')![1]).toEqual({ kind: 'translated', text: '[fr] Bring your residence permit.', by: 'cache' });

    // Only the new text of a changed broadcast is sent.
    await service.translateTemplates({ texts: [...BROADCAST, 'New: bring a photo.'], source: 'en', targets: ['fr'], glossary: null });
    expect(primary.requests.at(-1)!.texts).toEqual(['New: bring a photo.']);
  });

  it('keys the cache by text, source (or auto), target and glossary id', () => {
    const key = translationCacheKey('Hi', 'en', 'fr', null);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([key, translationCacheKey('Hi', null, 'fr', null), translationCacheKey('Hi', 'en', 'ar', null), translationCacheKey('Hi', 'en', 'fr', 'g1'), translationCacheKey('Hi ', 'en', 'fr', null)]).size).toBe(5);
  });

  it('sends a language the primary does not list to the secondary, and returns the source when nobody lists it', async () => {
    const { primary, secondary, service } = setup();
    secondary.render = (text, r) => `<${r.target}> ${text}`;
    const result = await service.translateTemplate({ text: BROADCAST[0]!, source: 'en', targets: ['ti', 'ps'], glossary: null });
    expect(secondary.requestsFor('ti')[0]).toMatchObject({ markup: false, texts: ['Hello ⟦1⟧, the food bank opens on Monday.', 'Hello, the food bank opens on Monday.'] });
    expect(result.get('ti')).toEqual({ kind: 'translated', text: '<ti> Hello {{firstName}}, the food bank opens on Monday.', by: 'libretranslate' });
    expect(result.get('ps')).toEqual({ kind: 'source', text: BROADCAST[0], reason: 'unsupported' });
    expect(primary.requests).toEqual([]);

    const withoutSecondary = setup({ secondary: false });
    const alone = await withoutSecondary.service.translateTemplate({ text: 'Hi', source: 'en', targets: ['ti'], glossary: null });
    expect(alone.get('ti')).toEqual({ kind: 'source', text: 'Hi', reason: 'unsupported' });
  });

  it('works with the secondary alone, and with no translator at all', async () => {
    const onlyLibre = setup({ primary: false });
    expect((await onlyLibre.service.translateTemplate({ text: 'Hi', source: 'en', targets: ['fr'], glossary: null })).get('fr')).toMatchObject({ kind: 'translated', by: 'libretranslate' });
    const none = new TranslationService({ primary: null, secondary: null, cache: new MemoryCache(), clock, logger: recordingLogger() });
    expect((await none.translateTemplate({ text: 'Hi', source: 'en', targets: ['fr'], glossary: null })).get('fr')).toEqual({ kind: 'source', text: 'Hi', reason: 'no-translator' });
  });

  it('lets one failing language fail alone: the others are translated and cached, the failed one is not', async () => {
    const { primary, cache, service } = setup();
    const quota = new TranslationError('DeepL quota for this billing period is used up', 'quota');
    primary.failing.set('fr', quota);
    primary.failing.set('uk', new TranslationError('DeepL is rate limiting requests', 'rate-limited'));
    const result = await service.translateTemplates({ texts: BROADCAST, source: 'en', targets: ['fr', 'ar', 'uk', 'ti'], glossary: null });
    expect(result.get('fr')).toEqual(BROADCAST.map(() => ({ kind: 'failed', error: quota })));
    expect(result.get('uk')![0]).toMatchObject({ kind: 'failed', error: { kind: 'rate-limited' } });
    expect(result.get('ar')!.every((r: TemplateTranslation) => r.kind === 'translated')).toBe(true);
    expect(result.get('ti')!.every((r: TemplateTranslation) => r.kind === 'translated')).toBe(true);
    expect(cache.entries.size).toBe(6);

    // Later, when the quota is back, only French is translated.
    primary.failing.clear();
    primary.requests.length = 0;
    await service.translateTemplates({ texts: BROADCAST, source: 'en', targets: ['fr', 'ar'], glossary: null });
    expect(primary.requests.map((r) => r.target)).toEqual(['fr']);
  });

  it('tries the secondary once when the primary refuses a language it listed', async () => {
    const { primary, secondary, service } = setup();
    primary.failing.set('ar', new TranslationError('DeepL does not support this language (pair)', 'unsupported-language'));
    const result = await service.translateTemplate({ text: 'Hi', source: 'en', targets: ['ar'], glossary: null });
    expect(result.get('ar')).toEqual({ kind: 'translated', text: '[ar] Hi', by: 'libretranslate' });
    expect(secondary.requests).toHaveLength(1);
  });

  it("fails the languages it cannot route when the primary cannot list its languages, so the caller retries", async () => {
    const { primary, secondary, service } = setup();
    primary.listingError = new TranslationError('DeepL refused the auth key', 'auth');
    const result = await service.translateTemplate({ text: 'Hi', source: 'fr', targets: ['ar', 'ti', 'fr'], glossary: null });
    expect(result.get('ar')).toMatchObject({ kind: 'failed', error: { kind: 'auth' } });
    expect(result.get('ti')).toMatchObject({ kind: 'failed', error: { kind: 'auth' } });
    expect(result.get('fr')).toEqual({ kind: 'source', text: 'Hi', reason: 'same-language' });
    expect(secondary.requests).toEqual([]);
  });

  it('asks no translator when every target is the source language', async () => {
    const { primary, secondary, service } = setup();
    await service.translateTemplate({ text: 'Hi', source: 'en', targets: ['en'], glossary: null });
    expect(primary.targetCalls + secondary.targetCalls).toBe(0);
  });

  it('passes the glossary only where it applies, and keys the cache by it', async () => {
    const { primary, secondary, cache, service } = setup();
    const glossary: Glossary = { id: 'g-42', sourceLang: 'en', entries: { fr: { 'food bank': 'banque alimentaire' }, fa: { 'food bank': 'بانک غذا' }, ti: { 'food bank': 'x' } } };
    await service.translateTemplates({ texts: BROADCAST, source: 'en', targets: ['fr', 'ar', 'fa', 'ti'], glossary });
    expect(primary.requestsFor('fr')[0]!.glossary).toBe(glossary);
    expect(primary.requestsFor('ar')[0]!.glossary).toBeNull(); // no Arabic terms
    expect(primary.requestsFor('fa')[0]!.glossary).toBeNull(); // text-only language
    expect(secondary.requestsFor('ti')[0]!.glossary).toBeNull(); // LibreTranslate has none
    expect(cache.entries.has(translationCacheKey(BROADCAST[1]!, 'en', 'fr', 'g-42'))).toBe(true);
    expect(cache.entries.has(translationCacheKey(BROADCAST[1]!, 'en', 'ar', null))).toBe(true);

    const detected = setup();
    await detected.service.translateTemplate({ text: 'Hi', source: null, targets: ['fr'], glossary });
    expect(detected.primary.requestsFor('fr')[0]).toMatchObject({ source: null, glossary: null });
  });

  it('goes on when the cache cannot be read or written', async () => {
    const { primary, cache, service } = setup();
    cache.getMany = async () => {
      throw new Error('disk I/O error');
    };
    cache.putMany = async () => {
      throw new Error('disk I/O error');
    };
    const result = await service.translateTemplate({ text: 'Hi', source: 'en', targets: ['fr'], glossary: null });
    expect(result.get('fr')).toEqual({ kind: 'translated', text: '[fr] Hi', by: 'deepl' });
    expect(primary.requests).toHaveLength(1);
  });

  it('never logs the texts, translated or not', async () => {
    const { primary, logger, service } = setup();
    primary.failing.set('uk', new TranslationError('DeepL failed', 'unavailable'));
    primary.render = () => 'Bonjour Ahmad, la banque alimentaire ouvre lundi.';
    await service.translateTemplates({ texts: ['Ahmad: the food bank opens on Monday.'], source: 'en', targets: ['fr', 'uk', 'ti'], glossary: null });
    const logged = JSON.stringify(logger.lines);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logged).not.toMatch(/Ahmad|food bank|banque/);
  });
});
