import { expect, it } from 'vitest';
import { z } from 'zod';
import type { EffectContext } from '../../../core/pipeline/effects.ts';
import { defineEvent, typedHandler, type NarrowContext } from '../../../core/pipeline/typed-effects.ts';
import { systemClock } from '../../../core/ports/clock.port.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';

const greeted = defineEvent('test.greeted', z.object({ name: z.string().min(1) }));
const context: EffectContext = { address: { channel: 'cli', id: 'c1' }, person: null, store: {} as Store, clock: systemClock, ids: { newId: () => 'x' }, logger: silentLogger, effectId: 'e1', send: async () => {}, signal: async () => {} };

it('hands the handler its payload parsed and typed, and refuses a malformed one before it runs', async () => {
  const seen: string[] = [];
  // The handler names the one port it may use: reaching for another would not type-check.
  const [name, handler] = typedHandler(greeted, async ({ name }, _ctx: NarrowContext<'people'>) => {
    seen.push(name);
    return { hello: name };
  });
  expect(name).toBe('test.greeted');
  expect(await handler({ type: name, payload: { name: 'Amina', other: 1 }, awaitsResult: true }, context)).toEqual({ hello: 'Amina' });
  await expect(handler({ type: name, payload: { name: '' }, awaitsResult: true }, context)).rejects.toThrow();
  expect(seen).toEqual(['Amina']);
});
