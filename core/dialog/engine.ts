import type { Choice, InboundContent, OutboundMessage, Reply } from '../messages.ts';
import { LIST_CHANGED, parseAnswer, resolveChoice, type AnswerContext, type Parsed } from './answer-parser.ts';
import { choicesOf, pickedIds } from './choice-list.ts';
import type { Command } from './commands.ts';
import { scalarAt, valueAt } from './data-path.ts';
import type { DialogDef, InputSpec, Next, StepDef, TextRef } from './dialog-definition.ts';
import { ENGINE_EVENTS, type DomainEvent, type EngineEnv, type EngineInput } from './engine-env.ts';
import type { Json, JsonObject } from './json.ts';
import { normalizeAnswer } from './normalize-answer.ts';
import { controlWords, typedControl } from './relay-input.ts';
import { SESSION_SCHEMA, type Frame, type Notification, type Session, type SessionTimer } from './session.ts';

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

/** Why: a person away for a week must not come back to an unbounded list; the oldest go first. */
const MAX_NOTIFICATIONS = 20;
/** Why: redeliveries come within minutes; a few dozen ids cover them without growing the session. */
const MAX_SIGNAL_IDS = 50;

type AskStep = Extract<StepDef, { kind: 'ask' }>;
type Signal = Extract<EngineInput, { kind: 'signal' }>;

/**
 * Runs one turn of a conversation. Pure: the same session, input and env always give the same
 * result, and nothing is stored or sent here. The caller saves `session` first, then performs
 * `events`, then sends `replies`.
 */
export function runTurn(session: Session | null, input: EngineInput, env: EngineEnv): TurnResult {
  return new Turn(env).run(session, input);
}

/** Mutable working state of one turn; never escapes `runTurn`. */
class Turn {
  private frame: Frame = { dialog: '', dialogVersion: 0, step: '', data: {}, attempts: 0 };
  private stack: Frame[] = [];
  private lang: string | null = null;
  private shown: readonly Choice[] = [];
  private notifications: readonly Notification[] = [];
  private signalIds: readonly string[] = [];
  private timer: SessionTimer | null = null;
  private timerSeq = 0;
  private readonly replies: Reply[] = [];
  private readonly events: DomainEvent[] = [];
  private steps = 0;
  private erased = false;
  /** False when the turn only kept a notification: the conversation's silence goes on. */
  private touched = true;
  private updatedAt: string;
  /** A relay step re-entered after a signal does not repeat its prompt (the controls were shown). */
  private quiet: string | null = null;

  constructor(private readonly env: EngineEnv) {
    this.updatedAt = env.now.toISOString();
  }

  run(session: Session | null, input: EngineInput): TurnResult {
    if (!session) return this.runFresh(input);
    this.load(session);
    const ignored: TurnResult = { session, replies: [], events: [], unchanged: true };
    if (input.kind === 'signal' && this.signalIds.includes(input.id)) return ignored;
    if (!this.isCurrent(session)) {
      if (input.kind === 'signal') {
        this.note(input);
      } else if (input.kind === 'message') {
        this.say({ key: 'common:restarted' });
        this.startEntry();
      } else {
        return ignored;
      }
      return this.result();
    }
    const idle = this.env.now.getTime() - Date.parse(session.updatedAt) > this.idleTimeoutMs(session);
    switch (input.kind) {
      case 'message':
        if (idle) {
          this.say({ key: 'common:idleRestart' });
          this.startEntry();
        } else {
          this.answer(input.content);
        }
        break;
      case 'signal':
        if (idle) this.note(input);
        else this.signal(input);
        break;
      case 'timer':
        if (!this.fire(session, input.id)) return ignored;
        break;
      case 'task-result':
        if (!this.resumeTask(input.value)) return ignored;
        break;
      case 'task-failed':
        if (!this.failTask(input.reason)) return ignored;
        break;
    }
    return this.result();
  }

