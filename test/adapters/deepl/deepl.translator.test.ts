import { AuthorizationError, ConnectionError, DeepLError, QuotaExceededError, TooManyRequestsError } from 'deepl-node';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { DeepLTranslator, deeplTranslatorFromConfig } from '../../../adapters/deepl/deepl.translator.ts';
import { TranslationError } from '../../../core/errors.ts';
import type { Glossary, TranslationRequest } from '../../../core/ports/translator.port.ts';
import { fieldsOf, FREE, FREE_KEY, glossaryPairs, interceptTranslate, PRO, PRO_KEY, targetLanguages } from './deepl.fixtures.ts';

afterEach(() => {
  nock.cleanAll();
});

const deepl = (authKey = FREE_KEY, more: { serverUrl?: string; now?: () => number; timeoutMs?: number } = {}) => new DeepLTranslator({ authKey, maxRetries: 0, ...more });
const request = (over: Partial<TranslationRequest>): TranslationRequest => ({ texts: ['Hello'], source: 'en', target: 'fr', markup: false, glossary: null, ...over });

describe('DeepL translator: requests', () => {
  it('cannot reach the network without nock (canary)', async () => {
    await expect(fetch(`${PRO}/v2/usage`)).rejects.toThrow();
  });

  it("sends ':fx' keys to the Free endpoint, other keys to the Pro endpoint, DEEPL_SERVER_URL anywhere", async () => {
    const free = interceptTranslate(FREE);
    const pro = interceptTranslate(PRO);
    const own = interceptTranslate('https://deepl.example.org');
    await deepl(FREE_KEY).translate(request({}));
    await deepl(PRO_KEY).translate(request({}));
    await deeplTranslatorFromConfig({ DEEPL_AUTH_KEY: PRO_KEY, DEEPL_SERVER_URL: 'https://deepl.example.org' }, { maxRetries: 0 })!.translate(request({}));
    expect(free.seen.map((s) => s.authorization)).toEqual([`DeepL-Auth-Key ${FREE_KEY}`]);
    expect(pro.seen.map((s) => s.authorization)).toEqual([`DeepL-Auth-Key ${PRO_KEY}`]);
    expect(own.seen).toHaveLength(1);
    expect(deeplTranslatorFromConfig({ DEEPL_AUTH_KEY: undefined, DEEPL_SERVER_URL: undefined })).toBeNull();
  });

  it('sends all texts of a batch in one request, with tag handling for placeholders', async () => {
    const { seen } = interceptTranslate(FREE, (text) => `ar:${text}`);
    const texts = ['Hello <x id="firstName"/>, welcome.', 'The office opens at 9.', 'Bring your papers &amp; a photo.'];
    const result = await deepl().translate(request({ texts, target: 'ar', markup: true }));

    expect(seen).toHaveLength(1);
    expect(seen[0]!.texts).toEqual(texts);
    expect(fieldsOf(seen[0]!.form)).toEqual({
      target_lang: 'ar',
      source_lang: 'en',
      show_billed_characters: '1',
      preserve_formatting: '1',
      tag_handling: 'xml',
      non_splitting_tags: 'x',
      ignore_tags: 'x',
    });
    expect(result.texts).toEqual(texts.map((t) => `ar:${t}`));
    expect(result.billedCharacters).toBe(texts.join('').length);
    expect(result.detectedSource).toBeNull();
  });

  it("asks for British English as the target, sends no source_lang when detecting, and maps the detected language", async () => {
    const { seen } = interceptTranslate(FREE);
    const result = await deepl().translate(request({ source: null, target: 'en' }));
    expect(fieldsOf(seen[0]!.form)).toEqual({ target_lang: 'en-GB', show_billed_characters: '1', preserve_formatting: '1' });
    expect(result.detectedSource).toBe('en');
  });

  it('counts characters when DeepL does not report billed characters, and never sends empty texts', async () => {
    const { seen } = interceptTranslate(FREE, (t) => t.toUpperCase(), { billed: false });
    const result = await deepl().translate(request({ texts: ['abc', '', 'دو'] }));
    expect(seen[0]!.texts).toEqual(['abc', 'دو']);
    expect(result.texts).toEqual(['ABC', '', 'دو']);
    expect(result.billedCharacters).toBe(5);
    const none = await deepl().translate(request({ texts: [''] }));
    expect(none).toEqual({ texts: [''], detectedSource: null, billedCharacters: 0 });
    expect(seen).toHaveLength(1);
  });

  it('splits 60 texts into two requests (DeepL takes at most 50) and keeps their order', async () => {
    const { seen } = interceptTranslate(FREE, (t) => `fr:${t}`);
    const texts = Array.from({ length: 60 }, (_, i) => `text ${i}`);
    const result = await deepl().translate(request({ texts }));
    expect(seen.map((s) => s.texts.length)).toEqual([50, 10]);
    expect(result.texts).toEqual(texts.map((t) => `fr:${t}`));
  });

  it('splits by size too: a request body stays under 128 KiB once form-encoded', async () => {
    const { seen } = interceptTranslate(FREE, () => 'ok');
    // 8,000 Arabic letters take 48,000 bytes percent-encoded: two fit in a request, not three.
    const texts = Array.from({ length: 5 }, () => 'ب'.repeat(8_000));
    const result = await deepl().translate(request({ texts, target: 'fr', source: 'ar' }));
    expect(seen.map((s) => s.texts.length)).toEqual([2, 2, 1]);
    expect(result.texts).toHaveLength(5);
  });
});

