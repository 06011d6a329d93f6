import { TranslationError } from '../errors.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { Glossary, TargetSupport, TranslationCache, Translator } from '../ports/translator.port.ts';
import { placeholderNames, prepareForTranslation } from './placeholders.ts';
import { translationCacheKey } from './translation-cache-key.ts';

export { fillPlaceholders } from './placeholders.ts';

/** What one recipient language gets for one text of a broadcast. */
export type TemplateTranslation =
  /** Translated (placeholders kept as `{{name}}`); `by` is the translator's name or 'cache'. */
  | { readonly kind: 'translated'; readonly text: string; readonly by: string }
  /**
   * The source text as written: it is the source language, no translator covers the language,
   * or no translator is configured at all (`no-translator`, so that an NGO reads the real cause).
   */
  | { readonly kind: 'source'; readonly text: string; readonly reason: SourceReason }
  /** The translator failed for this language (quota, rate limit, outage): try again later. */
  | { readonly kind: 'failed'; readonly error: TranslationError };

/** What the service is built from; either translator may be absent (not configured). */
export interface TranslationServiceDeps {
  /** Tried first for every language it lists (DeepL). */
  readonly primary: Translator | null;
  /** For the languages the primary does not list (LibreTranslate). */
  readonly secondary: Translator | null;
  readonly cache: TranslationCache;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** One template (a broadcast text with `{{placeholders}}`) for several recipient languages. */
export interface TemplateRequest {
  readonly text: string;
  /** The language the organisation wrote in, or null to let the translator detect it. */
  readonly source: string | null;
  readonly targets: readonly string[];
  readonly glossary: Glossary | null;
  /**
   * Whether the texts may be kept in the translation cache (default true). Why false: a
   * person's own message (a reply, an answer to them) is personal data, unique, and must go
   * when they ask to be forgotten; only organisations' broadcasts are worth caching.
   */
  readonly cache?: boolean;
}

/** All the texts of one broadcast, translated together: one request per language at most. */
export interface TemplatesRequest extends Omit<TemplateRequest, 'text'> {
  readonly texts: readonly string[];
}

interface Route {
  readonly translator: Translator;
  readonly support: TargetSupport;
  /** The glossary when it applies to this language and translator, else null. */
  readonly glossary: Glossary | null;
}

type Listing = { readonly translator: Translator; readonly targets: ReadonlyMap<string, TargetSupport> } | { readonly translator: Translator; readonly error: TranslationError };

/** Why a text stays as written. */
export type SourceReason = 'unsupported' | 'same-language' | 'no-translator';

type Plan =
  | { readonly target: string; readonly outcome: { readonly kind: 'source'; readonly reason: SourceReason } | { readonly kind: 'failed'; readonly error: TranslationError } }
  | { readonly target: string; readonly route: Route; readonly fallback: Route | null };

/**
 * The one place where people's words are machine-translated. A broadcast costs at most one
 * translation request per target language, and none for what the cache already holds; a failure
 * for one language never affects the others. Logs carry languages and counts, never texts.
 */
export class TranslationService {
  constructor(private readonly deps: TranslationServiceDeps) {}

  /** Translates one template into every target language (see `translateTemplates`). */
  async translateTemplate(request: TemplateRequest): Promise<Map<string, TemplateTranslation>> {
    const all = await this.translateTemplates({ ...request, texts: [request.text] });
    const one = new Map<string, TemplateTranslation>();
    for (const [target, results] of all) if (results[0]) one.set(target, results[0]);
    return one;
  }

