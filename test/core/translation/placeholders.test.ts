import { describe, expect, it } from 'vitest';
import { fillPlaceholders, placeholderNames, prepareForTranslation } from '../../../core/translation/placeholders.ts';

describe('placeholders', () => {
  it('finds placeholder names in order, spaces inside the braces tolerated', () => {
    expect(placeholderNames('Hi {{firstName}}, see {{ office }} — {{firstName}}!')).toEqual(['firstName', 'office', 'firstName']);
    expect(placeholderNames('{{not a name}} {{1x}}')).toEqual([]);
  });

  it('fills a recipient’s values, and tidies what a missing value leaves', () => {
    expect(fillPlaceholders('مرحبا {{firstName}}، المكتب مفتوح.', { firstName: 'Amal' })).toBe('مرحبا Amal، المكتب مفتوح.');
    expect(fillPlaceholders('{{firstName}}, the office is open.', {})).toBe('the office is open.');
    expect(fillPlaceholders('Hello {{firstName}}, see you.', { firstName: '' })).toBe('Hello, see you.');
    expect(fillPlaceholders('Hi {{toString}}', {})).toBe('Hi');
  });

  describe('as XML tags (markup languages)', () => {
    it('sends tags and escaped text, and restores placeholders and characters', () => {
      const p = prepareForTranslation('Hello {{firstName}}, bring A&B <papers> to {{ office }}.', true);
      expect(p.sent).toEqual(['Hello <x id="firstName"/>, bring A&amp;B &lt;papers&gt; to <x id="office"/>.']);
      expect(p.finish(['Bonjour <x id="firstName" />, apportez A&amp;B &lt;papiers&gt; à <x id="office"></x>.'])).toEqual({
        text: 'Bonjour {{firstName}}, apportez A&B <papiers> à {{office}}.',
        intact: true,
      });
    });

    it('escapes texts without placeholders too (the whole batch is XML)', () => {
      expect(prepareForTranslation('Tom & Jerry', true).sent).toEqual(['Tom &amp; Jerry']);
    });

    it('falls back to a greeting when a tag is lost or doubled', () => {
      const p = prepareForTranslation('Hello {{firstName}}, welcome.', true);
      expect(p.finish(['Bienvenue.'])).toEqual({ text: '{{firstName}}, Bienvenue.', intact: false });
      expect(p.finish(['<x id="firstName"/> <x id="firstName"/> bienvenue.'])).toEqual({ text: '{{firstName}}, bienvenue.', intact: false });
    });
  });

  describe('as tokens (text-only languages)', () => {
    it('sends numbered tokens and the text without placeholders', () => {
      const p = prepareForTranslation('Hello {{firstName}}, your appointment with {{advisor}} is at 9.', false);
      expect(p.sent).toEqual(['Hello ⟦1⟧, your appointment with ⟦2⟧ is at 9.', 'Hello, your appointment with is at 9.']);
    });

    it('restores tokens that came back exactly once, in any order, digits localised or not', () => {
      const p = prepareForTranslation('Hello {{firstName}}, your appointment with {{advisor}} is at 9.', false);
      expect(p.finish(['سلام ⟦۱⟧، وقت شما با ⟦ 2 ⟧ ساعت ۹ است.', 'ignored'])).toEqual({ text: 'سلام {{firstName}}، وقت شما با {{advisor}} ساعت ۹ است.', intact: true });
    });

    it('uses the translation without placeholders, greeting first, when a token is lost, doubled or broken', () => {
      const p = prepareForTranslation('Hello {{firstName}}, the office is open.', false);
      const fallback = { text: '{{firstName}}, Dafiiru waa furan yahay.', intact: false };
      expect(p.finish(['Salaan, xafiisku waa furan yahay.', 'Dafiiru waa furan yahay.'])).toEqual(fallback);
      expect(p.finish(['⟦1⟧ ⟦1⟧ salaan.', 'Dafiiru waa furan yahay.'])).toEqual(fallback);
      expect(p.finish(['Salaan ⟦1, xafiiska.', 'Dafiiru waa furan yahay.'])).toEqual(fallback);
      expect(p.finish(['Salaan [1], xafiiska.', 'Dafiiru waa furan yahay.'])).toEqual(fallback);
    });

    it('sends a placeholder-only text once and keeps it', () => {
      const p = prepareForTranslation('{{firstName}}', false);
      expect(p.sent).toEqual(['⟦1⟧']);
      expect(p.finish(['⟦1⟧'])).toEqual({ text: '{{firstName}}', intact: true });
      expect(p.finish([''])).toEqual({ text: '{{firstName}}', intact: false });
    });

    it('sends texts without placeholders as they are', () => {
      const p = prepareForTranslation('Tom & Jerry', false);
      expect(p.sent).toEqual(['Tom & Jerry']);
      expect(p.finish(['Tom et Jerry'])).toEqual({ text: 'Tom et Jerry', intact: true });
    });
  });
});
