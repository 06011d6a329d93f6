import type { CommandMatcher } from '../dialog/commands.ts';
import type { DialogRegistry } from '../dialog/dialog-definition.ts';
import type { TurnResult } from '../dialog/engine.ts';
import type { EngineEnv, EngineInput, LanguageOption, PersonView, TextRenderer } from '../dialog/engine-env.ts';
import type { JsonObject } from '../dialog/json.ts';
import { ConcurrencyConflictError } from '../errors.ts';
import { addressKey, type Address, type ChannelName, type InboundMessage, type Reply } from '../messages.ts';
import type { Clock, IdGenerator } from '../ports/clock.port.ts';
import type { ConversationRecord, PendingEffect } from '../ports/conversation-store.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { NewOutboxMessage } from '../ports/outbox.port.ts';
import type { Person } from '../ports/people.port.ts';
import type { Store } from '../ports/store.port.ts';
import { EMPTY_RECORD, recentSeen } from './conversation-record.ts';
import type { EffectHandlers, TaskLookups } from './effects.ts';
import type { InboundMarker } from './inbound-mark.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { TurnWork, type WorkDeps } from './turn-work.ts';

/** Everything the inbound pipeline is built from (wired once, in the composition root). */
export interface PipelineDeps {
  readonly store: Store;
  readonly dialogs: DialogRegistry;
  readonly text: TextRenderer;
  /** The bot's words worded for a channel (SMS picks its short variants); `text` where absent. */
  readonly textFor?: (channel: ChannelName) => TextRenderer;
  readonly commands: CommandMatcher;
  readonly languages: readonly LanguageOption[];
  readonly defaultLang: string;
  readonly entry: EngineEnv['entry'];
  readonly commandDialogs: EngineEnv['commandDialogs'];
  readonly effects: EffectHandlers;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly idleTimeoutMs: number;
  /** Keys the dedupe marks (see hmacMarker). */
  readonly marker: InboundMarker;
  /** Told when messages were queued for these channels (to wake the outbox worker). */
  readonly onQueued?: (channels: ReadonlySet<ChannelName>) => void;
  /**
   * Channels that answer a person's request with the turn's replies (the web chat, the terminal):
   * takes the rows the turn queued and returns their replies.
   */
  readonly respond?: (rows: readonly NewOutboxMessage[], options: { readonly keep: boolean }) => Promise<Reply[]>;
  readonly synchronousChannels?: ReadonlySet<ChannelName>;
  /**
   * Until when this process may claim a channel's new rows for its own sender (it holds the
   * channel's sending lease), or null; `dispatch` then takes the rows so claimed. Without them,
   * every row waits for the outbox worker's claim.
   */
  readonly claimUntil?: (channel: ChannelName) => Date | null;
  readonly dispatch?: (rows: readonly NewOutboxMessage[]) => void;
  /**
   * Resolves when the channel's road out has room again (see OutboxWorker.room): a message's
   * handling waits for it after its turn is stored, so that a platform sending faster than the
   * channel takes replies is slowed down instead of filling memory.
   */
  readonly room?: (channel: ChannelName) => Promise<void>;
  /** Tasks that may be answered from reads during the turn (see TaskLookup); each has a handler too. */
  readonly lookups?: TaskLookups;
  /** How long a just-written effect is left to the process that wrote it before another replays it. */
  readonly effectGraceMs?: number;
}

/** Why: two processes racing on one conversation retry a few times, then give up politely. */
const MAX_CONFLICT_RETRIES = 5;
/** How stale the record of a person's last message may get before a new message rewrites it. */
const REACH_REFRESH_MS = 60_000;
/** Why: replays of due work are bounded per sweep, so one sweep never stalls the others. */
const SWEEP_BATCH = 50;

/**
 * The road in: serialise per conversation -> finish what earlier turns left -> dedupe -> engine ->
 * one write of the session with its effects, messages and dedupe mark -> perform the effects,
 * hand the messages to the outbox. A message whose turn never completed is processed when the
 * channel delivers it again; one that completed is ignored. One person's failure ends in a kind
 * message to that person and never touches anyone else's conversation.
 */
