import { ENGINE_EVENTS } from '../../core/dialog/engine-env.ts';
import type { EffectContext, EffectHandler } from '../../core/pipeline/effects.ts';
import type { Person } from '../../core/ports/people.port.ts';

/** A flow's part of "forget": what it keeps about the person, erased while the person still exists. */
export type ErasureHook = (person: Person, context: EffectContext) => Promise<void>;

/**
 * The `forget` handler with the flows' hooks run first (relays, posts, profiles), then the
 * engine's own erasure. Why first: the hooks need the person's id and identities, which the
 * engine's erasure deletes. A failing hook fails the effect, which is replayed; hooks are
 * idempotent, so a replay finishes what the first try began.
 */
export function erasureWithHooks(engine: ReadonlyMap<string, EffectHandler>, hooks: readonly ErasureHook[]): readonly [string, EffectHandler] {
  const erase = engine.get(ENGINE_EVENTS.erase);
  if (!erase) throw new Error('the engine has no erase handler');
  return [
    ENGINE_EVENTS.erase,
    async (event, context) => {
      const person = context.person ?? (await context.store.people.findByAddress(context.address));
      if (person) for (const hook of hooks) await hook(person, context);
      return erase(event, context);
    },
  ];
}
