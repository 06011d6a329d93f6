import { runTurn, type TurnResult } from '../dialog/engine.ts';
import type { EngineEnv, EngineInput } from '../dialog/engine-env.ts';
import { ConcurrencyConflictError } from '../errors.ts';
import { addressKey, type Address, type ChannelName } from '../messages.ts';
import type { Clock, IdGenerator } from '../ports/clock.port.ts';
import type { ConversationRecord, OutgoingMessage, PendingEffect, Versioned } from '../ports/conversation-store.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { NewOutboxMessage } from '../ports/outbox.port.ts';
import type { Person } from '../ports/people.port.ts';
import type { Store } from '../ports/store.port.ts';
import { effectRetryMs, hasWork, recentSeen, wakeAt, withDueTimer, withEffect, withoutEffect } from './conversation-record.ts';
import type { EffectContext, EffectHandlers, TaskLookups } from './effects.ts';
import type { InboundMarker } from './inbound-mark.ts';

/** What performing a conversation's pending work needs. */
export interface WorkDeps {
  readonly store: Store;
  readonly effects: EffectHandlers;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly marker: InboundMarker;
  readonly env: (person: Person | null, channel: ChannelName) => EngineEnv;
  readonly effectGraceMs: number;
  readonly onQueued?: (channels: ReadonlySet<ChannelName>) => void;
  readonly signal: EffectContext['signal'];
  /** Channels whose replies the caller takes for its own answer (see PipelineDeps.respond). */
  readonly synchronousChannels?: ReadonlySet<ChannelName>;
  /** See PipelineDeps.claimUntil and PipelineDeps.dispatch. */
  readonly claimUntil?: (channel: ChannelName) => Date | null;
  readonly dispatch?: (rows: readonly NewOutboxMessage[]) => void;
  /** See PipelineDeps.lookups. */
  readonly lookups?: TaskLookups;
}

/** Where a change that hands its replies over records them (see TurnWork.change). */
interface HandOver {
  /** Whether a request waits for these replies (see TurnWork.synchronous). */
  readonly answered: boolean;
  readonly queued: string[];
}

/**
 * How long the web chat's rows stay claimed by the request that answers with them (they are
 * inserted already claimed); if that answer never went out (a crash), the worker delivers them
 * to the web chat's history after this.
 */
const RESPONSE_HOLD_MS = 10_000;


/** Why: a failing effect is retried with backoff (1 s ... 2 min), then given up and logged. */
const MAX_EFFECT_ATTEMPTS = 8;
/** Why: two processes racing on one record retry a few times, then leave the rest to the sweep. */
const MAX_CONFLICTS = 5;
/** Why: a dialog may chain a few tasks (look up, then translate); far more means a definition bug. */
const MAX_STEPS = 32;
/** Tasks a turn may answer from lookups before its write; the rest run as effects. */
const MAX_LOOKUPS = 4;

/** A change of the record, saved with a version check (see TurnWork.change). */
type Change = (
  current: Versioned<ConversationRecord>,
  f: (record: ConversationRecord) => ConversationRecord | null,
  handOver?: HandOver,
) => Promise<Versioned<ConversationRecord> | null>;

/**
 * Performs what a stored turn left to do, each step recorded in the conversation's record with
 * a version check: messages go to the outbox, inputs from others run as turns, effects run once
 * (a task's result is fed back to the dialog) and are then removed. A crash anywhere leaves the
 * rest in the record, replayed at the next message or by the sweep.
 */
export class TurnWork {
  private readonly queued = new Map<string, NewOutboxMessage>();

  constructor(private readonly deps: WorkDeps) {}

  /** How long freshly written effects are left to their writer before a sweep replays them. */
  get graceMs(): number {
    return this.deps.effectGraceMs;
  }

  /** Saves a record with its wake-up time; a stale `expected` is a ConcurrencyConflictError. */
  save(key: string, record: ConversationRecord, expected: number | null): Promise<number> {
    const now = this.deps.clock.now();
    return this.deps.store.conversations.save(key, record, expected, wakeAt(record, now));
  }

