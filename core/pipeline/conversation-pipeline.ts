import type { CommandMatcher } from '../dialog/commands.ts';
import type { DialogRegistry } from '../dialog/dialog-definition.ts';
import { runTurn, type TurnResult } from '../dialog/engine.ts';
import type { EngineEnv, EngineInput, LanguageOption, PersonView, TextRenderer } from '../dialog/engine-env.ts';
import type { Json, JsonObject } from '../dialog/json.ts';
import type { Session } from '../dialog/session.ts';
import { ConcurrencyConflictError } from '../errors.ts';
import { addressKey, type Address, type InboundMessage, type Reply } from '../messages.ts';
import type { Clock, IdGenerator } from '../ports/clock.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { Person } from '../ports/people.port.ts';
import type { Store } from '../ports/store.port.ts';
import type { EffectContext, EffectHandlers } from './effects.ts';
import { KeyedQueue } from './keyed-queue.ts';

/** Everything the inbound pipeline is built from (wired once, in the composition root). */
export interface PipelineDeps {
  readonly store: Store;
  readonly dialogs: DialogRegistry;
  readonly text: TextRenderer;
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
}

/** Why: two processes racing on one conversation retry a few times, then give up politely. */
const MAX_CONFLICT_RETRIES = 5;
/** Why: a dialog may chain a few tasks (look up, then translate); more means a definition bug. */
const MAX_TASKS_PER_TURN = 8;

/**
 * The inbound pipeline: dedupe -> serialise per conversation -> load -> engine -> save ->
 * effects. Returns the replies for the channel adapter to send. One person's failure ends in
 * a kind message to that person and never touches anyone else's conversation.
 */
export class ConversationPipeline {
  private readonly queue = new KeyedQueue();
  private draining = false;

  constructor(private readonly deps: PipelineDeps) {}

  /**
   * Processes one inbound message; a redelivered message id yields no replies. `reference` is
   * what the channel needs to write to this person later (kept in the reach store).
   */
  async handle(message: InboundMessage, reference: JsonObject | null = null): Promise<Reply[]> {
    if (this.draining) throw new Error('pipeline is shutting down');
    const fresh = await this.deps.store.ledger.claim(message.from.channel, message.id, message.receivedAt);
    if (!fresh) {
      this.deps.logger.debug({ channel: message.from.channel }, 'duplicate inbound message ignored');
      return [];
    }
    return this.queue.run(addressKey(message.from), async () => {
      await this.deps.store.reach.recordInbound(message.from, message.receivedAt, reference);
      return this.turn(message);
    });
  }

  /** Stops accepting messages and waits for those in flight (graceful shutdown). */
  async drain(): Promise<void> {
    this.draining = true;
    await this.queue.drain();
  }

  private async turn(message: InboundMessage): Promise<Reply[]> {
    const started = performance.now();
    let lang = this.deps.defaultLang;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const replies = await this.attempt(message, (l) => (lang = l));
          this.deps.logger.debug({ channel: message.from.channel, ms: Math.round(performance.now() - started) }, 'turn done');
          return replies;
        } catch (error) {
          if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
          this.deps.logger.warn({ channel: message.from.channel, attempt }, 'conversation changed concurrently; retrying turn');
        }
      }
    } catch (error) {
      this.logFailure(message.from, error);
      return [{ lang, message: { type: 'text', text: this.deps.text(lang, 'common:error') } }];
    }
  }

  /** One optimistic attempt: a concurrency conflict before any effect ran restarts it. */
  private async attempt(message: InboundMessage, setLang: (lang: string) => void): Promise<Reply[]> {
    const { store } = this.deps;
    const key = addressKey(message.from);
    const [stored, person] = await Promise.all([store.conversations.load(key), store.people.findByAddress(message.from)]);
    setLang(stored?.value.lang ?? person?.lang ?? this.deps.defaultLang);
    const context: EffectContext = { address: message.from, person, store, clock: this.deps.clock, ids: this.deps.ids, logger: this.deps.logger };

    let input: EngineInput = { kind: 'message', content: message.content };
    let session: Session | null = stored?.value ?? null;
    let version: number | null = stored?.version ?? null;
    const replies: Reply[] = [];
    for (let tasks = 0, conflicts = 0; ; tasks++) {
      const result = runTurn(session, input, this.env(person));
      try {
        version = await this.save(key, result, version);
      } catch (error) {
        // Why: once effects ran (tasks > 0) the turn must not start over and run them twice;
        // feed the task's result to whatever state won the race instead (a state that moved on
        // simply ignores a late result).
        if (!(error instanceof ConcurrencyConflictError) || tasks === 0 || ++conflicts > MAX_CONFLICT_RETRIES) throw error;
        const fresh = await store.conversations.load(key);
        [session, version] = [fresh?.value ?? null, fresh?.version ?? null];
        tasks--;
        continue;
      }
      session = result.session;
      if (session?.lang) setLang(session.lang);
      replies.push(...result.replies);
      const taskResult = await this.perform(result, context);
      if (taskResult === undefined) return replies;
      if (tasks >= MAX_TASKS_PER_TURN) throw new Error(`more than ${MAX_TASKS_PER_TURN} tasks in one turn`);
      input = { kind: 'task-result', value: taskResult };
    }
  }

  private async save(key: string, result: TurnResult, version: number | null): Promise<number | null> {
    if (result.session === null) {
      await this.deps.store.conversations.delete(key);
      return null;
    }
    return this.deps.store.conversations.save(key, result.session, version);
  }

  /** Runs the turn's events in order; returns the result of the task the dialog waits for, if any. */
  private async perform(result: TurnResult, context: EffectContext): Promise<Json | undefined> {
    let taskResult: Json | undefined;
    for (const event of result.events) {
      const handler = this.deps.effects.get(event.type);
      if (!handler) {
        if (event.awaitsResult) throw new Error(`no handler for task ${event.type}`);
        continue;
      }
      const value = await handler(event, context);
      if (event.awaitsResult) taskResult = value ?? null;
    }
    return taskResult;
  }

  private env(person: Person | null): EngineEnv {
    const d = this.deps;
    return {
      now: d.clock.now(),
      dialogs: d.dialogs,
      text: d.text,
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
