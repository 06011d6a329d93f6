import type { Choice, OutboundMessage, Reply } from '../messages.ts';
import type { AnswerContext } from './answer-parser.ts';
import { choicesOf, pickedIds } from './choice-list.ts';
import { scalarAt, valueAt } from './data-path.ts';
import type { DialogDef, Next, StepDef, TextRef } from './dialog-definition.ts';
import { ENGINE_EVENTS, type DomainEvent, type EngineEnv } from './engine-env.ts';
import type { Json, JsonObject } from './json.ts';
import { controlWords } from './relay-input.ts';
import { SESSION_SCHEMA, type Frame, type Session } from './session.ts';
import { Waiting } from './waiting.ts';

/** The outcome of one turn: the state to store (null: erase it), what to say, what to do. */
export interface TurnResult {
  readonly session: Session | null;
  readonly replies: readonly Reply[];
  readonly events: readonly DomainEvent[];
  /**
   * True when the input was ignored (a stale timer, a late task result, a redelivered signal):
   * `session` is the one given, and there is nothing to store, say or do.
   */
  readonly unchanged?: boolean;
}

/** A step that asks the person something. */
export type AskStep = Extract<StepDef, { kind: 'ask' }>;

/**
 * Walks a turn through the definitions: enters dialogs, runs steps until one waits, asks and
 * says things. What the inputs mean (answers, signals, timers, tasks) is the Turn's part
 * (engine.ts); this half holds the state they both change. Never escapes `runTurn`.
 */
export abstract class DialogWalker {
  protected frame: Frame = { dialog: '', dialogVersion: 0, step: '', data: {}, attempts: 0 };
  protected stack: Frame[] = [];
  protected lang: string | null = null;
  protected shown: readonly Choice[] = [];
  protected waiting = new Waiting(null);
  protected readonly replies: Reply[] = [];
  protected readonly events: DomainEvent[] = [];
  protected steps = 0;
  protected erased = false;
  /** False when the turn only kept a notification: the conversation's silence goes on. */
  protected touched = true;
  protected updatedAt: string;
  /** A relay step re-entered after a signal does not repeat its prompt (the controls were shown). */
  protected quiet: string | null = null;

  constructor(protected readonly env: EngineEnv) {
    this.updatedAt = env.now.toISOString();
  }

  protected result(): TurnResult {
    if (this.erased) return { session: null, replies: this.replies, events: this.events };
    const step = this.env.dialogs.get(this.frame.dialog)?.steps[this.frame.step];
    const session: Session = {
      schema: SESSION_SCHEMA,
      ...this.frame,
      stack: this.stack,
      lang: this.lang,
      shown: this.shown,
      updatedAt: this.touched ? this.env.now.toISOString() : this.updatedAt,
      ...this.waiting.fields(this.waitKey(), step?.kind === 'ask' && step.timeout !== undefined),
    };
    return { session, replies: this.replies, events: this.events };
  }

  /** Names the step that waits now (timer ids start with it). */
  protected waitKey(): string {
    return `${this.frame.dialog}.${this.frame.step}`;
  }

  protected get replyLang(): string {
    return this.lang ?? this.env.defaultLang;
  }

  protected def(id: string): DialogDef {
    const def = this.env.dialogs.get(id);
    if (!def) throw new Error(`unknown dialog ${id}`);
    return def;
  }

  protected currentStep(): StepDef {
    const step = this.def(this.frame.dialog).steps[this.frame.step];
    if (!step) throw new Error(`dialog ${this.frame.dialog} has no step ${this.frame.step}`);
    return step;
  }

  protected startEntry(startPayload?: string, firstText?: string): void {
    const entry = this.env.entry(this.env.person, startPayload);
    const data: JsonObject = { ...entry.data };
    if (startPayload) data['startPayload'] = startPayload;
    if (firstText) data['firstText'] = firstText;
    this.stack = [];
    this.enter(entry.dialog, data);
  }

  protected enter(dialog: string, data: JsonObject): void {
    const def = this.def(dialog);
    this.frame = { dialog, dialogVersion: def.version, step: def.start, data, attempts: 0 };
    this.advance();
  }

  protected goTo(next: Next): void {
    const target = typeof next === 'string' ? next : (next.cases[scalarAt(this.frame.data, next.switch)] ?? next.default);
    this.frame = { ...this.frame, step: target, attempts: 0 };
    this.advance();
  }

  protected setData(key: string | undefined, value: Json): void {
    if (key !== undefined) this.frame = { ...this.frame, data: { ...this.frame.data, [key]: value } };
  }

