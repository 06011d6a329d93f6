import { DeepLClient, type TranslateTextOptions } from 'deepl-node';
import type { TargetSupport, TranslationRequest, TranslationResult, Translator } from '../../core/ports/translator.port.ts';
import type { Config } from '../config.ts';
import { splitIntoRequests } from './deepl.batches.ts';
import { toTranslationError } from './deepl.errors.ts';
import { DeepLGlossaries } from './deepl.glossaries.ts';
import { DEEPL_TEXT_ONLY, fromDeepLSource, fromDeepLTarget, toDeepLSource, toDeepLTarget } from './deepl.languages.ts';

/** How to reach DeepL. */
export interface DeepLTranslatorOptions {
  readonly authKey: string;
  /** Overrides the endpoint; by default keys ending in ':fx' go to api-free.deepl.com, others to api.deepl.com. */
  readonly serverUrl?: string | undefined;
  /** Retries deepl-node makes on 429, 5xx and network errors, with backoff (its default: 5; tests: 0). */
  readonly maxRetries?: number | undefined;
  /** Timeout of each HTTP attempt in milliseconds (deepl-node's `minTimeout`, its default 5 s). */
  readonly timeoutMs?: number | undefined;
  /** How long the list of target languages is trusted (default 6 hours). */
  readonly targetsTtlMs?: number;
  /** Milliseconds now, for the targets cache (tests advance it). */
  readonly now?: () => number;
}

/** What DeepL offers, as asked of the API. */
interface Catalogue {
  readonly targets: ReadonlyMap<string, TargetSupport>;
  /** `source>target` pairs (our codes) DeepL accepts glossaries for. */
  readonly glossaryPairs: ReadonlySet<string>;
}

const SIX_HOURS = 6 * 60 * 60 * 1000;

/**
 * The Translator port over deepl-node. One `translate()` call is one `POST /v2/translate` with
 * every text of the batch (more only beyond DeepL's 50 texts or 128 KiB per request), sent
 * with `preserve_formatting`, XML tag handling for placeholders when asked, and the DeepL
 * glossary for our glossary when the language pair supports one.
 */
export class DeepLTranslator implements Translator {
  readonly name = 'deepl';
  private readonly client: DeepLClient;
  private readonly glossaries: DeepLGlossaries;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private catalogue: { readonly at: number; readonly value: Promise<Catalogue> } | null = null;

  constructor(options: DeepLTranslatorOptions) {
    this.client = new DeepLClient(options.authKey, {
      ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}),
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.timeoutMs !== undefined ? { minTimeout: options.timeoutMs } : {}),
      sendPlatformInfo: false,
    });
    this.glossaries = new DeepLGlossaries(this.client);
    this.ttlMs = options.targetsTtlMs ?? SIX_HOURS;
    this.now = options.now ?? Date.now;
  }

  /** The target languages DeepL lists (our codes), asked at most once per `targetsTtlMs`. */
  async targets(): Promise<ReadonlyMap<string, TargetSupport>> {
    return (await this.loadCatalogue()).targets;
  }

  async translate(request: TranslationRequest): Promise<TranslationResult> {
    const source = request.source === null ? null : toDeepLSource(request.source);
    const target = toDeepLTarget(request.target);
    let glossaryId: string | null = null;
    try {
      glossaryId = await this.glossaryFor(request);
      const options: TranslateTextOptions = {
        preserveFormatting: true,
        ...(request.markup ? { tagHandling: 'xml', ignoreTags: ['x'], nonSplittingTags: ['x'] } : {}),
        ...(glossaryId ? { glossary: glossaryId } : {}),
      };
      // deepl-node refuses empty strings; they translate to themselves anyway.
      const filled = request.texts.flatMap((text, i) => (text === '' ? [] : [i]));
      const out = request.texts.map(() => '');
      let billedCharacters = 0;
      let detected: string | null = null;
      for (const batch of splitIntoRequests(filled.map((i) => request.texts[i] ?? ''))) {
        const indexes = batch.map((b) => filled[b] ?? 0);
        const texts = indexes.map((i) => request.texts[i] ?? '');
        const results = await this.client.translateText(texts, source, target, options);
        results.forEach((result, k) => {
          out[indexes[k] ?? 0] = result.text;
          billedCharacters += result.billedCharacters ?? [...(texts[k] ?? '')].length;
          detected ??= result.detectedSourceLang;
        });
      }
      return { texts: out, detectedSource: request.source === null && detected ? fromDeepLSource(detected) : null, billedCharacters };
    } catch (error) {
      if (glossaryId && request.glossary && request.source && isNotFound(error)) {
        this.glossaries.forget(request.glossary, request.source, request.target);
      }
      throw toTranslationError(error);
    }
  }

  /** The DeepL glossary id to use, or null when the request has none or the pair has no glossary support. */
  private async glossaryFor(request: TranslationRequest): Promise<string | null> {
    const { glossary, source, target } = request;
    // deepl-node requires a source language with a glossary; text-only languages take none.
    if (!glossary || source === null || glossary.sourceLang !== source || DEEPL_TEXT_ONLY.has(target)) return null;
    if (Object.keys(glossary.entries[target] ?? {}).length === 0) return null;
    const { glossaryPairs } = await this.loadCatalogue();
    if (!glossaryPairs.has(`${source}>${target}`)) return null;
    return this.glossaries.idFor(glossary, source, target);
  }

  private loadCatalogue(): Promise<Catalogue> {
    const now = this.now();
    if (this.catalogue && now - this.catalogue.at < this.ttlMs) return this.catalogue.value;
    const value = this.askCatalogue();
    this.catalogue = { at: now, value };
    // Why forget a failure: the next call asks again instead of failing for six hours.
    value.catch(() => {
      if (this.catalogue?.value === value) this.catalogue = null;
    });
    return value;
  }

  private async askCatalogue(): Promise<Catalogue> {
    try {
      const [languages, pairs] = await Promise.all([
        this.client.getTargetLanguages(),
        // Why tolerate: glossaries are an improvement; without the pairs, none is used.
        this.client.getGlossaryLanguagePairs().catch(() => []),
      ]);
      const glossaryPairs = new Set(pairs.map((p) => `${fromDeepLSource(p.sourceLang)}>${fromDeepLSource(p.targetLang)}`));
      const glossaryTargets = new Set(pairs.map((p) => fromDeepLSource(p.targetLang)));
      const targets = new Map<string, TargetSupport>();
      for (const language of languages) {
        const lang = fromDeepLTarget(language.code);
        if (lang === null) continue;
        const textOnly = DEEPL_TEXT_ONLY.has(lang);
        targets.set(lang, { lang, markup: !textOnly, glossary: !textOnly && glossaryTargets.has(lang) });
      }
      return { targets, glossaryPairs };
    } catch (error) {
      throw toTranslationError(error);
    }
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /^(Not found|Glossary not found)/.test(error.message);
}

/**
 * The DeepL translator when DEEPL_AUTH_KEY is set (DEEPL_SERVER_URL overrides the endpoint),
 * else null: the service then uses LibreTranslate alone, or sends texts untranslated.
 */
export function deeplTranslatorFromConfig(
  config: Pick<Config, 'DEEPL_AUTH_KEY' | 'DEEPL_SERVER_URL'>,
  overrides: Partial<Omit<DeepLTranslatorOptions, 'authKey' | 'serverUrl'>> = {},
): DeepLTranslator | null {
  if (!config.DEEPL_AUTH_KEY) return null;
  return new DeepLTranslator({ authKey: config.DEEPL_AUTH_KEY, serverUrl: config.DEEPL_SERVER_URL, ...overrides });
}
