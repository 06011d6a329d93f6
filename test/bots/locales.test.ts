// Checks the bot's own words, `bots/<flow>/locales/<lang>.json`, against English: same keys, same
// placeholders, short button labels, and global command words that cannot be confused. Flows are
// discovered from the folders, so a new flow is covered as soon as it has a locales/ folder.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeAnswer } from '../../core/dialog/normalize-answer.ts';
import { LANGUAGES } from '../../core/i18n/languages.ts';

const LANGS = ['en', 'fr', 'ar', 'fa', 'ps', 'uk', 'ti', 'so', 'es', 'tr'] as const;
const BOTS_DIR = fileURLToPath(new URL('../../bots/', import.meta.url));

/** Labels shown on buttons: old phones cut them, so at most 20 characters. */
const BUTTON_KEYS = [
  'onboarding:roleNewcomer',
  'onboarding:roleResident',
  'onboarding:roleStaff',
  'onboarding:roleRecruiter',
  'onboarding:agree',
  'onboarding:disagree',
  'onboarding:skip',
  'common:yes',
  'common:no',
  'menu:language',
  'menu:privacy',
  'channels:menuEntry',
  'menu:help',
  'menu:join',
  'menu:work',
  'menu:broadcast',
  'broadcast:send',
  'broadcast:cancel',
];
const MAX_BUTTON_LENGTH = 20;

/** Texts that tell people which command words to type. */
const TEXTS_NAMING_COMMANDS = ['common:help', 'common:offerHelp', 'common:stopped', 'onboarding:privacy', 'menu:privacyInfo', 'broadcast:replyHint'];

const PLURAL_SUFFIXES = ['zero', 'one', 'two', 'few', 'many', 'other'];

type Table = Record<string, unknown>;
type Leaf = string | string[];

interface Namespace {
  readonly name: string;
  /** Relative path for messages, by language; only the languages that have a file. */
  readonly files: ReadonlyMap<string, string>;
  /** Flattened keys ("commands.help") to string or string-array values, by language. */
  readonly tables: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
}

function flatten(value: unknown, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Table)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, value);
  }
  return into;
}

function loadNamespaces(): Namespace[] {
  const namespaces: Namespace[] = [];
  for (const entry of readdirSync(BOTS_DIR, { withFileTypes: true })) {
    const dir = `${BOTS_DIR}${entry.name}/locales/`;
    if (!entry.isDirectory() || !existsSync(dir)) continue;
    const files = new Map<string, string>();
    const tables = new Map<string, Map<string, unknown>>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const lang = file.slice(0, -'.json'.length);
      const path = `bots/${entry.name}/locales/${file}`;
      files.set(lang, path);
      tables.set(lang, flatten(JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as unknown));
    }
    namespaces.push({ name: entry.name, files, tables });
  }
  return namespaces.sort((a, b) => a.name.localeCompare(b.name));
}

const NAMESPACES = loadNamespaces();

function isLeaf(value: unknown): value is Leaf {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

function strings(value: Leaf): string[] {
  return typeof value === 'string' ? [value] : value;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/{{\s*([^{}]+?)\s*}}/g)].map((m) => m[1]!))].sort();
}

/** "title_one" -> ["title", "one"] when the suffix is an i18next plural category. */
function pluralParts(key: string): [string, string] | null {
  const match = /^(.*)_(zero|one|two|few|many|other)$/.exec(key);
  return match ? [match[1]!, match[2]!] : null;
}

/**
 * The keys a language must have, given English's: plural groups (English has `x_other`) follow
 * the language's own plural categories, so Arabic may need `x_few` where English has `x_one`.
 */
function expectedKeys(enKeys: readonly string[], lang: string): { required: Set<string>; allowed: Set<string> } {
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[];
  const pluralBases = new Set(enKeys.map(pluralParts).filter((p) => p?.[1] === 'other').map((p) => p![0]));
  const required = new Set<string>();
  const allowed = new Set<string>();
  for (const key of enKeys) {
    const parts = pluralParts(key);
    if (parts && pluralBases.has(parts[0])) continue;
    required.add(key);
    allowed.add(key);
  }
  for (const base of pluralBases) {
    for (const category of categories) required.add(`${base}_${category}`);
    // i18next also reads `x_zero` for a count of 0 in every language.
    for (const suffix of PLURAL_SUFFIXES) if (suffix === 'zero' || categories.includes(suffix)) allowed.add(`${base}_${suffix}`);
  }
  return { required, allowed };
}

