import { describe, expect, it } from 'vitest';
import { CODE_MESSAGES } from '../../../adapters/console/code-message.ts';
import { CONSOLE_LANGUAGES, consoleLocale, consoleT } from '../../../adapters/console/console-i18n.ts';
import { LANGUAGE_CODES } from '../../../core/i18n/languages.ts';

// The console's own words, `adapters/console/locales/<lang>.json`, checked against English like
// the bot's: the same keys, the same placeholders, no empty string.

/** Every leaf of a nested table, as `a.b.c` keys. */
function leaves(table: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(table)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value as Record<string, unknown>, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const english = leaves(consoleLocale('en'));

describe('console locales', () => {
  for (const { code } of CONSOLE_LANGUAGES.filter((l) => l.code !== 'en')) {
    it(`${code} has exactly the English keys, each with the same placeholders`, () => {
      const table = leaves(consoleLocale(code));
      expect([...table.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of table) {
        expect(text.trim(), `${code}:${key}`).not.toBe('');
        expect(placeholders(text), `${code}:${key}`).toEqual(placeholders(english.get(key)!));
      }
    });
  }

  it('speaks Arabic right to left and fills placeholders without escaping them twice', () => {
    expect(CONSOLE_LANGUAGES.find((l) => l.code === 'ar')?.dir).toBe('rtl');
    expect(consoleT('ar')('compose.count', { count: 3 })).toBe('سيستلمها 3 شخصًا');
    expect(consoleT('fr')('compose.textHelp', { placeholder: '{{firstName}}' })).toBe('Écrivez {{firstName}} à la place du prénom de la personne.');
  });

  it('words the sign-in code in each of the bot’s ten languages, with the code in it', () => {
    expect(Object.keys(CODE_MESSAGES).sort()).toEqual([...LANGUAGE_CODES].sort());
    for (const [lang, text] of Object.entries(CODE_MESSAGES)) expect(placeholders(text), lang).toEqual(['code']);
  });
});
