import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { deeplTranslatorFromConfig } from '../../../adapters/deepl/deepl.translator.ts';
import { libreTranslateFromConfig } from '../../../adapters/libretranslate/libretranslate.translator.ts';
import { openSqliteStore } from '../../../adapters/sqlite/sqlite-store.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import type { Glossary } from '../../../core/ports/translator.port.ts';
import { fillPlaceholders, TranslationService } from '../../../core/translation/translation-service.ts';
import { fieldsOf, FREE, FREE_KEY, glossaryPairs, interceptTranslate, targetLanguages } from './deepl.fixtures.ts';

// The whole path of one broadcast: TranslationService over the real DeepL and LibreTranslate
// adapters (nock at their real URLs) and the SQLite translation cache.

const LIBRE = 'https://translate.example.org';
const clock = { now: () => new Date('2026-09-01T10:00:00Z') };
const texts = ['Hello {{firstName}}, the food bank opens on Monday.', 'Bring your residence permit & a photo.'];
const glossary: Glossary = { id: 'g-food', sourceLang: 'en', entries: { fr: { 'food bank': 'banque alimentaire' } } };

let closeStore: (() => Promise<void>) | undefined;
afterEach(async () => {
  nock.cleanAll();
  await closeStore?.();
  closeStore = undefined;
});

function service(libretranslateUrl: string | undefined) {
  const store = openSqliteStore(':memory:');
  closeStore = () => store.close();
  return new TranslationService({
    primary: deeplTranslatorFromConfig({ DEEPL_AUTH_KEY: FREE_KEY, DEEPL_SERVER_URL: undefined }, { maxRetries: 0 }),
    secondary: libreTranslateFromConfig({ LIBRETRANSLATE_URL: libretranslateUrl, LIBRETRANSLATE_API_KEY: undefined }),
    cache: store.translations,
    clock,
    logger: silentLogger,
  });
}

function deeplAnswers() {
  targetLanguages(FREE, ['AR', 'EN-GB', 'EN-US', 'FA', 'FR', 'UK']);
  glossaryPairs(FREE, ['ar', 'en', 'fr', 'uk']);
  nock(FREE).get('/v3/glossaries').reply(200, { glossaries: [] });
  nock(FREE)
    .post('/v3/glossaries')
    .reply(201, { glossary_id: 'dl-gloss-fr', name: 'passerelle g-food en-fr', dictionaries: [{ source_lang: 'en', target_lang: 'fr', entry_count: 1 }], creation_time: '2026-09-01T10:00:00Z' });
  return interceptTranslate(FREE, (text, form) => {
    const target = form.get('target_lang');
    if (target === 'ar') return text.replace('Hello', 'مرحبا').replace('the food bank opens on Monday.', 'بنك الطعام يفتح يوم الاثنين.');
    if (target === 'fa') return text.replace('Hello', 'سلام').replace('the food bank opens on Monday.', 'بانک غذا دوشنبه باز است.');
    return `${target}: ${text}`;
  });
}

