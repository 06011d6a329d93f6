import type { Choice } from '../messages.ts';
import type { JsonObject } from './json.ts';

/** Version of the session shape itself; bumped with a migration when the shape changes. */
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
  /** Choices shown by the last prompt, so "2" or a label can be matched against them. */
  readonly shown: readonly Choice[];
  readonly updatedAt: string;
}