describe('DeepL translator: languages', () => {
  it('lists target languages as our codes, text-only languages without markup or glossary, and caches the list', async () => {
    let now = 0;
    const t = deepl(FREE_KEY, { now: () => now });
    targetLanguages(FREE, ['AR', 'EN-GB', 'EN-US', 'ES', 'FA', 'FR', 'PT-BR', 'TR', 'UK']);
    glossaryPairs(FREE, ['ar', 'en', 'es', 'fr', 'tr', 'uk']);
    const targets = await t.targets();
    expect([...targets.keys()].sort()).toEqual(['ar', 'en', 'es', 'fa', 'fr', 'tr', 'uk']);
    expect(targets.get('ar')).toEqual({ lang: 'ar', markup: true, glossary: true });
    expect(targets.get('en')).toEqual({ lang: 'en', markup: true, glossary: true });
    expect(targets.get('fa')).toEqual({ lang: 'fa', markup: false, glossary: false });
    expect(targets.has('ti')).toBe(false);

    now += 60 * 60 * 1000;
    expect(await t.targets()).toBe(targets); // no request: nock has no more answers
    now += 6 * 60 * 60 * 1000;
    targetLanguages(FREE, ['FR']);
    glossaryPairs(FREE, []);
    expect([...(await t.targets()).keys()]).toEqual(['fr']);
  });

  it('still lists languages when the glossary pairs cannot be read (no glossary then), and retries a failed listing', async () => {
    const t = deepl();
    nock(FREE).get('/v2/languages').query({ type: 'target' }).reply(503, { message: 'down' });
    nock(FREE).get('/v2/glossary-language-pairs').reply(503, {});
    await expect(t.targets()).rejects.toMatchObject({ name: 'TranslationError', kind: 'unavailable' });
    targetLanguages(FREE, ['FR']);
    nock(FREE).get('/v2/glossary-language-pairs').reply(404, {});
    expect((await t.targets()).get('fr')).toEqual({ lang: 'fr', markup: true, glossary: false });
  });
});