  /** Executes steps until one waits for the person or for a task. */
  protected advance(): void {
    if (++this.steps > this.env.maxStepsPerTurn) {
      throw new Error(`dialog ${this.frame.dialog} ran ${this.steps} steps without waiting (loop at ${this.frame.step})`);
    }
    const step = this.currentStep();
    switch (step.kind) {
      case 'ask':
        this.prompt(step);
        return;
      case 'say':
        this.say(step.text);
        this.goTo(step.next);
        return;
      case 'emit':
        this.events.push({ type: step.event, payload: this.frame.data, awaitsResult: false });
        this.goTo(step.next);
        return;
      case 'task':
        this.events.push({ type: step.event, payload: this.frame.data, awaitsResult: true });
        return;
      case 'set':
        this.setData(step.key, step.from === undefined ? (step.value ?? null) : (valueAt(this.frame.data, step.from) ?? null));
        this.goTo(step.next);
        return;
      case 'notifications': {
        const news = this.waiting.take();
        if (news.length > 0) {
            this.setData(step.save, { count: news.length, items: news.map((n) => ({ ...n })) });
        } else {
          // Nothing new: no stale news from an earlier visit stays in the data (nor in its events' payloads).
          const { [step.save]: _old, ...data } = this.frame.data;
          this.frame = { ...this.frame, data };
        }
        this.goTo(step.next);
        return;
      }
      case 'call':
        this.stack.push(this.frame);
        this.enter(step.dialog, pick(this.frame.data, step.args));
        return;
      case 'goto':
        this.stack = [];
        this.enter(step.dialog, pick(this.frame.data, step.args));
        return;
      case 'end':
        this.returnFromDialog(step.result === undefined ? this.frame.data : (this.frame.data[step.result] ?? null));
        return;
      case 'route':
        this.goTo(step.next);
        return;
      case 'use-language': {
        const lang = scalarAt(this.frame.data, step.from);
        if (this.env.languages.some((l) => l.code === lang)) this.lang = lang;
        this.goTo(step.next);
        return;
      }
      case 'erase':
        this.events.push({ type: ENGINE_EVENTS.erase, payload: {}, awaitsResult: false });
        this.say(step.text);
        this.erased = true;
        return;
    }
  }

  protected returnFromDialog(result: Json): void {
    const parent = this.stack.pop();
    if (!parent) {
      this.startEntry();
      return;
    }
    this.frame = parent;
    const step = this.currentStep();
    if (step.kind === 'call') {
      const before = step.save === undefined ? undefined : this.frame.data[step.save];
      this.setData(step.save, step.append ? [...(Array.isArray(before) ? before : []), result] : result);
      this.goTo(step.next);
    } else if (step.kind === 'ask') {
      // The child interrupted this prompt (a global command): ask again where we were.
      this.prompt(step);
    } else {
      this.advance();
    }
  }

  /** Moves back to the last question this dialog asked, without asking it; null when there is none. */
  protected backToAsked(): AskStep | null {
    const asked = this.frame.asked;
    const step = asked === undefined ? undefined : this.def(this.frame.dialog).steps[asked];
    if (asked === undefined || step?.kind !== 'ask') return null;
    this.frame = { ...this.frame, step: asked, attempts: 0 };
    return step;
  }

  protected arm(step: AskStep): void {
    if (step.timeout) this.waiting.arm(this.waitKey(), step.timeout.afterMs, this.env.now);
  }

  /** What reading an answer needs: the conversation language, the texts' params, what was shown. */
  protected answers(): AnswerContext {
    return { env: this.env, lang: this.replyLang, params: this.params(), data: this.frame.data, shown: this.shown };
  }

  protected prompt(step: AskStep): void {
    const input = step.input;
    this.frame = { ...this.frame, asked: this.frame.step };
    const choices = choicesOf(input, this.answers(), input.type === 'multi' ? pickedIds(this.frame.data, step.save) : []);
    this.shown = choices;
    this.arm(step);
    if (input.type === 'relay' && this.quiet === this.waitKey()) return;
    let body = this.lang === null && input.type === 'language' ? this.render({ key: 'common:pickLanguageFirst' }) : this.render(step.prompt);
    if (input.type === 'relay') {
      body += `\n${this.render({ key: 'common:relayHint' }, { words: controlWords(input.controls, this.replyLang, this.env) })}`;
    }
    let message: OutboundMessage;
    if (input.type === 'location') {
      message = { type: 'location-request', text: body, skip: choices[0]! };
    } else if (choices.length > 0) {
      message = { type: 'choices', text: body, choices };
    } else {
      message = { type: 'text', text: body };
    }
    this.replies.push({ lang: this.replyLang, message });
  }

  protected say(text: TextRef): void {
    this.replies.push({ lang: this.replyLang, message: { type: 'text', text: this.render(text) } });
  }

  protected render(ref: TextRef, extra: Readonly<Record<string, Json>> = {}): string {
    const params = { ...this.params(), ...extra };
    if (ref.count !== undefined) params['count'] = Number(scalarAt(this.frame.data, ref.count)) || 0;
    const named = ref.keyFrom === undefined ? '' : scalarAt(this.frame.data, ref.keyFrom);
    return this.env.text(this.replyLang, /^[a-z]+:[A-Za-z.]+$/.test(named) ? named : ref.key, params);
  }

  /** Interpolation params: the person's first name, then the dialog's own data (`{{a.b}}` reaches nested fields). */
  protected params(): Record<string, Json> {
    return this.env.person ? { firstName: this.env.person.firstName, ...this.frame.data } : { ...this.frame.data };
  }
}

function pick(data: JsonObject, keys: readonly string[] | undefined): JsonObject {
  const picked: JsonObject = {};
  for (const key of keys ?? []) {
    const value = data[key];
    if (value !== undefined) picked[key] = value;
  }

  return picked;
}
