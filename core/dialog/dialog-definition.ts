import type { ZodType } from 'zod';
import type { Json } from './json.ts';

/**
 * Dialogs are declared as data: a map of steps with stable ids. The engine interprets them;
 * a definition never performs I/O. Step ids starting with `@` are reserved.
 */

/** A text in the bot's own words: an i18n key (`namespace:key`); params come from dialog data. */
export interface TextRef {
  readonly key: string;
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
}

/** How an answer is read. */
export type InputSpec =
  /** Free text checked by a zod schema; `invalid` is the i18n key of the re-prompt. */
  | { readonly type: 'text'; readonly schema: ZodType<Json>; readonly invalid: string }
  | { readonly type: 'choice'; readonly choices: readonly ChoiceSpec[]; readonly otherwise?: Otherwise }
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
    };

/** One step of a dialog. */
export type StepDef =
  /** Show a prompt and wait for the answer; store it in `data[save]`. */
  | { readonly kind: 'ask'; readonly prompt: TextRef; readonly input: InputSpec; readonly save?: string; readonly next: Next }
  /** Say something and go on. */
  | { readonly kind: 'say'; readonly text: TextRef; readonly next: Next }
  /** Run a sub-dialog with some of this dialog's data; its result lands in `data[save]`. */
  | { readonly kind: 'call'; readonly dialog: string; readonly args?: readonly string[]; readonly save?: string; readonly next: Next }
  /** Emit a domain event carrying this dialog's data; the caller performs it after saving. */
  | { readonly kind: 'emit'; readonly event: string; readonly next: Next }
  /** Emit an event and wait for its result (a lookup, a translation); result in `data[save]`. */
  | { readonly kind: 'task'; readonly event: string; readonly save: string; readonly next: Next }
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
}

/** All dialogs by id. */
export type DialogRegistry = ReadonlyMap<string, DialogDef>;

/** Builds a registry, checking that every `next`, `call` and `goto` names something that exists. */
export function dialogRegistry(dialogs: readonly DialogDef[]): DialogRegistry {
  const registry = new Map(dialogs.map((d) => [d.id, d]));
  for (const dialog of dialogs) {
    const targets = (next: Next): string[] => (typeof next === 'string' ? [next] : [...Object.values(next.cases), next.default]);
    const otherwise = (step: StepDef): string[] =>
      step.kind === 'ask' && step.input.type === 'choice' && step.input.otherwise ? targets(step.input.otherwise.next) : [];
    if (!dialog.steps[dialog.start]) throw new Error(`dialog ${dialog.id}: start step ${dialog.start} missing`);
    for (const [id, step] of Object.entries(dialog.steps)) {
      const nexts = ['next' in step ? targets(step.next) : [], otherwise(step)].flat();
      for (const target of nexts) {
        if (!dialog.steps[target]) throw new Error(`dialog ${dialog.id}: step ${id} goes to missing step ${target}`);
      }
      if ((step.kind === 'call' || step.kind === 'goto') && !registry.has(step.dialog)) {
        throw new Error(`dialog ${dialog.id}: step ${id} names missing dialog ${step.dialog}`);
      }
    }
  }
  return registry;
}