describe('DeepL translator: glossaries', () => {
  const glossary: Glossary = { id: 'g-7f3a', sourceLang: 'en', entries: { fr: { 'asylum office': "bureau d'asile" }, ar: { 'asylum office': 'مكتب اللجوء' } } };

  it('creates a DeepL glossary once per glossary and pair, and reuses it', async () => {
    targetLanguages(FREE, ['AR', 'FR']);
    glossaryPairs(FREE, ['ar', 'en', 'fr']);
    nock(FREE).get('/v3/glossaries').reply(200, { glossaries: [] });
    const created: URLSearchParams[] = [];
    nock(FREE)
      .post('/v3/glossaries')
      .times(2)
      .reply((_uri, body) => {
        const form = new URLSearchParams(String(body));
        created.push(form);
        const target = form.get('dictionaries[0].target_lang');
        return [201, { glossary_id: `deepl-${target}`, name: form.get('name'), dictionaries: [{ source_lang: 'en', target_lang: target, entry_count: 1 }], creation_time: '2026-09-01T10:00:00Z' }];
      });
    const { seen } = interceptTranslate(FREE);
    const t = deepl();
    await t.targets();

    // Two languages at once, then French again: two glossaries created, never a third.
    await Promise.all([t.translate(request({ target: 'fr', glossary })), t.translate(request({ target: 'ar', glossary })), t.translate(request({ target: 'fr', glossary }))]);
    await t.translate(request({ target: 'fr', glossary, texts: ['Go to the asylum office.'] }));

    expect(created.map((f) => Object.fromEntries(f))).toEqual(
      expect.arrayContaining([
        {
          name: 'passerelle g-7f3a en-fr',
          'dictionaries[0].source_lang': 'en',
          'dictionaries[0].target_lang': 'fr',
          'dictionaries[0].entries': "asylum office\tbureau d'asile",
          'dictionaries[0].entries_format': 'tsv',
        },
      ]),
    );
    expect(created).toHaveLength(2);
    expect(seen.map((s) => [s.form.get('target_lang'), s.form.get('glossary_id')])).toEqual(
      expect.arrayContaining([
        ['fr', 'deepl-fr'],
        ['ar', 'deepl-ar'],
      ]),
    );
    expect(seen.every((s) => s.form.get('glossary_id') === `deepl-${s.form.get('target_lang')}`)).toBe(true);
    expect(seen).toHaveLength(4);
  });

  it('reuses a glossary created before a restart, found by name', async () => {
    targetLanguages(FREE, ['FR']);
    glossaryPairs(FREE, ['en', 'fr']);
    nock(FREE)
      .get('/v3/glossaries')
      .reply(200, { glossaries: [{ glossary_id: 'kept-1', name: 'passerelle g-7f3a en-fr', dictionaries: [{ source_lang: 'en', target_lang: 'fr', entry_count: 1 }], creation_time: '2026-08-01T10:00:00Z' }] });
    const { seen } = interceptTranslate(FREE);
    await deepl().translate(request({ glossary }));
    expect(seen[0]!.form.get('glossary_id')).toBe('kept-1');
  });

  it('uses no glossary for a text-only language, an unknown source or a language without terms', async () => {
    targetLanguages(FREE, ['FA', 'FR', 'TR']);
    glossaryPairs(FREE, ['en', 'fa', 'fr', 'tr']);
    const { seen } = interceptTranslate(FREE);
    const t = deepl();
    await t.translate(request({ target: 'fa', glossary: { ...glossary, entries: { fa: { x: 'y' } } } }));
    await t.translate(request({ target: 'fr', source: null, glossary }));
    await t.translate(request({ target: 'tr', glossary }));
    expect(seen.map((s) => s.form.has('glossary_id'))).toEqual([false, false, false]);
  });
});

describe('DeepL translator: errors', () => {
  const cases = [
    { status: 456, body: { message: 'Quota exceeded' }, kind: 'quota', cause: QuotaExceededError },
    { status: 429, body: { message: 'Too many requests' }, kind: 'rate-limited', cause: TooManyRequestsError },
    { status: 403, body: { message: 'Wrong endpoint' }, kind: 'auth', cause: AuthorizationError },
    { status: 500, body: { message: 'Internal error' }, kind: 'unavailable', cause: DeepLError },
    { status: 400, body: { message: "Value for 'target_lang' not supported." }, kind: 'unsupported-language', cause: DeepLError },
    { status: 400, body: { message: "Parameter 'text' not specified." }, kind: 'unavailable', cause: DeepLError },
  ] as const;

  for (const c of cases) {
    it(`maps HTTP ${c.status} (${c.body.message}) to '${c.kind}', with the deepl-node error as cause`, async () => {
      const scope = nock(FREE).post('/v2/translate').reply(c.status, c.body);
      const error = await deepl()
        .translate(request({ texts: ['Ahmad, your appointment is at 9'] }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TranslationError);
      expect(error).toMatchObject({ name: 'TranslationError', kind: c.kind });
      expect((error as TranslationError).cause).toBeInstanceOf(c.cause);
      expect((error as TranslationError).message).not.toContain('Ahmad');
      expect(scope.isDone()).toBe(true);
    });
  }

  it("maps a network failure to 'unavailable' and drops the request (auth key, texts) from the cause", async () => {
    // Under nock 14, axios sees an injected socket error as a timeout: a network failure all the same.
    nock(FREE).post('/v2/translate').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    const error = (await deepl(FREE_KEY, { timeoutMs: 200 })
      .translate(request({ texts: ['Ahmad, your appointment is at 9'] }))
      .catch((e: unknown) => e)) as TranslationError;
    expect(error.kind).toBe('unavailable');
    expect(error.cause).toBeInstanceOf(ConnectionError);
    const everything = JSON.stringify(error, Object.getOwnPropertyNames(error)) + JSON.stringify(error.cause, Object.getOwnPropertyNames(error.cause));
    expect(everything).not.toContain(FREE_KEY);
    expect(everything).not.toContain('Ahmad');
  });
});
