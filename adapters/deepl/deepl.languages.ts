import type { SourceLanguageCode, TargetLanguageCode } from 'deepl-node';

/**
 * Languages DeepL translates as plain text only: no XML tag handling and no glossaries.
 *
 * Why a table: deepl-node 1.28's `getTargetLanguages()` calls `GET /v2/languages?type=target`,
 * which reports a code, a name and `supports_formality`, nothing about tags or glossaries.
 * `GET /v3/languages?resource=translate_text` does report `tag_handling` and `glossary` per
 * language, but DeepL marks it beta ("do not use in production") and deepl-node 1.28 has no
 * method for it. DeepL's languages page documents its newer languages (the 2026 release that
 * added Persian, Pashto and Somali, among others) as text translation only, so these are
 * applied on top of what the API lists: when the API lists one of them, it is used without
 * markup (placeholders travel as verified tokens) and without a glossary. Revisit the table
 * when `/v3/languages` is stable. Tigrinya (ti) and Kurmanji (kmr) are not offered by DeepL's
 * text API listing at all: they go to LibreTranslate or stay untranslated.
 */
export const DEEPL_TEXT_ONLY: ReadonlySet<string> = new Set(['fa', 'ps', 'so']);

/** Our code as a DeepL target: English needs a variant ('en' is deprecated as a target). */
export function toDeepLTarget(lang: string): TargetLanguageCode {
  return (lang === 'en' ? 'en-GB' : lang) as TargetLanguageCode;
}

/** Our code as a DeepL source code ('en' stays 'en': sources have no variants). */
export function toDeepLSource(lang: string): SourceLanguageCode {
  return lang as SourceLanguageCode;
}

/**
 * A DeepL target code ('EN-GB', 'fr', as listed) as our code, or null for the variants we do
 * not offer ('en-US', 'pt-BR', 'es-419', 'zh-HANT'): British English is our English.
 */
export function fromDeepLTarget(code: string): string | null {
  const lower = code.toLowerCase();
  if (lower === 'en-gb') return 'en';
  return lower.includes('-') ? null : lower;
}

/** A detected DeepL source language ('EN', 'fr') as our code. */
export function fromDeepLSource(code: string): string {
  return (code.split('-')[0] ?? code).toLowerCase();
}
