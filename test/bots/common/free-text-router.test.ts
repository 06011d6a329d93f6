import { describe, expect, it } from 'vitest';
import { FREE_TEXT_EVENTS, freeTextEffects, type FreeTextRoute } from '../../../bots/common/free-text-router.ts';
import type { Json } from '../../../core/dialog/json.ts';
import type { EffectContext } from '../../../core/pipeline/effects.ts';
import { systemClock } from '../../../core/ports/clock.port.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';

/** A route that claims text containing its word, and records what it was given. */
function route(id: string, word: string, options: { explicit?: boolean; forStrangers?: boolean } = {}) {
  const delivered: string[] = [];
  const r: FreeTextRoute = {
    id,
    forStrangers: options.forStrangers ?? false,
    claim: async (text) => (text.includes(word) ? { explicit: options.explicit ?? false, label: `t:${id}`, params: { who: word } } : null),
    deliver: async (text) => {
      delivered.push(text);
      return { kind: 'delivered', notice: `t:${id}Sent` };
    },
  };
  return Object.assign(r, { delivered });
}

const context: EffectContext = {
  address: { channel: 'webchat', id: 'u1' },
  person: null,
  store: {} as Store,
  clock: systemClock,
  ids: { newId: () => 'id' },
  logger: silentLogger,
  effectId: 'effect-1',
  send: async () => {},
  signal: async () => {},
};
const text = (lang: string, key: string, params?: Readonly<Record<string, Json>>) => `${lang}/${key}/${String(params?.['who'])}`;

async function run(routes: FreeTextRoute[], event: string, payload: Record<string, Json>) {
  const handler = freeTextEffects(routes, { text, defaultLang: 'fr' }).get(event)!;
  return handler({ type: event, payload, awaitsResult: true }, context);
}

describe('the free-text router', () => {
  it('delivers to the only route that may want the text', async () => {
    const reply = route('reply', 'thanks');
    const relay = route('relay', 'Sam');
    expect(await run([reply, relay], FREE_TEXT_EVENTS.route.name, { freeText: 'thanks a lot' })).toEqual({ kind: 'delivered', notice: 't:replySent' });
    expect([reply.delivered, relay.delivered]).toEqual([['thanks a lot'], []]);
  });

  it('asks "Who is this for?" when several may, with options in the reader\'s language', async () => {
    const reply = route('reply', 'thanks');
    const relay = route('relay', 'thanks');
    expect(await run([reply, relay], FREE_TEXT_EVENTS.route.name, { freeText: 'thanks' })).toEqual({
      kind: 'ambiguous',
      options: [
        { id: 'reply', label: 'fr/t:reply/thanks' },
        { id: 'relay', label: 'fr/t:relay/thanks' },
      ],
    });
    expect(reply.delivered).toEqual([]);
    expect(await run([reply, relay], FREE_TEXT_EVENTS.deliver.name, { freeText: 'thanks', target: 'relay' })).toEqual({ kind: 'delivered', notice: 't:relaySent' });
    expect(relay.delivered).toEqual(['thanks']);
  });

  it('takes an unmistakable text (a JOIN code) without asking', async () => {
    const join = route('join', 'JOIN', { explicit: true });
    const reply = route('reply', 'JOIN');
    expect(await run([reply, join], FREE_TEXT_EVENTS.route.name, { freeText: 'JOIN alpha' })).toEqual({ kind: 'delivered', notice: 't:joinSent' });
  });

  it('answers "none" when nothing claims the text, or the picked route no longer does', async () => {
    const reply = route('reply', 'thanks');
    expect(await run([reply], FREE_TEXT_EVENTS.route.name, { freeText: 'hello' })).toEqual({ kind: 'none' });
    expect(await run([reply], FREE_TEXT_EVENTS.deliver.name, { freeText: 'hello', target: 'reply' })).toEqual({ kind: 'none' });
    expect(await run([reply], FREE_TEXT_EVENTS.deliver.name, { freeText: 'thanks', target: 'gone' })).toEqual({ kind: 'none' });
  });

  it("routes a stranger's first words only where strangers may go", async () => {
    const reply = route('reply', 'hi', { forStrangers: true });
    const relay = route('relay', 'hi');
    expect(await run([relay, reply], FREE_TEXT_EVENTS.first.name, { firstText: 'hi there' })).toEqual({ kind: 'delivered', notice: 't:replySent' });
    expect(relay.delivered).toEqual([]);
  });

  it('refuses a malformed payload instead of half-running', async () => {
    await expect(run([], FREE_TEXT_EVENTS.route.name, { freeText: 42 })).rejects.toThrow();
  });
});