describe('one broadcast through DeepL, LibreTranslate and the SQLite cache', () => {
  it('costs one DeepL request per language, sends the unlisted language to LibreTranslate, and nothing the second time', async () => {
    const deepl = deeplAnswers();
    const libreBodies: unknown[] = [];
    nock(LIBRE)
      .get('/languages')
      .reply(200, [{ code: 'en', name: 'English', targets: ['en', 'ti', 'fr'] }]);
    nock(LIBRE)
      .post('/translate')
      .reply((_uri, body) => {
        libreBodies.push(body);
        return [200, { translatedText: (body as { q: string[] }).q.map((q) => `ti: ${q}`) }];
      });
    const translation = service(LIBRE);
    const targets = ['ar', 'fa', 'fr', 'ti', 'ps', 'en'];

    const first = await translation.translateTemplates({ texts, source: 'en', targets, glossary });

    const byTarget = Object.fromEntries(deepl.seen.map((s) => [s.form.get('target_lang'), s]));
    expect(deepl.seen).toHaveLength(3);
    expect(fieldsOf(byTarget['ar']!.form)).toEqual({ target_lang: 'ar', source_lang: 'en', show_billed_characters: '1', preserve_formatting: '1', tag_handling: 'xml', non_splitting_tags: 'x', ignore_tags: 'x' });
    expect(byTarget['ar']!.texts).toEqual(['Hello <x id="firstName"/>, the food bank opens on Monday.', 'Bring your residence permit &amp; a photo.']);
    expect(fieldsOf(byTarget['fa']!.form)).toEqual({ target_lang: 'fa', source_lang: 'en', show_billed_characters: '1', preserve_formatting: '1' });
    expect(byTarget['fa']!.texts).toEqual(['Hello ⟦1⟧, the food bank opens on Monday.', 'Hello, the food bank opens on Monday.', 'Bring your residence permit & a photo.']);
    expect(fieldsOf(byTarget['fr']!.form)).toMatchObject({ target_lang: 'fr', glossary_id: 'dl-gloss-fr', tag_handling: 'xml' });
    expect(libreBodies).toEqual([{ q: ['Hello ⟦1⟧, the food bank opens on Monday.', 'Hello, the food bank opens on Monday.', 'Bring your residence permit & a photo.'], source: 'en', target: 'ti', format: 'text' }]);

    expect(first.get('ar')).toEqual([
      { kind: 'translated', text: 'مرحبا {{firstName}}, بنك الطعام يفتح يوم الاثنين.', by: 'deepl' },
      { kind: 'translated', text: 'Bring your residence permit & a photo.', by: 'deepl' },
    ]);
    expect(first.get('fa')![0]).toEqual({ kind: 'translated', text: 'سلام {{firstName}}, بانک غذا دوشنبه باز است.', by: 'deepl' });
    expect(first.get('ti')![0]).toEqual({ kind: 'translated', text: 'ti: Hello {{firstName}}, the food bank opens on Monday.', by: 'libretranslate' });
    expect(first.get('ps')![0]).toEqual({ kind: 'source', text: texts[0], reason: 'unsupported' });
    expect(first.get('en')![0]).toEqual({ kind: 'source', text: texts[0], reason: 'same-language' });
    expect(fillPlaceholders((first.get('fa')![0] as { text: string }).text, { firstName: 'Zahra' })).toBe('سلام Zahra, بانک غذا دوشنبه باز است.');

    // The same broadcast again: every translation comes from the cache, not one HTTP request.
    nock.cleanAll();
    const attempted: string[] = [];
    const onNoMatch = (req: { path?: string }) => attempted.push(req.path ?? '?');
    nock.emitter.on('no match', onNoMatch);
    try {
      const second = await translation.translateTemplates({ texts, source: 'en', targets, glossary });
      expect(attempted).toEqual([]);
      expect(second.get('fr')).toEqual(first.get('fr')!.map((r) => ({ ...r, by: 'cache' })));
      expect(second.get('ti')!.every((r) => r.kind === 'translated' && r.by === 'cache')).toBe(true);
    } finally {
      nock.emitter.removeListener('no match', onNoMatch);
    }
  });

  it('returns the source text for a language DeepL does not list when LIBRETRANSLATE_URL is not set', async () => {
    const deepl = deeplAnswers();
    const result = await service(undefined).translateTemplate({ text: texts[1]!, source: 'en', targets: ['ti', 'uk'], glossary: null });
    expect(result.get('ti')).toEqual({ kind: 'source', text: texts[1], reason: 'unsupported' });
    expect(result.get('uk')).toEqual({ kind: 'translated', text: `uk: ${texts[1]}`, by: 'deepl' });
    expect(deepl.seen).toHaveLength(1);
  });

  it('fails only the language DeepL refuses for quota; the others are delivered', async () => {
    targetLanguages(FREE, ['AR', 'FR']);
    glossaryPairs(FREE, []);
    nock(FREE)
      .post('/v2/translate', (body: Record<string, unknown>) => body['target_lang'] === 'fr')
      .reply(456, { message: 'Quota exceeded' });
    const deepl = interceptTranslate(FREE);
    const result = await service(undefined).translateTemplate({ text: texts[1]!, source: 'en', targets: ['fr', 'ar'], glossary: null });
    expect(result.get('fr')).toMatchObject({ kind: 'failed', error: { name: 'TranslationError', kind: 'quota' } });
    expect(result.get('ar')).toEqual({ kind: 'translated', text: `[ar] ${texts[1]}`, by: 'deepl' });
    expect(deepl.seen.map((s) => s.form.get('target_lang'))).toEqual(['ar']);
  });
});
