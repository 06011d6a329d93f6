import type { Choice, InboundContent } from '../messages.ts';
import { matchChoice } from './choice-match.ts';
import type { InputSpec } from './dialog-definition.ts';
import type { EngineEnv } from './engine-env.ts';
import type { Json } from './json.ts';

/** An answer read against its prompt: the value to save, or the i18n key of the re-prompt reason. */
export type Parsed = { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly error: string };

/** What reading an answer needs to know. */
export interface AnswerContext {
  readonly env: Pick<EngineEnv, 'languages' | 'text' | 'defaultLang' | 'maxAnswerLength'>;
  /** The conversation language, in which the choices were shown. */
  readonly lang: string;
  /** Interpolation params of the labels. */
  readonly params: Readonly<Record<string, Json>>;
}

/** Reads what a person sent as the answer to a prompt. Pure. */
export function parseAnswer(content: InboundContent, input: InputSpec, ctx: AnswerContext): Parsed {
  if (content.type === 'text') {
    if (content.text.trim() === '') return { ok: false, error: 'common:empty' };
    if (content.text.length > ctx.env.maxAnswerLength) return { ok: false, error: 'common:tooLong' };
  }
  switch (input.type) {
    case 'text': {
      if (content.type !== 'text') return { ok: false, error: input.invalid };
      const result = input.schema.safeParse(content.text);
      return result.success ? { ok: true, value: result.data } : { ok: false, error: input.invalid };
    }
    case 'choice':
    case 'language': {
      const id = choiceId(content, input, ctx);
      return id === null ? { ok: false, error: 'common:pickOne' } : { ok: true, value: id };
    }
    case 'location': {
      if (content.type === 'location') {
        return { ok: true, value: { type: 'pin', latitude: content.latitude, longitude: content.longitude } };
      }
      if (choiceId(content, input, ctx) === input.skip.id) return { ok: true, value: null };
      if (content.type !== 'text' || !input.typed) return { ok: false, error: input.invalid };
      const typed = input.typed.safeParse(content.text);
      return typed.success ? { ok: true, value: { type: 'typed', text: typed.data } } : { ok: false, error: input.invalid };
    }
  }
}

/** Choices as shown, in the conversation language. */
export function choicesOf(input: InputSpec, ctx: AnswerContext): Choice[] {
  const label = (key: string) => ctx.env.text(ctx.lang, key, ctx.params);
  switch (input.type) {
    case 'language':
      return ctx.env.languages.map((l) => ({ id: l.code, label: l.nativeName }));
    case 'choice':
      return input.choices.map((c) => ({ id: c.id, label: label(c.label) }));
    case 'location':
      return [{ id: input.skip.id, label: label(input.skip.label) }];
    case 'text':
      return [];
  }
}

/** The chosen option: a tapped id, or a typed number, label, or label in the default language. */
function choiceId(content: InboundContent, input: InputSpec, ctx: AnswerContext): string | null {
  const choices = choicesOf(input, ctx);
  if (content.type === 'choice') {
    if (choices.some((c) => c.id === content.choiceId)) return content.choiceId;
    return content.label === undefined ? null : matchChoice(content.label, choices, aliasesOf(input, ctx));
  }
  if (content.type !== 'text') return null;
  return matchChoice(content.text, choices, aliasesOf(input, ctx));
}

/** Other names a typed answer may use: a language's aliases, a label in the default language. */
function aliasesOf(input: InputSpec, ctx: AnswerContext): Map<string, string[]> {
  if (input.type === 'language') return new Map(ctx.env.languages.map((l) => [l.code, [...l.aliases]]));
  const specs = input.type === 'choice' ? input.choices : input.type === 'location' ? [input.skip] : [];
  return new Map(specs.map((c) => [c.id, [ctx.env.text(ctx.env.defaultLang, c.label, ctx.params)]]));
}
