import type { Choice } from '../messages.ts';
import type { JsonObject } from './json.ts';

/**
 * Version of the session shape itself; bumped with a migration when the shape changes. Fields
 * added since version 1 are optional and read with defaults, so older sessions resume as they are.
 */
export const SESSION_SCHEMA = 1;

/** Where one dialog stands: which step waits, with what it has gathered. */
export interface Frame {
  readonly dialog: string;
  readonly dialogVersion: number;
  /** Stable step id (never an index: inserting a step must not break stored sessions). */
  readonly step: string;
  readonly data: JsonObject;
  /** Failed answers to the current prompt. */
  readonly attempts: number;
  /** The last step of this dialog that asked the person something: where a failed task returns. */
  readonly asked?: string;
}

/** A signal the waiting step did not expect, kept for the menu ("You have 2 new messages"). */
export interface Notification {
  /** The signal's id (unique per signal: a redelivery carries the same id). */
  readonly id: string;
  readonly name: string;
  readonly payload: JsonObject;
  /** ISO time it arrived. */
  readonly at: string;
}

/** The one timer a waiting step may have armed; `id` is unique per arming, so a stale firing is recognised. */
export interface SessionTimer {
  readonly id: string;
  /** ISO time it is due. */
  readonly dueAt: string;
}

/**
 * One conversation's state: plain JSON, stored between turns. The active frame is inlined; the
 * stack holds the dialogs that called it (last = direct parent).
 */
export interface Session extends Frame {
  readonly schema: typeof SESSION_SCHEMA;
  readonly stack: readonly Frame[];
  /** Language the conversation is held in; null until the person picks one. */
  readonly lang: string | null;
  /** Choices shown by the last prompt: what "2", a label or a tap is matched against. */
  readonly shown: readonly Choice[];
  readonly updatedAt: string;
  /** Signals kept for later, oldest first (absent in older sessions: none). */
  readonly notifications?: readonly Notification[];
  /** The armed timer, if any (absent in older sessions: none). */
  readonly timer?: SessionTimer | null;
  /** Ids of the last signals received, so a redelivered signal is ignored. */
  readonly signalIds?: readonly string[];
  /** Counts timer armings, so each arming gets a new id even at the same instant. */
  readonly timerSeq?: number;
}
