import { loadLocales } from '../../../bots/locales.ts';
import type { AppOverrides } from '../../../adapters/app.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import type { Json } from '../../../core/dialog/json.ts';
import type { InboundContent } from '../../../core/messages.ts';
import { FakeTranslator, full } from '../../core/translation/translation.fakes.ts';
import { manualClock, testApp } from '../../support/test-app.ts';

/** The product's own words, as the locale files say them. */
export const t = createTextRenderer(loadLocales());
export const say = (lang: string) => (key: string, params?: Record<string, Json>) => t(lang, key, params);

/** A pin at the edge of Saint-Denis and Aubervilliers, about 2 km from Aubervilliers' centre. */
export const PIN = { latitude: 48.925, longitude: 2.365 };

export type ExchangeApp = Awaited<ReturnType<typeof exchangeApp>>;

/** The whole product on SQLite, a clock moved by hand, a fake translator for every language. */
export async function exchangeApp(env: Record<string, string> = {}, overrides: AppOverrides = {}, clock = manualClock()) {
  const translator = new FakeTranslator('fake', ['en', 'fr', 'ar', 'uk', 'fa', 'tr', 'es'].map(full));
  const app = await testApp(env, { clock, translators: { primary: translator, secondary: null }, ...overrides });
  return Object.assign(app, { clock, translator });
}

let n = 0;

/** One web-chat person: what they send and exactly the texts and button ids they get back. */
export function person(app: ExchangeApp, userId: string) {
  const from = { channel: 'webchat' as const, id: userId };
  async function send(content: InboundContent): Promise<{ text: string; choices: string[] }[]> {
    const replies = await app.pipeline.handle({ id: `m-${++n}`, from, content, receivedAt: app.clock.now() });
    return replies.map((r) => ({
      // A long list of choices comes as a numbered list under the prompt: the prompt is what is compared.
      text: r.message.text.split('\n\n1. ')[0]!,
      choices: r.message.type === 'choices' ? r.message.choices.map((c) => c.id) : r.message.type === 'location-request' && r.message.skip ? [r.message.skip.id] : [],
    }));
  }
  return {
    from,
    send,
    text: (text: string) => send({ type: 'text', text }),
    tap: (choiceId: string) => send({ type: 'choice', choiceId }),
    pin: (latitude: number, longitude: number) => send({ type: 'location', latitude, longitude }),
    /** Signs up in a language, with a place (a pin, a typed town) or none. */
    async onboard(lang: string, name: string, place: { latitude: number; longitude: number } | string | null) {
      await send({ type: 'start' });
      await send({ type: 'choice', choiceId: lang });
      await send({ type: 'choice', choiceId: 'agree' });
      await send({ type: 'choice', choiceId: 'newcomer' });
      await send({ type: 'text', text: name });
      if (place === null) return send({ type: 'choice', choiceId: 'skip' });
      if (typeof place === 'string') return send({ type: 'text', text: place });
      return send({ type: 'location', ...place });
    },
  };
}

/** Texts only. */
export function texts(replies: { text: string }[]): string[] {
  return replies.map((r) => r.text);
}
