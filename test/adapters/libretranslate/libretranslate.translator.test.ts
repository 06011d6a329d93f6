import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { LibreTranslateTranslator, libreTranslateFromConfig } from '../../../adapters/libretranslate/libretranslate.translator.ts';
import { TranslationError } from '../../../core/errors.ts';
import type { TranslationRequest } from '../../../core/ports/translator.port.ts';

const URL = 'https://translate.example.org';

afterEach(() => {
  nock.cleanAll();
});

const libre = (more: { now?: () => number } = {}) => libreTranslateFromConfig({ LIBRETRANSLATE_URL: `${URL}/`, LIBRETRANSLATE_API_KEY: 'lt-key' }, more)!;
const request = (over: Partial<TranslationRequest>): TranslationRequest => ({ texts: ['Hello'], source: 'en', target: 'ti', markup: false, glossary: null, ...over });

/** Records `POST /translate` JSON bodies and answers each `q` with `translate(text)`. */
function interceptTranslate(translate: (text: string) => string = (t) => `ti:${t}`): unknown[] {
  const bodies: unknown[] = [];
  nock(URL)
    .persist()
    .post('/translate')
    .reply((_uri, body) => {
      bodies.push(body);
      const q = (body as { q: string[] }).q;
      return [200, { translatedText: q.map(translate), detectedLanguage: q.map(() => ({ language: 'en', confidence: 92 })) }];
    });
  return bodies;
}

describe('LibreTranslate translator', () => {
  it('is configured only when LIBRETRANSLATE_URL is set', () => {
    expect(libreTranslateFromConfig({ LIBRETRANSLATE_URL: undefined, LIBRETRANSLATE_API_KEY: 'k' })).toBeNull();
    expect(libre().name).toBe('libretranslate');
  });

  it('lists every language some source translates into, without markup or glossary, and caches the list', async () => {
    let now = 0;
    const t = libre({ now: () => now });
    nock(URL)
      .get('/languages')
      .reply(200, [
        { code: 'en', name: 'English', targets: ['ar', 'en', 'fa', 'ti', 'zh-Hans'] },
        { code: 'ti', name: 'Tigrinya', targets: ['en', 'ti'] },
        { code: 'ku', name: 'Kurdish', targets: ['en', 'ku'] },
      ]);
    const targets = await t.targets();
    expect([...targets.keys()].sort()).toEqual(['ar', 'en', 'fa', 'ku', 'ti']);
    expect(targets.get('ti')).toEqual({ lang: 'ti', markup: false, glossary: false });
    now += 60_000;
    expect(await t.targets()).toBe(targets);
  });

  it('sends all texts in one POST /translate with the API key, and keeps their order', async () => {
    const bodies = interceptTranslate();
    const result = await libre().translate(request({ texts: ['Hello ⟦1⟧, welcome.', '', 'The office opens at 9.'] }));
    expect(bodies).toEqual([{ q: ['Hello ⟦1⟧, welcome.', 'The office opens at 9.'], source: 'en', target: 'ti', format: 'text', api_key: 'lt-key' }]);
    expect(result).toEqual({ texts: ['ti:Hello ⟦1⟧, welcome.', '', 'ti:The office opens at 9.'], detectedSource: null, billedCharacters: 41 });
  });

  it("asks for 'auto' detection and 'html' format when told to, and reports the detected language", async () => {
    const bodies = interceptTranslate();
    const result = await libre().translate(request({ source: null, markup: true, texts: ['Hi <x id="firstName"/>'] }));
    expect(bodies[0]).toMatchObject({ source: 'auto', format: 'html' });
    expect(result.detectedSource).toBe('en');
  });

  const cases = [
    { status: 429, body: { error: 'Slowdown: 10 per 1 minute' }, kind: 'rate-limited' },
    { status: 403, body: { error: 'Invalid API key' }, kind: 'auth' },
    { status: 400, body: { error: 'ti is not supported' }, kind: 'unsupported-language' },
    { status: 400, body: { error: 'Invalid request: missing q parameter' }, kind: 'unavailable' },
    { status: 500, body: { error: 'Cannot translate text' }, kind: 'unavailable' },
    { status: 502, body: '<html>Bad gateway</html>', kind: 'unavailable' },
  ] as const;
  for (const c of cases) {
    it(`maps HTTP ${c.status} to '${c.kind}' with a cause`, async () => {
      nock(URL).post('/translate').reply(c.status, c.body);
      const error = (await libre()
        .translate(request({ texts: ['Ahmad, come at 9'] }))
        .catch((e: unknown) => e)) as TranslationError;
      expect(error).toBeInstanceOf(TranslationError);
      expect(error.kind).toBe(c.kind);
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.message).not.toContain('Ahmad');
    });
  }

  it("maps a network failure and an unexpected answer to 'unavailable'", async () => {
    nock(URL).post('/translate').replyWithError('socket hang up');
    await expect(libre().translate(request({}))).rejects.toMatchObject({ kind: 'unavailable', message: 'LibreTranslate could not be reached' });
    nock(URL).post('/translate').reply(200, { translatedText: ['only one'] });
    await expect(libre().translate(request({ texts: ['a', 'b'] }))).rejects.toMatchObject({ kind: 'unavailable' });
    nock(URL).get('/languages').reply(200, { languages: 'nope' });
    await expect(new LibreTranslateTranslator({ url: URL }).targets()).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
