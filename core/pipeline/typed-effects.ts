import type { ZodType } from 'zod';
import type { Json } from '../dialog/json.ts';
import type { Store } from '../ports/store.port.ts';
import type { EffectContext, EffectHandler } from './effects.ts';

/** An event's name with the type of its payload, checked by a zod schema (sessions are stored data). */
export interface EventDef<T> {
  readonly name: string;
  readonly payload: ZodType<T>;
}

/** Names an event and its payload type. */
export function defineEvent<T>(name: string, payload: ZodType<T>): EventDef<T> {
  return { name, payload };
}

/** What a handler may use: the context, with only the store ports it names. */
export type NarrowContext<K extends keyof Store> = Omit<EffectContext, 'store'> & { readonly store: Pick<Store, K> };

/**
 * A handler typed against its event's payload and the narrow ports it needs: the payload is
 * parsed before the handler sees it, so a malformed one fails loudly instead of half-running.
 */
export function typedHandler<T, K extends keyof Store = keyof Store>(
  event: EventDef<T>,
  handler: (payload: T, context: NarrowContext<K>) => Promise<Json | void>,
): readonly [string, EffectHandler] {
  return [event.name, async (domainEvent, context) => handler(event.payload.parse(domainEvent.payload), context)];
}
