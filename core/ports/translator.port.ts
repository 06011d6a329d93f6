/**
 * Machine translation of people's words (NGO broadcasts, relayed replies). The bot's own words
 * never go through it: they are written by hand in the locale files.
 */

/** Terms an organisation wants kept or rendered one way (its name, "asylum", office names). */
export interface Glossary {
  /** Stable id derived from the entries, so a changed glossary never reuses stale translations. */
  readonly id: string;
  readonly sourceLang: string;
  /** Per target language code: source term -> target term. */
  readonly entries: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One batch to translate into one target language. */
export interface TranslationRequest {
  readonly texts: readonly string[];
  /** Our language code, or null to let the translator detect it. */
  readonly source: string | null;
  readonly target: string;
  /** When true the texts hold XML tags (`<x id="firstName"/>`) that must come back untouched. */
  readonly markup: boolean;
  readonly glossary: Glossary | null;
}

/** The translated batch, in request order. */
export interface TranslationResult {
  readonly texts: readonly string[];
  /** Detected source language (our code) when the request had none. */
  readonly detectedSource: string | null;
  /** Characters the provider bills for this request. */
  readonly billedCharacters: number;
}

/** What a translator can do for one target language. */
export interface TargetSupport {
  /** Our language code. */
  readonly lang: string;
  /** Whether XML tag handling (placeholders as tags) works for this language. */
  readonly markup: boolean;
  /** Whether glossaries work for this language pair. */
  readonly glossary: boolean;
}

/** A machine translator (DeepL, LibreTranslate). Failures throw TranslationError with a kind. */
export interface Translator {
  /** A short name for logs and statistics ("deepl", "libretranslate"). */
  readonly name: string;
  /** The target languages it covers, asked of the provider (cached by the adapter). */
  targets(): Promise<ReadonlyMap<string, TargetSupport>>;
  translate(request: TranslationRequest): Promise<TranslationResult>;
}

/** Translations already paid for, by (source text, source language, target, glossary). */
export interface TranslationCache {
  /** Returns the cached translations for these keys (missing keys are absent). */
  getMany(keys: readonly string[]): Promise<Map<string, string>>;
  putMany(entries: ReadonlyMap<string, string>, at: Date): Promise<void>;
}
