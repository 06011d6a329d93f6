import type { InboundContent } from '../messages.ts';
import { LIST_CHANGED, parseAnswer, type Parsed } from './answer-parser.ts';
import { pickedIds } from './choice-list.ts';
import type { Command } from './commands.ts';
import type { InputSpec } from './dialog-definition.ts';
import { ENGINE_EVENTS, type EngineEnv, type EngineInput } from './engine-env.ts';
import { DialogWalker, type AskStep, type TurnResult } from './engine-walker.ts';
import type { Json } from './json.ts';
import { SESSION_SCHEMA, type Frame, type Session } from './session.ts';
import { cleanFreeText } from '../text/people-text.ts';
import { readMulti, readRelay } from './special-inputs.ts';
import { Waiting } from './waiting.ts';

export type { TurnResult } from './engine-walker.ts';

type Signal = Extract<EngineInput, { kind: 'signal' }>;

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

/** One turn: what the input means (an answer, a command, a signal, a timer, a task's outcome), acted on by walking the dialogs. */
class Turn extends DialogWalker {
  run(session: Session | null, input: EngineInput): TurnResult {
    if (!session) return this.runFresh(input);
    this.load(session);
    const ignored: TurnResult = { session, replies: [], events: [], unchanged: true };
    if (input.kind === 'signal' && this.waiting.seen(input.id)) return ignored;
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
        if (!this.fire(input.id)) return ignored;
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
    const command = content.type === 'text' ? this.env.commands(content.text) : null;
    // STOP and START are honoured even as a first message: an imported contact's first SMS may be
    // STOP, and a carrier requires it to take effect at once.
    if (command === 'stop' || command === 'start') this.subscription(command);
    // A first message may be more than a hello (a reply to a broadcast): the entry dialog sees it.
    const firstText = content.type === 'text' && !command ? content.text.slice(0, this.env.maxAnswerLength) : undefined;
    this.startEntry(content.type === 'start' ? content.payload : undefined, firstText);
    return this.result();
  }

  private load(session: Session): void {
    this.frame = frameOf(session);
    this.stack = [...session.stack];
    this.lang = session.lang;
    this.shown = session.shown;
    this.waiting = new Waiting(session);
    this.updatedAt = session.updatedAt;
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

  /**
   * A message while a task's result is awaited means the result was lost (a crash between save
   * and effect). Commands act as at the question asked before; anything else is an apology,
   * then answered against that question, so nothing the person wrote is swallowed.
   */
  private messageAtTask(content: InboundContent): void {
    const command = content.type === 'text' ? this.env.commands(content.text) : null;
    // A deep link opens its flow anyway: no apology for what the person did not ask about.
    if (!command && !(content.type === 'start' && content.payload)) this.say({ key: 'common:error' });
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
    this.waiting.remember(input.id);
    this.setData('signal', { name: input.name, id: input.id, payload: input.payload });
    this.quiet = this.waitKey();
    this.goTo(next);
  }

  /** Keeps a signal the waiting step does not expect, for the menu; the conversation's silence goes on. */
  private note(input: Signal): void {
    this.waiting.note(input, this.env.now);
    this.touched = false;
  }

  private fire(timerId: string): boolean {
    const step = this.currentStep();
    if (step.kind !== 'ask' || !step.timeout || !this.waiting.isArmed(timerId, this.waitKey())) return false;
    this.waiting.disarm();
    this.goTo(step.timeout.next);
    return true;
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

  private relay(content: InboundContent, step: AskStep, input: Extract<InputSpec, { type: 'relay' }>): void {
    const reading = readRelay(content, input, this.env);
    switch (reading.kind) {
      case 'control':
        this.setData(step.save, reading.id);
        this.goTo(step.next);
        return;
      case 'command':
        this.command(reading.command, step);
        return;
      case 'pass': {
        // Their own words only: what the other side said (`signal`) does not travel back.
        const { signal: _theirs, ...data } = this.frame.data;
        this.events.push({ type: input.event, payload: { ...data, relayed: reading.relayed }, awaitsResult: false });
        this.arm(step); // activity: the silence counts again from now
        return;
      }
      case 'notice':
        this.say({ key: reading.key });
        if (reading.reprompt) this.prompt(step);
        return;
      case 'start':
        if (reading.payload) this.startEntry(reading.payload);
        else this.prompt(step);
        return;
    }
  }

  private multi(content: InboundContent, step: AskStep, input: Extract<InputSpec, { type: 'multi' }>): void {
    const reading = readMulti(content, input, this.answers(), pickedIds(this.frame.data, step.save));
    if (reading.kind === 'reject') {
      this.reject(reading.key, step);
      return;
    }
    this.setData(step.save, [...reading.picked]);
    if (reading.kind === 'done') this.goTo(step.next);
    else this.prompt(step);
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
      case 'start':
        this.subscription(command);
        this.prompt(step);
        return;
      case 'language':
      case 'forget':
        this.stack.push(this.frame);
        this.enter(this.env.commandDialogs[command], {});
        return;
    }
  }

  /** STOP: no more news, from anyone, on any channel (confirmed); START undoes it. */
  private subscription(command: 'stop' | 'start'): void {
    this.events.push({ type: command === 'stop' ? ENGINE_EVENTS.unsubscribed : ENGINE_EVENTS.resubscribed, payload: {}, awaitsResult: false });
    this.say({ key: command === 'stop' ? 'common:stopped' : 'common:started' });
  }

  private parse(content: InboundContent, input: InputSpec): Parsed {
    return parseAnswer(content, input, this.answers());
  }
}


function frameOf(session: Session): Frame {
  const { dialog, dialogVersion, step, data, attempts, asked } = session;
  return asked === undefined ? { dialog, dialogVersion, step, data, attempts } : { dialog, dialogVersion, step, data, attempts, asked };
}