  private runFresh(input: EngineInput): TurnResult {
    if (input.kind !== 'message' && input.kind !== 'signal') return { session: null, replies: [], events: [], unchanged: true };
    this.lang = this.env.person?.lang ?? null;
    if (input.kind === 'signal') {
      // Nobody is talking to us yet: the entry (the menu) opens with the news in it.
      this.note(input);
      this.touched = true;
      this.startEntry();
      return this.result();
    }
    const content = input.content;
    // A first message may be more than a hello (a reply to a broadcast): the entry dialog sees it.
    const firstText = content.type === 'text' && !this.env.commands(content.text) ? content.text.slice(0, this.env.maxAnswerLength) : undefined;
    this.startEntry(content.type === 'start' ? content.payload : undefined, firstText);
    return this.result();
  }

  private load(session: Session): void {
    this.frame = frameOf(session);
    this.stack = [...session.stack];
    this.lang = session.lang;
    this.shown = session.shown;
    this.notifications = session.notifications ?? [];
    this.signalIds = session.signalIds ?? [];
    this.timer = session.timer ?? null;
    this.timerSeq = session.timerSeq ?? 0;
    this.updatedAt = session.updatedAt;
  }

  private result(): TurnResult {
    if (this.erased) return { session: null, replies: this.replies, events: this.events };
    const session: Session = {
      schema: SESSION_SCHEMA,
      ...this.frame,
      stack: this.stack,
      lang: this.lang,
      shown: this.shown,
      updatedAt: this.touched ? this.env.now.toISOString() : this.updatedAt,
      notifications: this.notifications,
      timer: this.liveTimer(),
      signalIds: this.signalIds,
      timerSeq: this.timerSeq,
    };
    return { session, replies: this.replies, events: this.events };
  }

  /** The armed timer, if it still belongs to the step that waits now. */
  private liveTimer(): SessionTimer | null {
    const step = this.env.dialogs.get(this.frame.dialog)?.steps[this.frame.step];
    if (!this.timer || step?.kind !== 'ask' || !step.timeout) return null;
    return this.timer.id.startsWith(`${this.waitKey()}#`) ? this.timer : null;
  }

  private waitKey(): string {
    return `${this.frame.dialog}.${this.frame.step}`;
  }

  /** A session whose dialogs changed shape since it was stored cannot be resumed safely. */
  private isCurrent(session: Session): boolean {
    if (session.schema !== SESSION_SCHEMA) return false;
    return [...session.stack, session].every((f) => {
      const def = this.env.dialogs.get(f.dialog);
      return def !== undefined && def.version === f.dialogVersion && def.steps[f.step] !== undefined;
    });
  }

  /** The idle policy of the innermost dialog that has one (a relay under a sub-dialog keeps its days), else the global one. */
  private idleTimeoutMs(session: Session): number {
    for (const f of [session, ...[...session.stack].reverse()]) {
      const own = this.env.dialogs.get(f.dialog)?.idleTimeoutMs;
      if (own !== undefined) return own;
    }
    return this.env.idleTimeoutMs;
  }

  private get replyLang(): string {
    return this.lang ?? this.env.defaultLang;
  }

  private def(id: string): DialogDef {
    const def = this.env.dialogs.get(id);
    if (!def) throw new Error(`unknown dialog ${id}`);
    return def;
  }

  private currentStep(): StepDef {
    const step = this.def(this.frame.dialog).steps[this.frame.step];
    if (!step) throw new Error(`dialog ${this.frame.dialog} has no step ${this.frame.step}`);
    return step;
  }

  private startEntry(startPayload?: string, firstText?: string): void {
    const entry = this.env.entry(this.env.person, startPayload);
    const data: JsonObject = { ...entry.data };
    if (startPayload) data['startPayload'] = startPayload;
    if (firstText) data['firstText'] = firstText;
    this.stack = [];
    this.enter(entry.dialog, data);
  }

  private enter(dialog: string, data: JsonObject): void {
    const def = this.def(dialog);
    this.frame = { dialog, dialogVersion: def.version, step: def.start, data, attempts: 0 };
    this.advance();
  }

