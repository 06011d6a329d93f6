import type { Choice, InboundContent, OutboundMessage, Reply } from '../messages.ts';
import { choicesOf, parseAnswer, type AnswerContext, type Parsed } from './answer-parser.ts';
import type { Command } from './commands.ts';
import type { DialogDef, InputSpec, Next, StepDef, TextRef } from './dialog-definition.ts';
import { ENGINE_EVENTS, type DomainEvent, type EngineEnv, type EngineInput } from './engine-env.ts';
import type { Json, JsonObject } from './json.ts';
import { SESSION_SCHEMA, type Frame, type Session } from './session.ts';
import { cleanFreeText } from '../text/people-text.ts';

/** The outcome of one turn: the state to store (null: erase it), what to say, what to do. */
export interface TurnResult {
  readonly session: Session | null;
  readonly replies: readonly Reply[];
  readonly events: readonly DomainEvent[];
}

/**
 * Runs one turn of a conversation. Pure: the same session, input and env always give the same
 * result, and nothing is stored or sent here. The caller saves `session` first, then performs
 * `events`, then sends `replies`.
 */
export function runTurn(session: Session | null, input: EngineInput, env: EngineEnv): TurnResult {
  return new Turn(env).run(session, cleanInput(input));
}

/**
 * People's words are cleaned once, here, before any dialog stores or relays them: controls and
 * bidi overrides never reach a session, a person's record, a staff chat or an inbox.
 */
function cleanInput(input: EngineInput): EngineInput {
  if (input.kind !== 'message' || input.content.type !== 'text') return input;
  return { ...input, content: { ...input.content, text: cleanFreeText(input.content.text) } };
}

/** Mutable working state of one turn; never escapes `runTurn`. */
class Turn {
  private frame: Frame = { dialog: '', dialogVersion: 0, step: '', data: {}, attempts: 0 };
  private stack: Frame[] = [];
  private lang: string | null = null;
  private shown: readonly Choice[] = [];
  private readonly replies: Reply[] = [];
  private readonly events: DomainEvent[] = [];
  private steps = 0;
  private erased = false;

  constructor(private readonly env: EngineEnv) {}

  run(session: Session | null, input: EngineInput): TurnResult {
    if (!session) {
      this.lang = this.env.person?.lang ?? null;
      const content = input.kind === 'message' ? input.content : null;
      // A first message may be more than a hello (a reply to a broadcast): the entry dialog sees it.
      const firstText = content?.type === 'text' && !this.env.commands(content.text) ? content.text.slice(0, this.env.maxAnswerLength) : undefined;
      this.startEntry(content?.type === 'start' ? content.payload : undefined, firstText);
      return this.result();
    }
    this.frame = frameOf(session);
    this.stack = [...session.stack];
    this.lang = session.lang;
    this.shown = session.shown;
    if (!this.isCurrent(session)) {
      this.say({ key: 'common:restarted' });
      this.startEntry();
    } else if (this.env.now.getTime() - Date.parse(session.updatedAt) > this.env.idleTimeoutMs) {
      this.say({ key: 'common:idleRestart' });
      this.stack = [];
      this.startEntry();
    } else if (input.kind === 'task-result') {
      this.resumeTask(input.value);
    } else {
      this.answer(input.content);
    }
    return this.result();
  }

  private result(): TurnResult {
    if (this.erased) return { session: null, replies: this.replies, events: this.events };
    const session: Session = {
      schema: SESSION_SCHEMA,
      ...this.frame,
      stack: this.stack,
      lang: this.lang,
      shown: this.shown,
      updatedAt: this.env.now.toISOString(),
    };
    return { session, replies: this.replies, events: this.events };
  }

