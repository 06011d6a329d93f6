import { readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';

/** The languages the console speaks, with their direction. */
export const CONSOLE_LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
] as const;

/** One of the console's language codes. */
export type ConsoleLang = (typeof CONSOLE_LANGUAGES)[number]['code'];

const CODES: readonly string[] = CONSOLE_LANGUAGES.map((l) => l.code);

/** The console's words in one language, from `adapters/console/locales/<lang>.json`. */
export function consoleLocale(lang: ConsoleLang): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./locales/${lang}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  resources: Object.fromEntries(CONSOLE_LANGUAGES.map((l) => [l.code, { console: consoleLocale(l.code) }])),
  ns: ['console'],
  defaultNS: 'console',
  fallbackLng: 'en',
  // Values go through the html tag, which escapes them: escaping here too would show &amp;.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** A translator bound to one console language. */
export function consoleT(lang: ConsoleLang): TFunction {
  return instance.getFixedT(lang, 'console');
}

/** A console language code, or null when `code` is not one. */
export function asConsoleLang(code: string | null | undefined): ConsoleLang | null {
  return code && CODES.includes(code) ? (code as ConsoleLang) : null;
}

/** The best console language for an Accept-Language header (English when none fits). */
export function langFromHeader(header: string | undefined): ConsoleLang {
  for (const part of (header ?? '').split(',')) {
    const lang = asConsoleLang(part.trim().split(';')[0]?.split('-')[0]?.toLowerCase());
    if (lang) return lang;
  }
  return 'en';
}

/** The writing direction of a console language. */
export function dirOf(lang: ConsoleLang): 'ltr' | 'rtl' {
  return CONSOLE_LANGUAGES.find((l) => l.code === lang)!.dir;
}
