import type { RelayControl } from './dialog-definition.ts';
import type { EngineEnv } from './engine-env.ts';
import { normalizeAnswer } from './normalize-answer.ts';

/** Prefix of a typed control in a relayed conversation: rare at the start of normal speech. */
export const CONTROL_PREFIX = '#';

/**
 * The control a typed `#word` names (`#end`, `#fin`, `#завершити`): its id or its word in any
 * language we speak, so a person who switched languages is still understood. Null otherwise.
 */
export function typedControl(text: string, controls: readonly RelayControl[], env: Pick<EngineEnv, 'languages' | 'text'>): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith(CONTROL_PREFIX)) return null;
  const folded = normalizeAnswer(trimmed.slice(CONTROL_PREFIX.length));
  if (!folded) return null;
  for (const control of controls) {
    const names = [control.id, ...env.languages.map((l) => env.text(l.code, control.word))];
    if (names.some((name) => normalizeAnswer(name) === folded)) return control.id;
  }
  return null;
}

/** The typed controls as the reader should type them (`#fin  #bloquer`), for the prompt's hint. */
export function controlWords(controls: readonly RelayControl[], lang: string, env: Pick<EngineEnv, 'text'>): string {
  return controls.map((c) => `${CONTROL_PREFIX}${env.text(lang, c.word)}`).join('  ');
}
