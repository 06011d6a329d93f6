import type { DomainEvent } from '../dialog/engine-env.ts';
import type { Json } from '../dialog/json.ts';
import type { Address } from '../messages.ts';
import type { Clock, IdGenerator } from '../ports/clock.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { Person } from '../ports/people.port.ts';
import type { Store } from '../ports/store.port.ts';

/** What an effect handler may use: the ports, and who the turn was with. */
export interface EffectContext {
  readonly address: Address;
  /** The person behind the address, as loaded at the start of the turn (null for strangers). */
  readonly person: Person | null;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/**
 * Performs one domain event after the session was saved. For a task (`awaitsResult`), the
 * returned JSON is fed back to the dialog.
 */
export type EffectHandler = (event: DomainEvent, context: EffectContext) => Promise<Json | void>;

/** Handlers by event type; each bot contributes its own. */
export type EffectHandlers = ReadonlyMap<string, EffectHandler>;