  /** A session whose dialogs changed shape since it was stored cannot be resumed safely. */
  private isCurrent(session: Session): boolean {
    if (session.schema !== SESSION_SCHEMA) return false;
    return [...session.stack, session].every((f) => {
      const def = this.env.dialogs.get(f.dialog);
      return def !== undefined && def.version === f.dialogVersion && def.steps[f.step] !== undefined;
    });
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
        this.prompt(step.prompt, step.input);
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
      this.setData(step.save, result);
      this.goTo(step.next);
    } else if (step.kind === 'ask') {
      // The child interrupted this prompt (a global command): ask again where we were.
      this.prompt(step.prompt, step.input);
    } else {
      this.advance();
    }
  }

  private resumeTask(value: Json): void {
    const step = this.currentStep();
    if (step.kind !== 'task') return; // a late result for a task we already left: ignore it
    this.setData(step.save, value);
    this.goTo(step.next);
  }

  private answer(content: InboundContent): void {
    const step = this.currentStep();
    if (step.kind === 'task') {
      // The task's result never came (a crash between save and effect): ask for it again.
      this.advance();
      return;
    }
    if (step.kind !== 'ask') {
      this.advance();
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
      this.prompt(step.prompt, step.input);
      return;
    }
    if (content.type === 'start') {
      // A deep link (`/start code`) opens its flow; a bare start shows the pending question again.
      if (content.payload) this.startEntry(content.payload);
      else this.prompt(step.prompt, step.input);
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

  private reject(errorKey: string, step: Extract<StepDef, { kind: 'ask' }>): void {
    const attempts = this.frame.attempts + 1;
    if (attempts >= this.env.maxAttempts) {
      this.say({ key: 'common:offerHelp' });
      this.frame = { ...this.frame, attempts: 0 };
    } else {
      this.say({ key: errorKey });
      this.frame = { ...this.frame, attempts };
    }
    this.prompt(step.prompt, step.input);
  }

  private command(command: Command, step: Extract<StepDef, { kind: 'ask' }>): void {
    switch (command) {
      case 'help':
        this.say({ key: 'common:help' });
        this.prompt(step.prompt, step.input);
        return;
      case 'menu':
        if (this.env.person) {
          this.startEntry();
        } else {
          this.say({ key: 'common:menuAfterOnboarding' });
          this.prompt(step.prompt, step.input);
        }
        return;
      case 'stop':
        this.events.push({ type: ENGINE_EVENTS.unsubscribed, payload: {}, awaitsResult: false });
        this.say({ key: 'common:stopped' });
        this.prompt(step.prompt, step.input);
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

  private choicesOf(input: InputSpec): Choice[] {
    return choicesOf(input, this.answers());
  }

  /** What reading an answer needs: the conversation language and the texts' params. */
  private answers(): AnswerContext {
    return { env: this.env, lang: this.replyLang, params: this.params() };
  }

  private prompt(text: TextRef, input: InputSpec): void {
    const body = this.lang === null && input.type === 'language' ? this.render({ key: 'common:pickLanguageFirst' }) : this.render(text.key);
    const choices = this.choicesOf(input);
    let message: OutboundMessage;
    if (input.type === 'location') {
      message = { type: 'location-request', text: body, skip: choices[0]! };
    } else if (choices.length > 0) {
      message = { type: 'choices', text: body, choices };
    } else {
      message = { type: 'text', text: body };
    }
    this.shown = choices;
    this.replies.push({ lang: this.replyLang, message });
  }

  private say(text: TextRef): void {
    this.replies.push({ lang: this.replyLang, message: { type: 'text', text: this.render(text.key) } });
  }

  private render(ref: string | TextRef): string {
    return this.env.text(this.replyLang, typeof ref === 'string' ? ref : ref.key, this.params());
  }

  /** Interpolation params: the person's first name, then the dialog's own data (`{{a.b}}` reaches nested fields). */
  private params(): Record<string, Json> {
    return this.env.person ? { firstName: this.env.person.firstName, ...this.frame.data } : this.frame.data;
  }
}

function frameOf(session: Session): Frame {
  const { dialog, dialogVersion, step, data, attempts } = session;
  return { dialog, dialogVersion, step, data, attempts };
}

/** The scalar at a dotted path of the data, as a string ('' when absent or not a scalar). */
function scalarAt(data: JsonObject, path: string): string {
  let value: Json | undefined = data;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
  }
  return value === undefined || value === null || typeof value === 'object' ? '' : String(value);
}

function pick(data: JsonObject, keys: readonly string[] | undefined): JsonObject {
  const picked: JsonObject = {};
  for (const key of keys ?? []) {
    const value = data[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
