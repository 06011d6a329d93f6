import { describe, expect, it } from 'vitest';
import { cleanFreeText, firstNameSchema, spreadsheetSafe } from '../../../core/text/people-text.ts';

describe('people text', () => {
  it('removes controls, NUL and bidi overrides, keeps ZWJ/ZWNJ, direction marks, tabs and line feeds', () => {
    expect(cleanFreeText('\u202eParis\u0000\u0007')).toBe('Paris');
    expect(cleanFreeText('a\u202ab\u202cc\u2066d\u2069\ufeffe\u0085f\u007f')).toBe('abcdef');
    expect(cleanFreeText('می\u200cخواهم \u200d \u200f\u200e\u061c')).toBe('می\u200cخواهم \u200d \u200f\u200e\u061c');
    expect(cleanFreeText('one\r\ntwo\rthree\tfour')).toBe('one\ntwo\nthree\tfour');
  });

  it('takes names of any script, refuses formulas and formatting characters', () => {
    for (const ok of ['Amina', 'Олена', 'علی\u200cرضا', "N'Golo", 'Jean-Pierre']) expect(firstNameSchema.safeParse(ok).success).toBe(true);
    for (const bad of ['=1+1', '+33', '@x', '\u202eanimA', 'Ami\u200bna', 'x\u0000']) expect(firstNameSchema.safeParse(bad).success).toBe(false);
  });

  it('prefixes a spreadsheet formula with a quote', () => {
    expect(['=A1', '+1', '-1', '@A', 'Amina'].map(spreadsheetSafe)).toEqual(["'=A1", "'+1", "'-1", "'@A", 'Amina']);
  });
});
