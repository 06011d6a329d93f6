import nock from 'nock';

/** DeepL's endpoints: keys ending in ':fx' (Free plan) go to the first, others to the second. */
export const FREE = 'https://api-free.deepl.com';
export const PRO = 'https://api.deepl.com';
export const FREE_KEY = 'test-key-123:fx';
export const PRO_KEY = 'test-key-456';

/** One `POST /v2/translate` as DeepL received it: the decoded form fields and the auth header. */
export interface SeenTranslate {
  readonly form: URLSearchParams;
  readonly texts: string[];
  readonly authorization: string | undefined;
}

/**
 * Intercepts `POST /v2/translate` (persisting) and answers each text with `translate(text, form)`,
 * in DeepL's JSON shape, recording every request. deepl-node sends form-encoded bodies.
 */
export function interceptTranslate(
  host: string,
  translate: (text: string, form: URLSearchParams) => string = (text, form) => `[${form.get('target_lang')}] ${text}`,
  options: { billed?: boolean } = {},
): { seen: SeenTranslate[]; scope: nock.Scope } {
  const seen: SeenTranslate[] = [];
  const scope = nock(host)
    .persist()
    .post('/v2/translate')
    .reply(function (_uri, body) {
      const form = new URLSearchParams(typeof body === 'string' ? body : '');
      const texts = form.getAll('text');
      const header = this.req.headers['authorization'];
      seen.push({ form, texts, authorization: Array.isArray(header) ? header[0] : header });
      const translations = texts.map((text) => ({
        detected_source_language: 'EN',
        text: translate(text, form),
        ...(options.billed === false ? {} : { billed_characters: [...text].length }),
      }));
      return [200, { translations }];
    });
  return { seen, scope };
}

/** DeepL's `GET /v2/languages?type=target` answer for these codes (as DeepL spells them). */
export function targetLanguages(host: string, codes: readonly string[]): nock.Scope {
  return nock(host)
    .get('/v2/languages')
    .query({ type: 'target' })
    .reply(
      200,
      codes.map((language) => ({ language, name: language, supports_formality: false })),
    );
}

/** DeepL's `GET /v2/glossary-language-pairs` answer: every pair among these codes. */
export function glossaryPairs(host: string, codes: readonly string[]): nock.Scope {
  const supported_languages = codes.flatMap((s) => codes.filter((t) => t !== s).map((t) => ({ source_lang: s, target_lang: t })));
  return nock(host).get('/v2/glossary-language-pairs').reply(200, { supported_languages });
}

/** The form fields of a request, without the texts, as a plain object (repeated keys joined). */
export function fieldsOf(form: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (key !== 'text') fields[key] = key in fields ? `${fields[key]},${value}` : value;
  return fields;
}