/** The English key a (possibly plural) key is checked against for placeholders. */
function englishTwin(en: ReadonlyMap<string, unknown>, key: string): unknown {
  if (en.has(key)) return en.get(key);
  const parts = pluralParts(key);
  return parts ? en.get(`${parts[0]}_other`) : undefined;
}

function qualified(ns: string, key: string): [string, string] {
  const [namespace, ...rest] = key.split(':');
  return rest.length > 0 ? [namespace!, rest.join(':')] : [ns, key];
}

function valueOf(namespace: string, lang: string, key: string): unknown {
  return NAMESPACES.find((n) => n.name === namespace)?.tables.get(lang)?.get(key);
}

function fileOf(namespace: string, lang: string): string {
  return `bots/${namespace}/locales/${lang}.json`;
}

/** Every command word of every language, folded as the engine folds what people type. */
function commandWords(): { lang: string; command: string; word: string; folded: string }[] {
  const words: { lang: string; command: string; word: string; folded: string }[] = [];
  const common = NAMESPACES.find((n) => n.name === 'common');
  for (const [lang, table] of common?.tables ?? []) {
    for (const [key, value] of table) {
      if (!key.startsWith('commands.') || !Array.isArray(value)) continue;
      for (const word of value) {
        if (typeof word === 'string') words.push({ lang, command: key.slice('commands.'.length), word, folded: normalizeAnswer(word) });
      }
    }
  }
  return words;
}

it('finds the locale folders', () => {
  expect(NAMESPACES.map((n) => n.name)).toEqual(expect.arrayContaining(['common', 'menu', 'onboarding']));
});