  /**
   * Saves a message's turn. Where the store can, its replies go to the outbox in the same write
   * and leave the record (one write instead of three: save, enqueue, clear); `queued` then names
   * them. Not for a conversation that just ended: its effects (an erasure) come before its last
   * words, as `run` orders them.
   */
  async saveTurn(key: string, record: ConversationRecord, expected: number | null): Promise<{ version: number; stored: ConversationRecord; queued: string[] }> {
    return (await this.saveHandingOver(key, record, expected, true)) ?? { version: await this.save(key, record, expected), stored: record, queued: [] };
  }

  /**
   * Saves a record whose replies leave it for the outbox in the same write, or returns null
   * where that does not apply: a store without the hand-over, no replies, or a conversation that
   * ended (its effects, an erasure, come before its last words, as `run` orders them).
   */
  private async saveHandingOver(
    key: string,
    record: ConversationRecord,
    expected: number | null,
    answered: boolean,
  ): Promise<{ version: number; stored: ConversationRecord; queued: string[] } | null> {
    const conversations = this.deps.store.conversations;
    if (!conversations.saveHandingOver || record.outgoing.length === 0 || record.session === null) return null;
    const now = this.deps.clock.now();
    const stored = { ...record, outgoing: [] };
    const rows = this.rowsOf(record.outgoing, false, answered);
    const { version, claimed } = await conversations.saveHandingOver(key, stored, expected, wakeAt(stored, now), rows, now);
    return { version, stored, queued: this.queuedNow(rows, claimed, answered) };
  }

