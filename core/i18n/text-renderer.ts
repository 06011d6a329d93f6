import i18next, { type Resource } from 'i18next';
import type { Command } from '../dialog/commands.ts';
import { COMMANDS } from '../dialog/commands.ts';
import type { TextRenderer } from '../dialog/engine-env.ts';

/** Locale strings by language, then namespace: `{ fr: { onboarding: {...} } }`. */
export type LocaleResources = Resource;

const MAX_FIXED_WORDS = 20_000;

/**
 * Builds the renderer of the bot's own words with i18next (plurals per language, interpolation
 * without HTML escaping: replies are plain text, never HTML). Missing keys fall back to English.
 */
export function createTextRenderer(resources: LocaleResources, fallbackLng = 'en'): TextRenderer {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    fallbackLng,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // Words without parameters are the same every time: looked up once per language and key (and
  // variant). Why: i18next's lookup (fallbacks, plurals, nesting) is a measurable share of a turn.
  const fixed = new Map<string, string>();
  return (lang, key, params) => {
    const context = params?.['context'] ?? '';
    const cacheable = typeof context === 'string' && (params === undefined || Object.keys(params).every((name) => name === 'context'));
    if (!cacheable) return instance.t(key, { lng: lang, ...params }) as string;
    const id = `${lang}\u0000${key}\u0000${context}`;
    let text = fixed.get(id);
    if (text === undefined) {
      text = instance.t(key, { lng: lang, ...params }) as string;
      // Bounded by the locale files; the cap only guards against keys made from data.
      if (fixed.size < MAX_FIXED_WORDS) fixed.set(id, text);
    }
    return text;
  };
}

/**
 * The same words for a channel with its own variants: a key `<key>_<variant>` (`privacy_sms`)
 * wins over `<key>` where the language has one (i18next's context, looked up language by
 * language: a French text never gives way to an English variant).
 */
export function createVariantTextRenderer(resources: LocaleResources, variant: string, fallbackLng = 'en'): TextRenderer {
  const plain = createTextRenderer(resources, fallbackLng);
  return (lang, key, params) => plain(lang, key, { ...params, context: variant });
}

/** Collects, from every language, the words that trigger each global command (`common.commands`). */
export function commandWords(resources: LocaleResources): Record<Command, string[]> {
  const words = Object.fromEntries(COMMANDS.map((c) => [c, [c]])) as Record<Command, string[]>;
  for (const namespaces of Object.values(resources)) {
    const table = (namespaces['common'] as { commands?: Partial<Record<Command, unknown>> } | undefined)?.commands;
    for (const command of COMMANDS) {
      const list = table?.[command];
      if (Array.isArray(list)) words[command].push(...list.filter((w): w is string => typeof w === 'string'));
    }
  }
  return words;
}