describe.each(NAMESPACES.map((n) => [n.name, n] as const))('locales of %s', (_name, ns) => {
  const en = ns.tables.get('en');

  it('has a file for every language', () => {
    const missing = LANGS.filter((lang) => !ns.files.has(lang)).map((lang) => `${fileOf(ns.name, lang)} is missing`);
    expect(missing).toEqual([]);
  });

  it.each(LANGS.filter((l) => l !== 'en'))('%s has exactly the keys of en', (lang) => {
    const table = ns.tables.get(lang);
    if (!en || !table) return; // reported by "has a file for every language"
    const file = fileOf(ns.name, lang);
    const { required, allowed } = expectedKeys([...en.keys()], lang);
    const problems = [
      ...[...required].filter((key) => !table.has(key)).map((key) => `${file}: missing key "${key}"`),
      ...[...table.keys()].filter((key) => !allowed.has(key)).map((key) => `${file}: extra key "${key}" (not in en.json)`),
    ];
    expect(problems).toEqual([]);
  });

  it.each([...LANGS])('%s: values are non-empty, with the same kind and placeholders as en', (lang) => {
    const table = ns.tables.get(lang);
    if (!en || !table) return;
    const file = fileOf(ns.name, lang);
    const problems: string[] = [];
    for (const [key, value] of table) {
      if (!isLeaf(value)) {
        problems.push(`${file}: "${key}" must be a string or a list of strings`);
        continue;
      }
      if (strings(value).length === 0 || strings(value).some((s) => s.trim() === '')) {
        problems.push(`${file}: "${key}" is empty or has an empty entry`);
      }
      const twin = englishTwin(en, key);
      if (twin === undefined || !isLeaf(twin)) continue; // extra key: reported elsewhere
      if (Array.isArray(twin) !== Array.isArray(value)) {
        problems.push(`${file}: "${key}" must be ${Array.isArray(twin) ? 'a list' : 'a string'}, as in en.json`);
        continue;
      }
      if (typeof value === 'string' && typeof twin === 'string') {
        const mine = placeholders(value);
        const theirs = placeholders(twin);
        if (mine.join('|') !== theirs.join('|')) {
          problems.push(`${file}: "${key}" has placeholders [${mine.join(', ')}], en has [${theirs.join(', ')}]`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each([...LANGS])(`%s: button labels are at most ${MAX_BUTTON_LENGTH} characters`, (lang) => {
    const problems: string[] = [];
    for (const qualifiedKey of BUTTON_KEYS) {
      const [namespace, key] = qualified(ns.name, qualifiedKey);
      if (namespace !== ns.name) continue;
      const value = valueOf(namespace, lang, key);
      if (typeof value !== 'string') continue; // missing: reported elsewhere
      const length = [...value].length;
      if (length > MAX_BUTTON_LENGTH) problems.push(`${fileOf(namespace, lang)}: "${key}" is ${length} characters: "${value}"`);
    }
    expect(problems).toEqual([]);
  });
});

describe('command words (common.commands)', () => {
  const en = NAMESPACES.find((n) => n.name === 'common')?.tables.get('en');
  const enCommands = [...(en ?? new Map<string, unknown>())].filter(([key]) => key.startsWith('commands.'));

  it('en.json has command words', () => {
    expect(enCommands.length).toBeGreaterThan(0);
  });

  it.each(LANGS.filter((l) => l !== 'en'))('%s keeps every English command word', (lang) => {
    const problems: string[] = [];
    for (const [key, enWords] of enCommands) {
      const words = valueOf('common', lang, key);
      if (!Array.isArray(words) || !Array.isArray(enWords)) continue;
      for (const word of enWords) {
        if (!words.includes(word)) problems.push(`${fileOf('common', lang)}: "${key}" lacks the English word "${String(word)}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('no word means two different commands, in any language', () => {
    const owner = new Map<string, { lang: string; command: string; word: string }>();
    const problems: string[] = [];
    for (const entry of commandWords()) {
      if (!entry.folded) continue; // folds to nothing (e.g. "?"): can never match, harmless here
      const first = owner.get(entry.folded);
      if (!first) {
        owner.set(entry.folded, entry);
      } else if (first.command !== entry.command) {
        problems.push(
          `"${entry.word}" in ${fileOf('common', entry.lang)} "commands.${entry.command}" reads as "${first.word}" in ` +
            `${fileOf('common', first.lang)} "commands.${first.command}"`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  // The engine reads a command before the answer, so a button label or a language name that is
  // also a command word would never be taken as an answer.
  it('no button label or language name is taken for a command', () => {
    const byFolded = new Map(commandWords().filter((w) => w.folded).map((w) => [w.folded, w] as const));
    const problems: string[] = [];
    for (const qualifiedKey of BUTTON_KEYS) {
      const [namespace, key] = qualified('common', qualifiedKey);
      for (const lang of LANGS) {
        const label = valueOf(namespace, lang, key);
        if (typeof label !== 'string') continue;
        const hit = byFolded.get(normalizeAnswer(label));
        // The menu's "Help" button may well be the word "help": both do the same.
        if (hit && !(namespace === 'menu' && hit.command === key)) {
          problems.push(`${fileOf(namespace, lang)}: "${key}" label "${label}" is the "${hit.command}" command word "${hit.word}" (${hit.lang})`);
        }
      }
    }
    for (const language of LANGUAGES) {
      for (const name of [language.nativeName, ...language.aliases]) {
        const hit = byFolded.get(normalizeAnswer(name));
        if (hit) problems.push(`language name "${name}" is the "${hit.command}" command word "${hit.word}" in ${fileOf('common', hit.lang)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  // English names commands in capitals (MENU); translations quote them («قائمة», “MENÜ”). Each
  // quoted word must be a command word of that language, and the same commands as English named.
  it.each(LANGS.filter((l) => l !== 'en'))('%s texts name the same commands as en, with words of its own list', (lang) => {
    const own = new Map(commandWords().filter((w) => w.lang === lang && w.folded).map((w) => [w.folded, w.command] as const));
    const english = new Map(commandWords().filter((w) => w.lang === 'en' && w.folded).map((w) => [w.folded, w.command] as const));
    const problems: string[] = [];
    for (const qualifiedKey of TEXTS_NAMING_COMMANDS) {
      const [namespace, key] = qualified('common', qualifiedKey);
      const enText = valueOf(namespace, 'en', key);
      const text = valueOf(namespace, lang, key);
      if (typeof enText !== 'string' || typeof text !== 'string') continue;
      const wanted = new Set(
        [...enText.matchAll(/\b[A-Z]{2,}(?: [A-Z]{2,})*\b/g)].map((m) => english.get(normalizeAnswer(m[0]))).filter((c) => c !== undefined),
      );
      const named = new Set<string>();
      for (const match of text.matchAll(/«([^»]+)»|“([^”]+)”|"([^"]+)"/g)) {
        const word = (match[1] ?? match[2] ?? match[3]!).trim();
        const command = own.get(normalizeAnswer(word));
        if (command) named.add(command);
        else problems.push(`${fileOf(namespace, lang)}: "${key}" asks to type "${word}", which is not in ${lang}'s common.commands`);
      }
      const missing = [...wanted].filter((c) => !named.has(c));
      const extra = [...named].filter((c) => !wanted.has(c));
      if (missing.length > 0) problems.push(`${fileOf(namespace, lang)}: "${key}" does not name (in quotes) the command(s) ${missing.join(', ')}`);
      if (extra.length > 0) problems.push(`${fileOf(namespace, lang)}: "${key}" names command(s) ${extra.join(', ')} that en does not`);
    }
    expect(problems).toEqual([]);
  });
});
