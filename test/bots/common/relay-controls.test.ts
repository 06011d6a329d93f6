import { describe, expect, it } from 'vitest';
import { RELAY_CONTROLS } from '../../../bots/common/relay-controls.ts';
import { controlWords, typedControl } from '../../../core/dialog/relay-input.ts';
import { LANGUAGES } from '../../../core/i18n/languages.ts';
import { productEnv } from '../../support/engine-env.ts';

const env = productEnv();

describe('relay controls in the ten languages', () => {
  it.each(LANGUAGES.map((l) => l.code))('%s: each typed control reads back as itself, and the hint names them', (lang) => {
    for (const control of RELAY_CONTROLS) {
      const word = env.text(lang, control.word);
      expect(word, `${lang} ${control.id}`).not.toMatch(/\s/);
      expect(typedControl(`#${word}`, RELAY_CONTROLS, env), `${lang} #${word}`).toBe(control.id);
      // The English word works whatever the language.
      expect(typedControl(`#${control.id}`, RELAY_CONTROLS, env)).toBe(control.id);
    }
    const hint = env.text(lang, 'common:relayHint', { words: controlWords(RELAY_CONTROLS, lang, env) });
    for (const control of RELAY_CONTROLS) expect(hint).toContain(`#${env.text(lang, control.word)}`);
  });

  it('a word without the # prefix is not a control', () => {
    expect(typedControl('end', RELAY_CONTROLS, env)).toBeNull();
    expect(typedControl('# ', RELAY_CONTROLS, env)).toBeNull();
  });

  it('button labels fit old phones (20 characters)', () => {
    for (const lang of LANGUAGES.map((l) => l.code)) {
      for (const control of RELAY_CONTROLS) expect([...env.text(lang, control.label)].length, `${lang} ${control.id}`).toBeLessThanOrEqual(20);
    }
  });
});
