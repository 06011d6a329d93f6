import type { DomainEvent, EngineInput } from '../dialog/engine-env.ts';
import type { Json } from '../dialog/json.ts';
import type { Address } from '../messages.ts';
import type { Clock, IdGenerator } from '../ports/clock.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { NewOutboxMessage } from '../ports/outbox.port.ts';
import type { Person } from '../ports/people.port.ts';
import type { Store } from '../ports/store.port.ts';

/** What an effect handler may use: the ports, who the turn was with, and the road out. */
export interface EffectContext {
  readonly address: Address;
  /** The person behind the address, as stored when the effect runs (null for strangers). */
  readonly person: Person | null;
  /**
   * Stable id of this effect: the same on every replay. Handlers derive the ids of what they
   * create from it (a person, a broadcast, an outbox row), so that a replay creates nothing twice.
   */
  readonly effectId: string;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Queues messages to other people (a relay, a notice) in the outbox; ids must derive from `effectId`. */
  readonly send: (messages: readonly NewOutboxMessage[]) => Promise<void>;
  /** Moves another person's conversation (a contact request, an answer), durably and in order. */
  readonly signal: (to: Address, id: string, input: EngineInput) => Promise<void>;
}

/**
 * Performs one domain event after the session was saved. For a task (`awaitsResult`), the
 * returned JSON is fed back to the dialog. Must be idempotent by `context.effectId`: a crash
 * after the work and before it was marked done replays it.
 */
export type EffectHandler = (event: DomainEvent, context: EffectContext) => Promise<Json | void>;

/** Handlers by event type; each bot contributes its own. */
export type EffectHandlers = ReadonlyMap<string, EffectHandler>;

/**
 * A task's answer from reads alone, where there is one: asked during the turn, before its write,
 * when the task is the turn's only event. `undefined` means the task has something to do (to
 * file, to send): it then runs as an effect like any other. Why: a task that usually finds
 * nothing to do (is this stranger's first message a reply to a broadcast?) would otherwise cost
 * every such message two more writes and a second turn; a crash before the write loses nothing,
 * since nothing but reads happened and the redelivered message asks again.
 */
export type TaskLookup = (event: DomainEvent, context: EffectContext) => Promise<Json | undefined>;

/** Lookups by task type; each must have a handler too (the path taken when it answers undefined). */
export type TaskLookups = ReadonlyMap<string, TaskLookup>;
