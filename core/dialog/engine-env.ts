import type { CommandMatcher } from './commands.ts';
import type { DialogRegistry } from './dialog-definition.ts';
import type { Json, JsonObject } from './json.ts';
import type { InboundContent } from '../messages.ts';

/** What the engine may know of the person it talks to (never their addresses). */
export interface PersonView {
  readonly id: string;
  readonly role: string;
  readonly roleStatus: string;
  readonly firstName: string;
  readonly lang: string;
}

/** A language the bot speaks, with the names people may type for it. */
export interface LanguageOption {
  readonly code: string;
  /** The language's name in its own script, as the picker shows it. */
  readonly nativeName: string;
  /** Other names accepted when typed (the English name, the code). */
  readonly aliases: readonly string[];
}

/** Renders one of the bot's own texts in a language. */
export type TextRenderer = (lang: string, key: string, params?: Readonly<Record<string, Json>>) => string;

/** Everything a turn depends on besides the session and the input: injected, so turns are pure. */
export interface EngineEnv {
  readonly now: Date;
  readonly dialogs: DialogRegistry;
  readonly text: TextRenderer;
  readonly commands: CommandMatcher;
  readonly languages: readonly LanguageOption[];
  readonly defaultLang: string;
  readonly person: PersonView | null;
  /** Where a conversation starts (onboarding for strangers, the menu for people we know). */
  readonly entry: (person: PersonView | null, startPayload?: string) => { readonly dialog: string; readonly data: JsonObject };
  /** Dialogs the `language` and `forget` commands open. */
  readonly commandDialogs: { readonly language: string; readonly forget: string };
  /** A conversation silent for longer than this starts fresh. */
  readonly idleTimeoutMs: number;
  /** Failed answers before the bot offers help. */
  readonly maxAttempts: number;
  /** Guard against definitions that loop without waiting for the person. */
  readonly maxStepsPerTurn: number;
  /** Longest text accepted as an answer. */
  readonly maxAnswerLength: number;
}

/**
 * What drives a turn: a person's message; the result (or failure) of a task the dialog waited
 * for; a signal (another person's action, `id` unique per signal so a redelivery is ignored);
 * or the firing of the session's timer (`id` as armed: a stale one is ignored).
 */
export type EngineInput =
  | { readonly kind: 'message'; readonly content: InboundContent }
  | { readonly kind: 'task-result'; readonly value: Json }
  /** The task the dialog waits for failed (its handler threw): the dialog takes its error exit. */
  | { readonly kind: 'task-failed'; readonly reason: string }
  | { readonly kind: 'signal'; readonly name: string; readonly id: string; readonly payload: JsonObject }
  | { readonly kind: 'timer'; readonly id: string };

/** Something the dialog wants done; the caller performs it after saving the session. */
export interface DomainEvent {
  readonly type: string;
  readonly payload: JsonObject;
  /** True for a task: the caller feeds its result back as a `task-result` input. */
  readonly awaitsResult: boolean;
}

/** Events the engine itself emits for global commands. */
export const ENGINE_EVENTS = {
  languageChanged: 'person.language-changed',
  unsubscribed: 'person.unsubscribed',
  resubscribed: 'person.resubscribed',
  erase: 'person.erase',
} as const;