export class ConversationPipeline {
  private readonly queue = new KeyedQueue();
  private readonly work: TurnWork;
  private draining = false;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PipelineDeps) {
    for (const type of deps.lookups?.keys() ?? []) if (!deps.effects.has(type)) throw new Error(`lookup for ${type} has no effect handler`);
    const workDeps: WorkDeps = {
      ...deps,
      env: (person, channel) => this.env(person, channel),
      effectGraceMs: deps.effectGraceMs ?? 15_000,
      signal: (to, id, input) => this.signal(to, id, input),
    };
    this.work = new TurnWork(workDeps);
  }

  /**
   * Processes one inbound message; a redelivered message whose turn completed yields no replies.
   * `reference` is what the channel needs to write to this person later (kept in the reach store).
   * Resolves once the turn is stored (so a webhook may acknowledge it) and its work was tried.
   */
  async handle(message: InboundMessage, reference: JsonObject | null = null): Promise<Reply[]> {
    if (this.draining) throw new Error('pipeline is shutting down');
    const key = addressKey(message.from);
    const replies = await this.queue.run(key, async () => {
      const { store, clock } = this.deps;
      // Why not at every message: the window is counted in hours, and a person writing several
      // messages a minute would cost a write each; a new channel reference is always kept.
      const known = reference === null ? await store.reach.get(message.from) : null;
      if (!known || message.receivedAt.getTime() - known.lastInboundAt.getTime() > REACH_REFRESH_MS) {
        await store.reach.recordInbound(message.from, message.receivedAt, reference);
      }
      // The person wrote: their window is open again, so what waited for them is due now.
      if ((await store.outbox.release(message.from, clock.now())) > 0) this.deps.onQueued?.(new Set([message.from.channel]));
      return this.turn(key, message.from, message.id, { kind: 'message', content: message.content }, message.receivedAt);
    });
    // Outside the person's queue: their next message may be stored meanwhile, only not answered.
    await this.deps.room?.(message.from.channel);
    return replies;
  }

  /**
   * Moves another person's conversation with an input (a signal from someone else's action): it
   * is stored in their record first (so a crash cannot lose it), then run in their turn order.
   */
  async signal(to: Address, id: string, input: EngineInput): Promise<void> {
    const key = addressKey(to);
    await this.work.update(key, (record) => {
      const current = record ?? EMPTY_RECORD;
      if (current.inputs.some((i) => i.id === id)) return null;
      return { ...current, inputs: [...current.inputs, { id, input }] };
    });
    void this.queue.run(key, () => this.work.resume(key, to, 'due')).catch((error: unknown) => this.logFailure(to, error));
  }

  /** Starts replaying work left by crashes and failures (now, then every `everyMs`). */
  start(everyMs = 1_000): void {
    const sweep = (): void => {
      this.sweeping = this.sweeping.then(async () => void (await this.sweep())).catch((error: unknown) => this.deps.logger.warn({ err: errName(error) }, 'replay sweep failed'));
    };
    sweep();
    this.sweeper = setInterval(sweep, everyMs);
    this.sweeper.unref();
  }

  /** Replays the work of every conversation that is due now; returns how many were looked at. */
  async sweep(): Promise<number> {
    const keys = await this.deps.store.conversations.due(this.deps.clock.now(), SWEEP_BATCH);
    await Promise.all(
      keys.map(async (key) => {
        try {
          await this.queue.run(key, () => this.work.resume(key, addressOf(key), 'due'));
        } catch (error) {
          this.logFailure(addressOf(key), error);
        }
      }),
    );
    return keys.length;
  }

  /** Resolves once every turn and signal queued so far has run (tests, the CLI); accepts more meanwhile. */
  async idle(): Promise<void> {
    await this.queue.drain();
  }

  /** Stops accepting messages and waits for those in flight (graceful shutdown). */
  async drain(): Promise<void> {
    this.draining = true;
    clearInterval(this.sweeper);
    await this.sweeping;
    await this.queue.drain();
  }

  private async turn(key: string, from: Address, messageId: string, input: EngineInput, inboundAt: Date): Promise<Reply[]> {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      // Work an earlier turn left (an effect that failed, a crash) comes first, in order.
      const loaded = await this.work.resume(key, from, 'message');
      const record = loaded?.value ?? EMPTY_RECORD;
      const mark = this.deps.marker(key, messageId);
      if (record.seen.some((s) => s.mark === mark)) {
        this.deps.logger.debug({ channel: from.channel }, 'duplicate inbound message ignored');
        return [];
      }
      const person = await this.deps.store.people.findByAddress(from);
      const result = await this.work.lookAhead(record, this.work.engine(record, input, person, from.channel), person, from);
      const now = this.deps.clock.now();
      const written = this.written(record, result, mark, from, inboundAt, now);
      let saved: Awaited<ReturnType<TurnWork['saveTurn']>>;
      try {
        saved = await this.work.saveTurn(key, written, loaded?.version ?? null);
      } catch (error) {
        // Why rethrow other errors: nothing was stored, so the channel's redelivery (a 503 to the
        // webhook) processes the message again; the dedupe mark is only written with the turn.
        if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        this.deps.logger.warn({ channel: from.channel, attempt }, 'conversation changed concurrently; retrying turn');
        continue;
      }
      const ids = [...saved.queued, ...(await this.work.perform(key, from, { value: saved.stored, version: saved.version }))];
      this.deps.logger.debug({ channel: from.channel, ms: Math.round(performance.now() - started) }, 'turn done');
      return this.repliesOf(from, ids, written);
    }
  }

  /** The record this turn writes: the new session, its events as pending effects, its replies, and its mark. */
  private written(record: ConversationRecord, result: TurnResult, mark: string, from: Address, inboundAt: Date, now: Date): ConversationRecord {
    const turnId = mark.slice(0, 22);
    const dueAt = new Date(now.getTime() + this.work.graceMs).toISOString();
    const effects: PendingEffect[] = result.events.map((event, i) => ({
      id: `${turnId}.${i}`,
      type: event.type,
      payload: event.payload,
      task: event.awaitsResult,
      attempts: 0,
      dueAt,
    }));
    return {
      session: result.session,
      effects: [...record.effects, ...effects],
      outgoing: [
        ...record.outgoing,
        ...result.replies.map((reply, i) => ({ id: `${turnId}.r${i}`, to: from, reply, inboundAt: inboundAt.toISOString() })),
      ],
      inputs: record.inputs,
      seen: [...recentSeen(record, now), { mark, at: now.toISOString() }],
    };
  }

  /** What the caller gets back: the replies, taken from the outbox for channels that answer in the request. */
  private async repliesOf(from: Address, ids: readonly string[], written: ConversationRecord): Promise<Reply[]> {
    const rows = ids.flatMap((id) => this.work.rowOf(id) ?? []);
    // Why not kept after an erasure: the web chat would store the last words under the id of the
    // person who was just forgotten; the answer to their request shows them once, and that is all.
    if (this.deps.respond && this.deps.synchronousChannels?.has(from.channel)) return this.deps.respond(rows, { keep: written.session !== null });
    return rows.map((row) => row.reply);
  }

  private env(person: Person | null, channel: ChannelName): EngineEnv {
    const d = this.deps;
    return {
      now: d.clock.now(),
      dialogs: d.dialogs,
      text: d.textFor?.(channel) ?? d.text,
      commands: d.commands,
      languages: d.languages,
      defaultLang: d.defaultLang,
      person: person ? personView(person) : null,
      entry: d.entry,
      commandDialogs: d.commandDialogs,
      idleTimeoutMs: d.idleTimeoutMs,
      maxAttempts: 3,
      maxStepsPerTurn: 50,
      maxAnswerLength: 1000,
    };
  }

  private logFailure(from: Address, error: unknown): void {
    const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'unknown' };
    this.deps.logger.error({ channel: from.channel, err }, 'turn failed');
  }
}

/** The part of a person the dialogs may see. */
export function personView(person: Person): PersonView {
  return { id: person.id, role: person.role, roleStatus: person.roleStatus, firstName: person.firstName, lang: person.lang };
}

/** The address a conversation key names (`channel:id`; the id may itself hold colons). */
function addressOf(key: string): Address {
  const at = key.indexOf(':');
  return { channel: key.slice(0, at) as ChannelName, id: key.slice(at + 1) };
}

function errName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}

