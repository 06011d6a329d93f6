import type { ZodType } from 'zod';
import type { Json } from './json.ts';

/**
 * Dialogs are declared as data: a map of steps with stable ids. The engine interprets them;
 * a definition never performs I/O. Step ids starting with `@` are reserved.
 */

/** A text in the bot's own words: an i18n key (`namespace:key`); params come from dialog data. */
export interface TextRef {
  readonly key: string;
  /** Data path of the number that picks the plural form (i18next `count`). */
  readonly count?: string;
  /**
   * Data path of another i18n key to say instead, when present: a task names its own notice
   * (the free-text router's destinations each have theirs), `key` being the fallback.
   */
  readonly keyFrom?: string;
}

/**
 * Where to go after a step: a step id, or a switch on a data field (a dotted path such as
 * `result.status`; a missing field reads as the empty string, so `''` matches "absent").
 */
export type Next =
  | string
  | { readonly switch: string; readonly cases: Readonly<Record<string, string>>; readonly default: string };

/** Where free text goes when it matches no choice (instead of a re-prompt). */
export interface Otherwise {
  readonly save: string;
  readonly next: Next;
}

/** One option of a choice prompt; `label` is an i18n key. */
export interface ChoiceSpec {
  readonly id: string;
  readonly label: string;
  /** Shown only when the data at this path is present and not false (a "more" with a next page). */
  readonly when?: string;
  /** A yes or no answer: natural words ("oui", "так", "نعم", "👍") pick it in every language. */
  readonly means?: 'yes' | 'no';
}

/**
 * A control of a relayed conversation: a button, or typed with `#` and its word (`#end`,
 * `#fin`); `word` is the i18n key of the typed word, accepted in every language.
 */
export interface RelayControl extends ChoiceSpec {
  readonly word: string;
}

/** How an answer is read. */
export type InputSpec =
  /** Free text checked by a zod schema; `invalid` is the i18n key of the re-prompt. */
  | { readonly type: 'text'; readonly schema: ZodType<Json>; readonly invalid: string }
  /**
   * One option. `from` is a data path holding options from data (`{id, label, description?}`,
   * labels already in the reader's language), shown before the fixed `choices`.
   */
  | { readonly type: 'choice'; readonly choices: readonly ChoiceSpec[]; readonly from?: string; readonly otherwise?: Otherwise }
  /**
   * Several options, each tap ticking or unticking one, until `done`; the ids picked so far
   * are kept in `data[save]` (so `save` is required), at least `min` (default 1).
   */
  | {
      readonly type: 'multi';
      readonly choices: readonly ChoiceSpec[];
      readonly from?: string;
      readonly done: ChoiceSpec;
      readonly min?: number;
    }
  /**
   * The language picker: every supported language in its own name. It sets the conversation
   * language unless `conversation` is false (picking a language for something else).
   */
  | { readonly type: 'language'; readonly conversation?: boolean }
  /** A location pin, or a typed place when `typed` is given, or `skip`. */
  | {
      readonly type: 'location';
      readonly skip: ChoiceSpec;
      readonly typed?: ZodType<string>;
      readonly invalid: string;
      /**
       * What a shared pin is saved as, instead of `{type: 'pin', latitude, longitude}`: a pure
       * reduction (a coarse cell) applied before the session is stored, so that the exact point
       * is never written anywhere.
       */
      readonly reducePin?: (latitude: number, longitude: number) => Json;
    }
  /**
   * A conversation relayed to someone else: text becomes `event` (payload: the dialog data and
   * `relayed`), verbatim, never read as a choice or a command; a shared pin becomes
   * `{type: 'location'}` without its point. Only the
   * controls (by button, or typed `#word`) leave it; the picked control id lands in `data[save]`.
   */
  | { readonly type: 'relay'; readonly event: string; readonly controls: readonly RelayControl[] };

/** A timeout of a waiting step: after `afterMs` without anything happening, go to `next`. */
export interface Timeout {
  readonly afterMs: number;
  readonly next: Next;
}

/** One step of a dialog. */
export type StepDef =
  /**
   * Show a prompt and wait for the answer; store it in `data[save]`. `on` names the signals
   * (another person's action) this step accepts: their `{name, id, payload}` lands in
   * `data.signal`. Others are kept as notifications.
   */
  | {
      readonly kind: 'ask';
      readonly prompt: TextRef;
      readonly input: InputSpec;
      readonly save?: string;
      readonly next: Next;
      readonly on?: Readonly<Record<string, Next>>;
      readonly timeout?: Timeout;
    }
  /** Say something and go on. */
  | { readonly kind: 'say'; readonly text: TextRef; readonly next: Next }
  /**
   * Run a sub-dialog with some of this dialog's data; its result lands in `data[save]`, or is
   * appended to the list there with `append` (a profile of several diplomas).
   */
  | {
      readonly kind: 'call';
      readonly dialog: string;
      readonly args?: readonly string[];
      readonly save?: string;
      readonly append?: boolean;
      readonly next: Next;
    }
  /** Emit a domain event carrying this dialog's data; the caller performs it after saving. */
  | { readonly kind: 'emit'; readonly event: string; readonly next: Next }
  /**
   * Emit an event and wait for its result (a lookup, a translation); result in `data[save]`.
   * When it fails, go to `onError` (with `{error}` in `data[save]`), or else apologise and ask
   * the last question again.
   */
  | { readonly kind: 'task'; readonly event: string; readonly save: string; readonly next: Next; readonly onError?: Next }
  /** Set `data[key]` to the data at path `from` (a paging cursor), or to `value`. */
  | { readonly kind: 'set'; readonly key: string; readonly from?: string; readonly value?: Json; readonly next: Next }
  /** Move the kept notifications into `data[save]` as `{count, items}` (absent when there are none). */
  | { readonly kind: 'notifications'; readonly save: string; readonly next: Next }
  /** Leave every dialog and start another afresh (e.g. the main menu after onboarding). */
  | { readonly kind: 'goto'; readonly dialog: string; readonly args?: readonly string[] }
  /** Return to the calling dialog with `data[result]` (or all data) as result. */
  | { readonly kind: 'end'; readonly result?: string }
  /** Go on without saying anything (a branch on data, with a switch `next`). */
  | { readonly kind: 'route'; readonly next: Next }
  /** Hold the conversation in the language found at a data path (a known contact's language), if supported. */
  | { readonly kind: 'use-language'; readonly from: string; readonly next: Next }
  /** Erase the person and this conversation ("forget me"), saying `text` as the last word. */
  | { readonly kind: 'erase'; readonly text: TextRef };

/** A dialog: versioned, so that sessions made by an older definition are restarted politely. */
export interface DialogDef {
  readonly id: string;
  readonly version: number;
  readonly start: string;
  readonly steps: Readonly<Record<string, StepDef>>;
  /** Silence after which a conversation in this dialog starts fresh (a relay: days); else the global one. */
  readonly idleTimeoutMs?: number;
}

/** All dialogs by id. */
export type DialogRegistry = ReadonlyMap<string, DialogDef>;

export { dialogRegistry, type RegistryChecks } from './dialog-registry.ts';