  /**
   * Translates all the texts of a broadcast into every target language. Results keep the order
   * of `texts`. A language the primary translator does not list goes to the secondary when that
   * one lists it; otherwise the source text is returned with reason 'unsupported'.
   */
  async translateTemplates(request: TemplatesRequest): Promise<Map<string, readonly TemplateTranslation[]>> {
    const { texts, source } = request;
    const targets = [...new Set(request.targets)];
    const needsTranslator = targets.some((t) => t !== source);
    const [primary, secondary] = needsTranslator ? await Promise.all([this.list(this.deps.primary), this.list(this.deps.secondary)]) : [null, null];
    const plans = targets.map((target) => planFor(target, source, request.glossary, primary, secondary));

    const keys = plans.map((plan) => ('route' in plan ? texts.map((text) => keyFor(text, source, plan.target, plan.route)) : []));
    const cacheable = request.cache !== false;
    const cached = cacheable ? await this.readCache([...new Set(keys.flat())]) : new Map<string, string>();
    const fresh = new Map<string, string>();
    // Why allSettled-style: run() never rejects, so one language's failure stays its own.
    const entries = await Promise.all(plans.map((plan, i) => this.run(plan, texts, source, keys[i] ?? [], cached, fresh)));
    if (cacheable) await this.writeCache(fresh);
    return new Map(entries);
  }

  private async run(
    plan: Plan,
    texts: readonly string[],
    source: string | null,
    keys: readonly string[],
    cached: ReadonlyMap<string, string>,
    fresh: Map<string, string>,
  ): Promise<[string, TemplateTranslation[]]> {
    const { target } = plan;
    if ('outcome' in plan) {
      const { outcome } = plan;
      return [target, texts.map((text) => (outcome.kind === 'failed' ? outcome : { kind: 'source', text, reason: outcome.reason }))];
    }
    const results: (TemplateTranslation | undefined)[] = keys.map((key) => {
      const hit = cached.get(key);
      return hit === undefined ? undefined : { kind: 'translated', text: hit, by: 'cache' };
    });
    const missing = uniqueMissing(texts, keys, results);
    if (missing.length === 0) {
      this.deps.logger.debug({ target, texts: texts.length }, 'translation served from cache');
      return [target, results.map((r) => r!)];
    }
    let route = plan.route;
    let routeKeys = keys;
    let translated: string[];
    try {
      translated = await this.translateMissing(route, missing, source, target);
    } catch (error) {
      const failure = asTranslationError(error);
      this.deps.logger.warn({ target, translator: route.translator.name, kind: failure.kind, error: failure.cause instanceof Error ? failure.cause.name : failure.name }, 'translation failed for one language');
      if (failure.kind !== 'unsupported-language' || plan.fallback === null) {
        return [target, results.map((r) => r ?? { kind: 'failed', error: failure })];
      }
      // The primary listed the language but refused it: the secondary covers it, try it once.
      route = plan.fallback;
      routeKeys = texts.map((text) => keyFor(text, source, target, route));
      try {
        translated = await this.translateMissing(route, missing, source, target);
      } catch (secondError) {
        const second = asTranslationError(secondError);
        this.deps.logger.warn({ target, translator: route.translator.name, kind: second.kind }, 'translation failed for one language');
        return [target, results.map((r) => r ?? { kind: 'failed', error: second })];
      }
    }
    const byText = new Map(missing.map((text, i) => [text, translated[i] ?? '']));
    return [
      target,
      texts.map((text, i) => {
        const done = results[i];
        if (done) return done;
        const out = byText.get(text) ?? '';
        fresh.set(routeKeys[i] ?? '', out);
        return { kind: 'translated', text: out, by: route.translator.name };
      }),
    ];
  }

  /** One request for all the texts one language still needs; returns templates in order. */
  private async translateMissing(route: Route, texts: readonly string[], source: string | null, target: string): Promise<string[]> {
    const markup = route.support.markup && texts.some((t) => placeholderNames(t).length > 0);
    const prepared = texts.map((t) => prepareForTranslation(t, markup));
    const sent = prepared.flatMap((p) => p.sent);
    const result = await route.translator.translate({ texts: sent, source, target, markup, glossary: route.glossary });
    if (result.texts.length !== sent.length) {
      throw new TranslationError(`${route.translator.name} returned ${result.texts.length} texts for ${sent.length}`, 'unavailable');
    }
    let offset = 0;
    let lost = 0;
    const templates = prepared.map((p) => {
      const finished = p.finish(result.texts.slice(offset, offset + p.sent.length));
      offset += p.sent.length;
      if (!finished.intact) lost += 1;
      return finished.text;
    });
    this.deps.logger.info(
      { target, translator: route.translator.name, texts: texts.length, billedCharacters: result.billedCharacters, markup, placeholderFallbacks: lost },
      'broadcast texts translated',
    );
    return templates;
  }

