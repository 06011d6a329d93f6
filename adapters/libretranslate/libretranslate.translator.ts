import { z } from 'zod';
import { TranslationError, type TranslationErrorKind } from '../../core/errors.ts';
import type { TargetSupport, TranslationRequest, TranslationResult, Translator } from '../../core/ports/translator.port.ts';
import type { Config } from '../config.ts';

/** How to reach a LibreTranslate server. */
export interface LibreTranslateOptions {
  /** Base URL, e.g. https://translate.example.org (paths /languages and /translate are appended). */
  readonly url: string;
  readonly apiKey?: string | undefined;
  /** How long the list of languages is trusted (default 6 hours). */
  readonly targetsTtlMs?: number;
  /** Per-request timeout (default 60 s: CPU-only servers are slow on long batches). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

const languagesSchema = z.array(z.object({ code: z.string(), name: z.string(), targets: z.array(z.string()).optional() }));
const detectedSchema = z.object({ language: z.string(), confidence: z.number().optional() });
const translateSchema = z.object({
  translatedText: z.union([z.string(), z.array(z.string())]),
  detectedLanguage: z.union([detectedSchema, z.array(detectedSchema)]).optional(),
});
const errorSchema = z.object({ error: z.string() });

const SIX_HOURS = 6 * 60 * 60 * 1000;

/**
 * The Translator port over LibreTranslate's HTTP API (self-hosted or hosted): the fallback for
 * languages DeepL does not offer. One `translate()` call is one `POST /translate` with `q` as
 * an array.
 *
 * Support it reports, decided from how LibreTranslate works:
 * - `markup: false`. `format: 'html'` keeps tags, but argos-translate translates each text
 *   node between tags on its own (an empty `<x/>` cannot be re-injected into a whole-sentence
 *   translation), so "Hello <x/>, welcome" is translated as two fragments. Verified plain-text
 *   tokens keep the sentence whole. A request with `markup: true` is still honoured with 'html'.
 * - `glossary: false`: the API has no glossaries; a request's glossary is ignored.
 */
export class LibreTranslateTranslator implements Translator {
  readonly name = 'libretranslate';
  private readonly base: string;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private listing: { readonly at: number; readonly value: Promise<ReadonlyMap<string, TargetSupport>> } | null = null;

  constructor(private readonly options: LibreTranslateOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.ttlMs = options.targetsTtlMs ?? SIX_HOURS;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Every language some source can be translated into (GET /languages), cached for `targetsTtlMs`. */
  targets(): Promise<ReadonlyMap<string, TargetSupport>> {
    const now = this.now();
    if (this.listing && now - this.listing.at < this.ttlMs) return this.listing.value;
    const value = this.askTargets();
    this.listing = { at: now, value };
    value.catch(() => {
      if (this.listing?.value === value) this.listing = null;
    });
    return value;
  }

  async translate(request: TranslationRequest): Promise<TranslationResult> {
    const filled = request.texts.flatMap((text, i) => (text === '' ? [] : [i]));
    const out = request.texts.map(() => '');
    if (filled.length === 0) return { texts: out, detectedSource: null, billedCharacters: 0 };
    const q = filled.map((i) => request.texts[i] ?? '');
    const body = {
      q,
      source: request.source ?? 'auto',
      target: request.target,
      format: request.markup ? 'html' : 'text',
      ...(this.options.apiKey ? { api_key: this.options.apiKey } : {}),
    };
    const json = await this.call('/translate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const parsed = translateSchema.safeParse(json);
    const translated = parsed.success ? [parsed.data.translatedText].flat() : [];
    if (!parsed.success || translated.length !== q.length) {
      throw new TranslationError('LibreTranslate answered in an unexpected shape', 'unavailable');
    }
    translated.forEach((text, k) => (out[filled[k] ?? 0] = text));
    const detected = [parsed.data.detectedLanguage ?? []].flat()[0]?.language ?? null;
    return {
      texts: out,
      detectedSource: request.source === null ? detected : null,
      // LibreTranslate bills nothing; this counts what was sent, for statistics.
      billedCharacters: q.reduce((sum, text) => sum + [...text].length, 0),
    };
  }

  private async askTargets(): Promise<ReadonlyMap<string, TargetSupport>> {
    const parsed = languagesSchema.safeParse(await this.call('/languages', { method: 'GET' }));
    if (!parsed.success) throw new TranslationError('LibreTranslate listed languages in an unexpected shape', 'unavailable');
    const targets = new Map<string, TargetSupport>();
    for (const language of parsed.data) {
      for (const code of language.targets ?? [language.code]) {
        const lang = code.toLowerCase();
        // Regional variants (zh-Hans, pt-BR) are not languages we offer.
        if (!lang.includes('-')) targets.set(lang, { lang, markup: false, glossary: false });
      }
    }
    return targets;
  }

  private async call(path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new TranslationError('LibreTranslate could not be reached', 'unavailable', { cause: error });
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) return body;
    const reason = errorSchema.safeParse(body);
    const kind = kindOf(response.status, reason.success ? reason.data.error : '');
    // The cause names the status only: LibreTranslate's error text may quote the request.
    throw new TranslationError(`LibreTranslate answered ${response.status}`, kind, { cause: new Error(`HTTP ${response.status}`) });
  }
}

/** HTTP status (and error text, for 400) to kind: 429 rate-limited, 403 auth, 400 about a language unsupported. */
function kindOf(status: number, error: string): TranslationErrorKind {
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 400 && /(not supported|language)/i.test(error)) return 'unsupported-language';
  return 'unavailable';
}

/** The LibreTranslate translator when LIBRETRANSLATE_URL is set (with LIBRETRANSLATE_API_KEY if any), else null. */
export function libreTranslateFromConfig(
  config: Pick<Config, 'LIBRETRANSLATE_URL' | 'LIBRETRANSLATE_API_KEY'>,
  overrides: Partial<Omit<LibreTranslateOptions, 'url' | 'apiKey'>> = {},
): LibreTranslateTranslator | null {
  if (!config.LIBRETRANSLATE_URL) return null;
  return new LibreTranslateTranslator({ url: config.LIBRETRANSLATE_URL, apiKey: config.LIBRETRANSLATE_API_KEY, ...overrides });
}
