import type { LanguageOption } from '../dialog/engine-env.ts';

/** A language the bot's own words are written in by hand. */
export interface Language extends LanguageOption {
  readonly englishName: string;
  readonly dir: 'ltr' | 'rtl';
}

function language(code: string, nativeName: string, englishName: string, dir: 'ltr' | 'rtl', more: string[] = []): Language {
  return { code, nativeName, englishName, dir, aliases: [code, englishName, ...more] };
}

/**
 * The supported languages, in picker order: the languages most refugees in Europe speak first.
 * Each is shown in its own name and script; English names and codes are accepted when typed.
 */
export const LANGUAGES: readonly Language[] = [
  language('ar', 'العربية', 'Arabic', 'rtl', ['عربي', 'arabi']),
  language('fa', 'فارسی / دری', 'Persian', 'rtl', ['فارسی', 'دری', 'Dari', 'Farsi']),
  language('ps', 'پښتو', 'Pashto', 'rtl', ['Pashtu']),
  language('uk', 'Українська', 'Ukrainian', 'ltr', ['українська', 'ua']),
  language('ti', 'ትግርኛ', 'Tigrinya', 'ltr'),
  language('so', 'Soomaali', 'Somali', 'ltr', ['Af-Soomaali']),
  language('tr', 'Türkçe', 'Turkish', 'ltr'),
  language('fr', 'Français', 'French', 'ltr', ['francais']),
  language('es', 'Español', 'Spanish', 'ltr', ['espanol']),
  language('en', 'English', 'English', 'ltr'),
];

/** The language codes, for zod enums and locale checks. */
export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code);

/** Whether a code is one the bot speaks. */
export function isSupportedLanguage(code: string): boolean {
  return LANGUAGE_CODES.includes(code);
}

/** Script direction of a language (rtl for Arabic, Persian, Pashto). */
export function directionOf(code: string): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}