  private async list(translator: Translator | null): Promise<Listing | null> {
    if (!translator) return null;
    try {
      return { translator, targets: await translator.targets() };
    } catch (error) {
      const failure = asTranslationError(error);
      this.deps.logger.warn({ translator: translator.name, kind: failure.kind }, 'could not list target languages');
      return { translator, error: failure };
    }
  }

  private async readCache(keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (keys.length === 0) return new Map();
    try {
      return await this.deps.cache.getMany(keys);
    } catch (error) {
      // Why go on: a broken cache costs money, not deliveries.
      this.deps.logger.warn({ keys: keys.length, error: error instanceof Error ? error.name : 'unknown' }, 'translation cache unreadable');
      return new Map();
    }
  }

  private async writeCache(entries: ReadonlyMap<string, string>): Promise<void> {
    if (entries.size === 0) return;
    try {
      await this.deps.cache.putMany(entries, this.deps.clock.now());
    } catch (error) {
      this.deps.logger.warn({ entries: entries.size, error: error instanceof Error ? error.name : 'unknown' }, 'translation cache not written');
    }
  }
}

function planFor(target: string, source: string | null, glossary: Glossary | null, primary: Listing | null, secondary: Listing | null): Plan {
  if (target === source) return { target, outcome: { kind: 'source', reason: 'same-language' } };
  if (primary === null && secondary === null) return { target, outcome: { kind: 'source', reason: 'no-translator' } };
  const first = routeVia(primary, target, source, glossary);
  const second = routeVia(secondary, target, source, glossary);
  if (first) return { target, route: first, fallback: second };
  // Why fail rather than fall through: a translator that could not list its languages may well
  // cover this one; 'failed' lets the caller try again instead of sending the untranslated text.
  if (primary && 'error' in primary) return { target, outcome: { kind: 'failed', error: primary.error } };
  if (second) return { target, route: second, fallback: null };
  if (secondary && 'error' in secondary) return { target, outcome: { kind: 'failed', error: secondary.error } };
  return { target, outcome: { kind: 'source', reason: 'unsupported' } };
}

function routeVia(listing: Listing | null, target: string, source: string | null, glossary: Glossary | null): Route | null {
  if (!listing || !('targets' in listing)) return null;
  const support = listing.targets.get(target);
  if (!support) return null;
  return { translator: listing.translator, support, glossary: applicableGlossary(glossary, source, target, support) };
}

/** A glossary applies when the translator supports it here, the source is known and it has terms for this language. */
function applicableGlossary(glossary: Glossary | null, source: string | null, target: string, support: TargetSupport): Glossary | null {
  if (!glossary || !support.glossary || source === null || glossary.sourceLang !== source) return null;
  const entries = glossary.entries[target];
  return entries && Object.keys(entries).length > 0 ? glossary : null;
}

function keyFor(text: string, source: string | null, target: string, route: Route): string {
  return translationCacheKey(text, source, target, route.glossary?.id ?? null);
}

/** The distinct texts not served from the cache, in first-seen order. */
function uniqueMissing(texts: readonly string[], keys: readonly string[], results: readonly (TemplateTranslation | undefined)[]): string[] {
  const seen = new Set<string>();
  const missing: string[] = [];
  texts.forEach((text, i) => {
    const key = keys[i] ?? '';
    if (results[i] === undefined && !seen.has(key)) {
      seen.add(key);
      missing.push(text);
    }
  });
  return missing;
}

function asTranslationError(error: unknown): TranslationError {
  return error instanceof TranslationError ? error : new TranslationError('the translator failed unexpectedly', 'unavailable', { cause: error });
}
