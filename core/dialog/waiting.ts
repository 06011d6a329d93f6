import type { JsonObject } from './json.ts';
import type { Notification, Session, SessionTimer } from './session.ts';

/** Why: a person away for a week must not come back to an unbounded list; the oldest go first. */
const MAX_NOTIFICATIONS = 20;
/** Why: redeliveries come within minutes; a few dozen ids cover them without growing the session. */
const MAX_SIGNAL_IDS = 50;

/** A signal as the engine receives it. */
export interface SignalInput {
  readonly name: string;
  readonly id: string;
  readonly payload: JsonObject;
}

/**
 * What a conversation keeps besides its dialogs: signals seen (for dedupe), notifications for
 * the menu, and the one armed timer. Mutable within one turn only.
 */
export class Waiting {
  private notifications: readonly Notification[];
  private signalIds: readonly string[];
  private timer: SessionTimer | null;
  private timerSeq: number;

  constructor(session: Session | null) {
    this.notifications = session?.notifications ?? [];
    this.signalIds = session?.signalIds ?? [];
    this.timer = session?.timer ?? null;
    this.timerSeq = session?.timerSeq ?? 0;
  }

  /** True for a signal already received (a redelivery). */
  seen(signalId: string): boolean {
    return this.signalIds.includes(signalId);
  }

  remember(signalId: string): void {
    this.signalIds = [...this.signalIds, signalId].slice(-MAX_SIGNAL_IDS);
  }

  /** Keeps a signal the waiting step does not expect, for the menu to show. */
  note(signal: SignalInput, now: Date): void {
    this.remember(signal.id);
    const kept: Notification = { id: signal.id, name: signal.name, payload: signal.payload, at: now.toISOString() };
    this.notifications = [...this.notifications.filter((n) => n.id !== signal.id), kept].slice(-MAX_NOTIFICATIONS);
  }

  /** Hands the kept notifications over (to the menu) and forgets them. */
  take(): readonly Notification[] {
    const taken = this.notifications;
    this.notifications = [];
    return taken;
  }

  /** Arms the timer of the step waiting at `key`; each arming gets a new id. */
  arm(key: string, afterMs: number, now: Date): void {
    this.timerSeq += 1;
    this.timer = { id: `${key}#${this.timerSeq}`, dueAt: new Date(now.getTime() + afterMs).toISOString() };
  }

  /** True when `timerId` is the timer armed by the step waiting at `key`. */
  isArmed(timerId: string, key: string): boolean {
    return this.timer?.id === timerId && timerId.startsWith(`${key}#`);
  }

  disarm(): void {
    this.timer = null;
  }

  /** The session fields, the timer kept only if it belongs to the step that waits now (with a timeout). */
  fields(key: string, hasTimeout: boolean): Pick<Session, 'notifications' | 'timer' | 'signalIds' | 'timerSeq'> {
    const timer = hasTimeout && this.timer?.id.startsWith(`${key}#`) ? this.timer : null;
    return { notifications: this.notifications, timer, signalIds: this.signalIds, timerSeq: this.timerSeq };
  }
}
