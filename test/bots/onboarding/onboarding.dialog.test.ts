import { describe, expect, it } from 'vitest';
import type { TurnResult } from '../../../core/dialog/engine.ts';
import { productEnv } from '../../support/engine-env.ts';
import { conversation, say } from '../../core/dialog/engine-harness.ts';

// The product's onboarding, engine only: natural answers to the consent question, and a refusal.

const env = productEnv();
const chat = () => conversation(env);
const texts = (r: TurnResult) => r.replies.map((x) => x.message.text);

describe('onboarding consent', () => {
  it.each([
    ['fr', 'Français', 'oui'],
    ['uk', 'Українська', 'так'],
    ['ar', 'العربية', 'نعم'],
    ['fa', 'فارسی', 'بله'],
    ['en', 'English', '👍'],
    ['tr', 'Türkçe', 'tamam'],
  ])('%s: "%s" then "%s" agrees', (lang, language, yes) => {
    const c = chat();
    c.send({ kind: 'message', content: { type: 'start' } });
    expect(texts(c.send(say(language)))).toEqual([env.text(lang, 'onboarding:privacy')]);
    expect(texts(c.send(say(yes)))).toEqual([env.text(lang, 'onboarding:askRole')]);
  });

  it('a natural "no" declines, and the first words written are not kept', () => {
    const c = chat();
    c.send(say('Hello, I got your message about the food bank'));
    // Not a reply to any broadcast: the language question comes next.
    c.send({ kind: 'task-result', value: { kind: 'none' } });
    c.send(say('English'));
    expect(texts(c.send(say('nope')))).toEqual([env.text('en', 'onboarding:refused'), env.text('en', 'onboarding:reconsider')]);
    expect(c.session?.data).toEqual({ firstText: null, first: null, lang: 'en', consent: 'disagree' });
  });
});