  private goTo(next: Next): void {
    const target = typeof next === 'string' ? next : (next.cases[scalarAt(this.frame.data, next.switch)] ?? next.default);
    this.frame = { ...this.frame, step: target, attempts: 0 };
    this.advance();
  }

  private setData(key: string | undefined, value: Json): void {
    if (key !== undefined) this.frame = { ...this.frame, data: { ...this.frame.data, [key]: value } };
  }

  /** Executes steps until one waits for the person or for a task. */
  private advance(): void {
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
      case 'notifications':
        if (this.notifications.length > 0) {
          this.setData(step.save, { count: this.notifications.length, items: this.notifications.map((n) => ({ ...n })) });
        } else {
          // Nothing new: no stale news from an earlier visit stays in the data (nor in its events' payloads).
          const { [step.save]: _old, ...data } = this.frame.data;
          this.frame = { ...this.frame, data };
        }
        this.notifications = [];
        this.goTo(step.next);
        return;
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

  private returnFromDialog(result: Json): void {
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

  private resumeTask(value: Json): boolean {
    const step = this.currentStep();
    if (step.kind !== 'task') return false; // a late result for a task we already left
    this.setData(step.save, value);
    this.goTo(step.next);
    return true;
  }

  /** A task that failed takes its error exit, or apologises and asks the last question again. */
  private failTask(reason: string): boolean {
    const step = this.currentStep();
    if (step.kind !== 'task') return false;
    if (step.onError !== undefined) {
      this.setData(step.save, { error: reason });
      this.goTo(step.onError);
      return true;
    }
    this.say({ key: 'common:error' });
    const asked = this.backToAsked();
    if (asked) this.prompt(asked);
    else this.startEntry();
    return true;
  }

  /** Moves back to the last question this dialog asked, without asking it; null when there is none. */
  private backToAsked(): AskStep | null {
    const asked = this.frame.asked;
    const step = asked === undefined ? undefined : this.def(this.frame.dialog).steps[asked];
    if (asked === undefined || step?.kind !== 'ask') return null;
    this.frame = { ...this.frame, step: asked, attempts: 0 };
    return step;
  }

  /**
   * A message while a task's result is awaited means the result was lost (a crash between save
   * and effect). Commands act as at the question asked before; anything else is an apology,
   * then answered against that question, so nothing the person wrote is swallowed.
   */
  private messageAtTask(content: InboundContent): void {
    const command = content.type === 'text' ? this.env.commands(content.text) : null;
    if (!command) this.say({ key: 'common:error' });
    const mark = this.replies.length;
    if (!this.backToAsked()) this.startEntry();
    if (this.currentStep().kind !== 'ask') return;
    // The entry's prompt is not said here: answering below asks what comes next.
    this.replies.length = mark;
    this.answer(content);
  }

  private signal(input: Signal): void {
    const step = this.currentStep();
    const next = step.kind === 'ask' ? step.on?.[input.name] : undefined;
    if (next === undefined) {
      this.note(input);
      return;
    }
    this.remember(input.id);
    this.setData('signal', { name: input.name, id: input.id, payload: input.payload });
    this.quiet = this.waitKey();
    this.goTo(next);
  }

  /** Keeps a signal the waiting step does not expect, for the menu to show. */
  private note(input: Signal): void {
    this.remember(input.id);
    const kept: Notification = { id: input.id, name: input.name, payload: input.payload, at: this.env.now.toISOString() };
    this.notifications = [...this.notifications.filter((n) => n.id !== input.id), kept].slice(-MAX_NOTIFICATIONS);
    this.touched = false;
  }

  private remember(signalId: string): void {
    this.signalIds = [...this.signalIds, signalId].slice(-MAX_SIGNAL_IDS);
  }

  private fire(session: Session, timerId: string): boolean {
    if (session.timer?.id !== timerId) return false;
    const step = this.currentStep();
    if (step.kind !== 'ask' || !step.timeout || !timerId.startsWith(`${this.waitKey()}#`)) return false;
    this.timer = null;
    this.goTo(step.timeout.next);
    return true;
  }

  private arm(step: AskStep): void {
    if (!step.timeout) return;
    this.timerSeq += 1;
    this.timer = { id: `${this.waitKey()}#${this.timerSeq}`, dueAt: new Date(this.env.now.getTime() + step.timeout.afterMs).toISOString() };
  }

  private answer(content: InboundContent): void {
    const step = this.currentStep();
    if (step.kind === 'task') {
      this.messageAtTask(content);
      return;
    }
    if (step.kind !== 'ask') {
      this.advance();
      return;
    }
    if (step.input.type === 'relay') {
      this.relay(content, step, step.input);
      return;
    }
    if (content.type === 'text') {
      const command = this.env.commands(content.text);
      if (command) {
        this.command(command, step);
        return;
      }
    }
    if (content.type === 'unsupported') {
      // Not the person's fault (a voice note is natural): no attempt is counted.
      this.say({ key: 'common:unsupported' });
      this.prompt(step);
      return;
    }
    if (content.type === 'start') {
      // A deep link (`/start code`) opens its flow; a bare start shows the pending question again.
      if (content.payload) this.startEntry(content.payload);
      else this.prompt(step);
      return;
    }
    if (step.input.type === 'multi') {
      this.multi(content, step, step.input);
      return;
    }
    const parsed = this.parse(content, step.input);
    if (!parsed.ok) {
      const otherwise = step.input.type === 'choice' ? step.input.otherwise : undefined;
      if (otherwise && content.type === 'text' && parsed.error === 'common:pickOne') {
        this.setData(otherwise.save, content.text.trim());
        this.goTo(otherwise.next);
        return;
      }
      this.reject(parsed.error, step);
      return;
    }
    if (step.input.type === 'language' && step.input.conversation !== false && typeof parsed.value === 'string') {
      this.lang = parsed.value;
      this.events.push({ type: ENGINE_EVENTS.languageChanged, payload: { lang: parsed.value }, awaitsResult: false });
    }
    this.setData(step.save, parsed.value);
    this.goTo(step.next);
  }

  /**
   * In a relay, the person's words go to the other side as written: "2", "stop" or a link are
   * passed on. Only a control leaves (a button, or `#end` and its translations); `#` and a
   * global command word acts as that command.
   */
  private relay(content: InboundContent, step: AskStep, input: Extract<InputSpec, { type: 'relay' }>): void {
    const control = (id: string) => {
      this.setData(step.save, id);
      this.goTo(step.next);
    };
    switch (content.type) {
      case 'text': {
        const typed = typedControl(content.text, input.controls, this.env);
        if (typed !== null) return control(typed);
        const trimmed = content.text.trim();
        const command = trimmed.startsWith('#') ? this.env.commands(trimmed.slice(1)) : null;
        if (command) return this.command(command, step);
        if (trimmed === '') return this.say({ key: 'common:empty' });
        if (content.text.length > this.env.maxAnswerLength) return this.say({ key: 'common:tooLong' });
        return this.pass(step, input.event, { type: 'text', text: content.text });
      }
      case 'location':
        return this.pass(step, input.event, { type: 'location', latitude: content.latitude, longitude: content.longitude });
      case 'choice':
        if (input.controls.some((c) => c.id === content.choiceId)) return control(content.choiceId);
        this.say({ key: LIST_CHANGED });
        return this.prompt(step);
      case 'unsupported':
        return this.say({ key: 'common:relayTextOnly' });
      case 'start':
        if (content.payload) return this.startEntry(content.payload);
        return this.prompt(step);
    }
  }

  /** Hands the person's words to the other side; the conversation stays where it is, and its silence timer restarts. */
  private pass(step: AskStep, event: string, relayed: JsonObject): void {
    const { signal: _theirs, ...data } = this.frame.data;
    this.events.push({ type: event, payload: { ...data, relayed }, awaitsResult: false });
    this.arm(step);
  }

  /** A multi-select: each tap ticks or unticks one option (typed "1 3" several); `done` moves on. */
  private multi(content: InboundContent, step: AskStep, input: Extract<InputSpec, { type: 'multi' }>): void {
    let ids: (string | null | 'stale')[];
    const numbers = content.type === 'text' ? normalizeAnswer(content.text).split(' ') : [];
    if (numbers.length > 1 && numbers.every((n) => /^\d+$/.test(n))) {
      ids = numbers.map((n) => this.shown[Number(n) - 1]?.id ?? null);
    } else {
      ids = [resolveChoice(content, input, this.answers())];
    }
    if (ids.includes('stale')) return this.reject(LIST_CHANGED, step);
    if (ids.includes(null)) return this.reject('common:pickOne', step);
    let picked = pickedIds(this.frame.data, step.save);
    for (const id of ids as string[]) {
      if (id !== input.done.id) picked = picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id];
    }
    this.setData(step.save, picked);
    if (!ids.includes(input.done.id)) return this.prompt(step);
    if (picked.length < (input.min ?? 1)) return this.reject('common:pickOne', step);
    this.goTo(step.next);
  }

  private reject(errorKey: string, step: AskStep): void {
    // A list that changed under the person's finger is not their mistake: no attempt is counted.
    const attempts = errorKey === LIST_CHANGED ? this.frame.attempts : this.frame.attempts + 1;
    if (attempts >= this.env.maxAttempts) {
      this.say({ key: 'common:offerHelp' });
      this.frame = { ...this.frame, attempts: 0 };
    } else {
      this.say({ key: errorKey });
      this.frame = { ...this.frame, attempts };
    }
    this.prompt(step);
  }

  private command(command: Command, step: AskStep): void {
    switch (command) {
      case 'help':
        this.say({ key: 'common:help' });
        this.prompt(step);
        return;
      case 'menu':
        if (this.env.person) {
          this.startEntry();
        } else {
          this.say({ key: 'common:menuAfterOnboarding' });
          this.prompt(step);
        }
        return;
      case 'stop':
        this.events.push({ type: ENGINE_EVENTS.unsubscribed, payload: {}, awaitsResult: false });
        this.say({ key: 'common:stopped' });
        this.prompt(step);
        return;
      case 'language':
      case 'forget':
        this.stack.push(this.frame);
        this.enter(this.env.commandDialogs[command], {});
        return;
    }
  }

  private parse(content: InboundContent, input: InputSpec): Parsed {
    return parseAnswer(content, input, this.answers());
  }

  /** What reading an answer needs: the conversation language, the texts' params, what was shown. */
  private answers(): AnswerContext {
    return { env: this.env, lang: this.replyLang, params: this.params(), data: this.frame.data, shown: this.shown };
  }

  private prompt(step: AskStep): void {
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

  private say(text: TextRef): void {
    this.replies.push({ lang: this.replyLang, message: { type: 'text', text: this.render(text) } });
  }

  private render(ref: TextRef, extra: Readonly<Record<string, Json>> = {}): string {
    const params = { ...this.params(), ...extra };
    if (ref.count !== undefined) params['count'] = Number(scalarAt(this.frame.data, ref.count)) || 0;
    const named = ref.keyFrom === undefined ? '' : scalarAt(this.frame.data, ref.keyFrom);
    return this.env.text(this.replyLang, /^[a-z]+:[A-Za-z.]+$/.test(named) ? named : ref.key, params);
  }

  /** Interpolation params: the person's first name, then the dialog's own data (`{{a.b}}` reaches nested fields). */
  private params(): Record<string, Json> {
    return this.env.person ? { firstName: this.env.person.firstName, ...this.frame.data } : { ...this.frame.data };
  }
}

function frameOf(session: Session): Frame {
  const { dialog, dialogVersion, step, data, attempts, asked } = session;
  return asked === undefined ? { dialog, dialogVersion, step, data, attempts } : { dialog, dialogVersion, step, data, attempts, asked };
}

function pick(data: JsonObject, keys: readonly string[] | undefined): JsonObject {
  const picked: JsonObject = {};
  for (const key of keys ?? []) {
    const value = data[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