  /** Loads, changes and saves a record, again on a conflict; `change` returns null for "nothing to do". */
  async update(key: string, change: (record: ConversationRecord | null) => ConversationRecord | null): Promise<Versioned<ConversationRecord> | null> {
    for (let attempt = 0; ; attempt++) {
      const loaded = await this.deps.store.conversations.load(key);
      const next = change(loaded?.value ?? null);
      if (!next) return loaded;
      try {
        return { value: next, version: await this.save(key, next, loaded?.version ?? null) };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_CONFLICTS) throw error;
      }
    }
  }

  /** A row this process queued lately, by outbox id (what a turn returns to its caller); given once. */
  rowOf(id: string): NewOutboxMessage | undefined {
    const row = this.queued.get(id);
    this.queued.delete(id);
    return row;
  }

  /**
   * Loads a conversation and performs its work. `due`: what is due (the sweep). `message`: before a
   * new message of the person, also the effects that failed, whatever their backoff (the message
   * must find the state they make: a person created, an organisation joined).
   */
  async resume(key: string, address: Address, mode: 'due' | 'message'): Promise<Versioned<ConversationRecord> | null> {
    const loaded = await this.deps.store.conversations.load(key);
    if (!loaded) return null;
    const value = withDueTimer(loaded.value, this.deps.clock.now());
    if (!hasWork(value)) return loaded;
    return (await this.run(key, address, { value, version: loaded.version }, mode)).current;
  }

  /** Performs everything a turn just wrote; returns the ids of the messages it queued, in order. */
  async perform(key: string, address: Address, written: Versioned<ConversationRecord>): Promise<string[]> {
    const { queued } = await this.run(key, address, written, 'all');
    return queued;
  }

  private async run(key: string, address: Address, start: Versioned<ConversationRecord>, mode: 'all' | 'due' | 'message'): Promise<{ current: Versioned<ConversationRecord> | null; queued: string[] }> {
    const queued: string[] = [];
    // Messages handed to the outbox but still in the record: the next write drops them (one
    // write fewer per turn), and enqueuing is idempotent should a crash come first.
    const handed = new Set<string>();
    // Effects this run's own turns wrote (a signal's task, then what its result asks) are its
    // own work, performed now like a message's; only those found at the start may be another's.
    const found = new Set(start.value.effects.map((e) => e.id));
    const change: Change = async (current, f, handOver) =>
      this.change(
        key,
        current,
        (r) => {
          const next = f(r);
          return next && { ...next, outgoing: next.outgoing.filter((o) => !handed.has(o.id)) };
        },
        handOver,
      );
    let current: Versioned<ConversationRecord> | null = start;
    for (let steps = 0; current && steps < MAX_STEPS; steps++) {
      const record: ConversationRecord = current.value;
      // Why effects first when the conversation ended: its erasure must not remove its own last words.
      const ended = record.session === null;
      const fresh = record.outgoing.filter((o) => !handed.has(o.id));
      if (fresh.length > 0 && (!ended || record.effects.length === 0)) {
        queued.push(...(await this.enqueue(fresh, ended, mode === 'all')));
        for (const o of fresh) handed.add(o.id);
        continue;
      }
      if (record.inputs.length > 0) {
        current = await this.input(address, current, change);
        continue;
      }
      const now = this.deps.clock.now().getTime();
      // Why not every effect: one not yet tried may be in the hands of the process that wrote it.
      const effect = record.effects.find((e) => mode === 'all' || !found.has(e.id) || Date.parse(e.dueAt) <= now || (mode === 'message' && e.attempts > 0));
      if (!effect) {
        if (handed.size > 0 && record.outgoing.length > 0) {
          current = await change(current, (r) => r);
          continue;
        }
        if (ended && !hasWork(record)) {
          await this.deps.store.conversations.delete(key, current.version).catch(() => undefined);
          return { current: null, queued };
        }
        return { current, queued };
      }
      const before = record.outgoing;
      const outcome = await this.effect(address, current, effect, change, { answered: mode === 'all', queued });
      current = outcome.current;
      if (!current && before.length > 0) queued.push(...(await this.enqueue(before, ended, mode === 'all')));
      if (outcome.failed) break;
    }
    return { current, queued };
  }

  /** Hands messages to the outbox (idempotent by id) and wakes its worker. */
  private async enqueue(outgoing: readonly OutgoingMessage[], last = false, answered = true): Promise<string[]> {
    const rows = this.rowsOf(outgoing, last, answered);
    const claimed = await this.deps.store.outbox.enqueue(rows, this.deps.clock.now());
    return this.queuedNow(rows, claimed, answered);
  }

  /** The outbox rows of a conversation's messages; `last`: its last words (see NewOutboxMessage.final). */
  private rowsOf(outgoing: readonly OutgoingMessage[], last: boolean, answered: boolean): NewOutboxMessage[] {
    const held = new Date(this.deps.clock.now().getTime() + RESPONSE_HOLD_MS);
    return outgoing.map((o) => {
      const synchronous = this.synchronous(o, answered);
      // Why ask: where this process is the channel's sender, the row goes to it straight from
      // the write, without waiting for a claim (see NewOutboxMessage.claimIfFirst).
      const until = synchronous ? null : (this.deps.claimUntil?.(o.to.channel) ?? null);
      return {
        id: o.id,
        kind: 'reply',
        to: o.to,
        reply: o.reply,
        inboundAt: o.inboundAt ? new Date(o.inboundAt) : null,
        ...(synchronous ? { claimedUntil: held } : {}),
        ...(until ? { claimIfFirst: until } : {}),
        ...(last ? { final: true } : {}),
      };
    });
  }

  /**
   * Keeps the rows just stored for the caller (rowOf), hands those claimed for this process's
   * sender to it, and wakes the worker of the other rows' channels.
   */
  private queuedNow(rows: readonly NewOutboxMessage[], claimed: readonly string[], answered: boolean): string[] {
    const taken = new Set(claimed);
    for (const row of rows) this.queued.set(row.id, row);
    const handed = (r: NewOutboxMessage): boolean => r.claimIfFirst !== undefined && taken.has(r.id);
    const direct = rows.filter(handed);
    if (direct.length > 0) this.deps.dispatch?.(direct);
    const woken = new Set(rows.filter((r) => !this.synchronous(r, answered) && !handed(r)).map((r) => r.to.channel));
    if (woken.size > 0) this.deps.onQueued?.(woken);
    return rows.map((r) => r.id);
  }

  /**
   * Whether the caller answers with these rows itself. Why `answered`: only a person's own request
   * answers with its turn's rows; a signal's turn or a replay (a sweep) has nobody waiting, so its
   * rows go through the worker at once.
   */
  private synchronous(o: Pick<OutgoingMessage, 'to'>, answered: boolean): boolean {
    return answered && this.deps.synchronousChannels?.has(o.to.channel) === true;
  }

  /** Runs the first input from elsewhere as a turn of this conversation (once: it is marked seen). */
  private async input(address: Address, current: Versioned<ConversationRecord>, change: Change): Promise<Versioned<ConversationRecord> | null> {
    const item = current.value.inputs[0]!;
    const mark = this.deps.marker(addressKey(address), `input:${item.id}`);
    const person = await this.deps.store.people.findByAddress(address);
    return change(current, (r) => {
      if (!r.inputs.some((i) => i.id === item.id)) return null;
      const rest = { ...r, inputs: r.inputs.filter((i) => i.id !== item.id) };
      if (r.seen.some((s) => s.mark === mark)) return rest;
      const result = this.engine(r, item.input, person, address.channel);
      const now = this.deps.clock.now();
      return this.after({ ...rest, seen: [...recentSeen(r, now), { mark, at: now.toISOString() }] }, result, mark.slice(0, 22), address);
    });
  }

  /** Performs one effect; a task's result (or failure) moves the dialog on in the same write. */
  private async effect(
    address: Address,
    current: Versioned<ConversationRecord>,
    effect: PendingEffect,
    change: Change,
    handOver: HandOver,
  ): Promise<{ current: Versioned<ConversationRecord> | null; failed: boolean }> {
    const handler = this.deps.effects.get(effect.type);
    const person = await this.deps.store.people.findByAddress(address);
    const context = this.context(address, person, effect.id);
    const event = { type: effect.type, payload: effect.payload, awaitsResult: effect.task };
    if (effect.task) {
      let input: EngineInput;
      try {
        if (!handler) throw new Error(`no handler for task ${effect.type}`);
        input = { kind: 'task-result', value: (await handler(event, context)) ?? null };
      } catch (error) {
        this.deps.logger.error({ effect: effect.type, err: errFields(error) }, 'task failed');
        input = { kind: 'task-failed', reason: error instanceof Error ? error.name : 'unknown' };
      }
      // Why the person again: the task may have created them (onboarding, then join).
      const after = await this.deps.store.people.findByAddress(address);
      // Why handed over: the replies the result makes leave in the write that records it.
      const next = await change(
        current,
        (r) => {
          if (!r.effects.some((e) => e.id === effect.id)) return null; // another process finished it
          return this.after(withoutEffect(r, effect.id), this.engine(r, input, after, address.channel), effect.id, address);
        },
        handOver,
      );
      return { current: next, failed: false };
    }
    if (!handler) {
      // A definition bug, not a transient failure: replaying cannot help (the registry checks this at start-up).
      this.deps.logger.error({ effect: effect.type }, 'no handler for event; dropped');
      return { current: await change(current, (r) => withoutEffect(r, effect.id)), failed: false };
    }
    try {
      await handler(event, context);
    } catch (error) {
      const attempts = effect.attempts + 1;
      const givenUp = attempts >= MAX_EFFECT_ATTEMPTS;
      this.deps.logger[givenUp ? 'error' : 'warn']({ effect: effect.type, attempts, err: errFields(error) }, givenUp ? 'effect given up' : 'effect failed; it will be replayed');
      const retry = { ...effect, attempts, dueAt: new Date(this.deps.clock.now().getTime() + effectRetryMs(attempts)).toISOString() };
      const next = await change(current, (r) => (givenUp ? withoutEffect(r, effect.id) : withEffect(r, retry)));
      return { current: next, failed: true };
    }
    return { current: await change(current, (r) => (r.effects.some((e) => e.id === effect.id) ? withoutEffect(r, effect.id) : null)), failed: false };
  }

  /**
   * The turn's result with its task answered from reads where that is all it needs (TaskLookup):
   * only a task that is the turn's sole event, in a conversation with no work pending, so that
   * no earlier effect could have changed what the lookup reads.
   */
  async lookAhead(record: ConversationRecord, result: TurnResult, person: Person | null, address: Address): Promise<TurnResult> {
    const lookups = this.deps.lookups;
    if (!lookups || record.effects.length > 0 || record.inputs.length > 0) return result;
    let current = result;
    const replies = [...result.replies];
    for (let i = 0; i < MAX_LOOKUPS; i++) {
      const event = current.events.length === 1 ? current.events[0]! : null;
      const lookup = event?.awaitsResult ? lookups.get(event.type) : undefined;
      if (!event || !lookup) break;
      let value: Awaited<ReturnType<typeof lookup>>;
      try {
        value = await lookup(event, { ...this.context(address, person, `lookup:${event.type}`), send: readOnly, signal: readOnly });
      } catch (error) {
        // The effect will ask again, and report its failure as a task failure if it fails too.
        this.deps.logger.debug({ effect: event.type, err: errFields(error).name }, 'lookup failed; the task runs as an effect');
        break;
      }
      if (value === undefined) break;
      current = this.engine({ ...record, session: current.session }, { kind: 'task-result', value }, person, address.channel);
      replies.push(...current.replies);
    }
    return current === result ? result : { ...current, replies };
  }

  /** What an effect (or a lookup) gets to work with. */
  private context(address: Address, person: Person | null, effectId: string): EffectContext {
    return {
      address,
      person,
      effectId,
      store: this.deps.store,
      clock: this.deps.clock,
      ids: this.deps.ids,
      logger: this.deps.logger,
      send: async (messages) => {
        await this.deps.store.outbox.enqueue(messages, this.deps.clock.now());
        this.deps.onQueued?.(new Set(messages.map((m) => m.to.channel)));
      },
      signal: this.deps.signal,
    };
  }

  /** The engine's turn; a definition bug apologises instead of failing the conversation for good. */
  engine(record: ConversationRecord, input: EngineInput, person: Person | null, channel: ChannelName): TurnResult {
    const env = this.deps.env(person, channel);
    try {
      return runTurn(record.session, input, env);
    } catch (error) {
      this.deps.logger.error({ err: errFields(error) }, 'dialog failed');
      const lang = record.session?.lang ?? person?.lang ?? env.defaultLang;
      return { session: record.session, replies: [{ lang, message: { type: 'text', text: env.text(lang, 'common:error') } }], events: [] };
    }
  }

  /** A record after a turn: its session, new effects and replies appended with ids derived from `prefix`. */
  private after(record: ConversationRecord, result: TurnResult, prefix: string, to: Address): ConversationRecord {
    const dueAt = new Date(this.deps.clock.now().getTime() + this.deps.effectGraceMs).toISOString();
    return {
      ...record,
      session: result.session,
      effects: [...record.effects, ...result.events.map((e, i) => ({ id: `${prefix}.${i}`, type: e.type, payload: e.payload, task: e.awaitsResult, attempts: 0, dueAt }))],
      outgoing: [...record.outgoing, ...result.replies.map((reply, i) => ({ id: `${prefix}.r${i}`, to, reply, inboundAt: null }))],
    };
  }

  /** Applies a change to the record as read, or to a fresher one after a conflict; null when the record is gone. */
  private async change(
    key: string,
    current: Versioned<ConversationRecord>,
    change: (record: ConversationRecord) => ConversationRecord | null,
    handOver?: HandOver,
  ): Promise<Versioned<ConversationRecord> | null> {
    let base: Versioned<ConversationRecord> | null = current;
    for (let attempt = 0; base; attempt++) {
      const next = change(base.value);
      if (!next) return base;
      try {
        // As saveTurn does: replies of a conversation still going leave the record in this write.
        const handed = handOver ? await this.saveHandingOver(key, next, base.version, handOver.answered) : null;
        if (handed && handOver) {
          handOver.queued.push(...handed.queued);
          return { value: handed.stored, version: handed.version };
        }
        return { value: next, version: await this.save(key, next, base.version) };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_CONFLICTS) throw error;
        base = await this.deps.store.conversations.load(key);
      }
    }
    return null;
  }
}

/** What a lookup gets for `send` and `signal`: it may only read (a write would be lost with a crash). */
const readOnly = (): Promise<never> => Promise.reject(new Error('a task lookup may only read; this task must run as an effect'));

function errFields(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'unknown' };
}
