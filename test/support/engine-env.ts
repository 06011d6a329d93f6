import { COMMAND_DIALOGS, DIALOGS, entryDialog } from '../../bots/bots.ts';
import { loadLocales } from '../../bots/locales.ts';
import { commandMatcher } from '../../core/dialog/commands.ts';
import { dialogRegistry } from '../../core/dialog/dialog-definition.ts';
import type { EngineEnv } from '../../core/dialog/engine-env.ts';
import { LANGUAGES } from '../../core/i18n/languages.ts';
import { commandWords, createTextRenderer } from '../../core/i18n/text-renderer.ts';

const resources = loadLocales();

/** The real dialogs and locale strings, with a fixed clock: the env the product runs turns in. */
export function productEnv(overrides: Partial<EngineEnv> = {}): EngineEnv {
  return {
    now: new Date('2026-11-28T10:00:00Z'),
    dialogs: dialogRegistry(DIALOGS),
    text: createTextRenderer(resources),
    commands: commandMatcher(commandWords(resources)),
    languages: LANGUAGES,
    defaultLang: 'en',
    person: null,
    entry: entryDialog,
    commandDialogs: COMMAND_DIALOGS,
    idleTimeoutMs: 60 * 60_000,
    maxAttempts: 3,
    maxStepsPerTurn: 50,
    maxAnswerLength: 1000,
    ...overrides,
  };
}
