import type { Choice, InboundContent } from '../messages.ts';
import { matchChoice } from './choice-match.ts';
import { choicesOf, fixedSpecs, type ListContext } from './choice-list.ts';
import type { InputSpec } from './dialog-definition.ts';
import type { EngineEnv } from './engine-env.ts';
import type { Json } from './json.ts';
import { yesOrNo } from './natural-answers.ts';

/** An answer read against its prompt: the value to save, or the i18n key of the re-prompt reason. */
export type Parsed = { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly error: string };

/** Re-prompt reason of a tap on a list from data that has changed since (no attempt is counted). */
export const LIST_CHANGED = 'common:listChanged';

/** What reading an answer needs to know. */
export interface AnswerContext extends ListContext {
  readonly env: Pick<EngineEnv, 'languages' | 'text' | 'defaultLang' | 'maxAnswerLength'>;
  /** What the last prompt showed (the session's `shown`): answers are matched against it. */
  readonly shown: readonly Choice[];
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
    case 'language':
    case 'multi':
    case 'relay': {
      const id = resolveChoice(content, input, ctx);
      if (id === 'stale') return { ok: false, error: LIST_CHANGED };
      return id === null ? { ok: false, error: 'common:pickOne' } : { ok: true, value: id };
    }
    case 'location': {
      if (content.type === 'location') {
        if (input.reducePin) return { ok: true, value: input.reducePin(content.latitude, content.longitude) };
        return { ok: true, value: { type: 'pin', latitude: content.latitude, longitude: content.longitude } };
      }
      if (resolveChoice(content, input, ctx) === input.skip.id) return { ok: true, value: null };
      if (content.type !== 'text' || !input.typed) return { ok: false, error: input.invalid };
      const typed = input.typed.safeParse(content.text);
      return typed.success ? { ok: true, value: { type: 'typed', text: typed.data } } : { ok: false, error: input.invalid };
    }
  }
}

/**
 * The chosen option among those shown: a tapped id, or a typed number, label, label in the
 * default language, or natural yes/no. `stale` is a tap on a list from data that has changed.
 */
export function resolveChoice(content: InboundContent, input: InputSpec, ctx: AnswerContext): string | null | 'stale' {
  const shown = ctx.shown.length > 0 ? ctx.shown : choicesOf(input, ctx);
  const aliases = aliasesOf(input, ctx);
  if (content.type === 'choice') {
    if (shown.some((c) => c.id === content.choiceId)) return content.choiceId;
    const byLabel = content.label === undefined ? null : matchChoice(content.label, shown, aliases);
    if (byLabel !== null) return byLabel;
    return 'from' in input && input.from !== undefined ? 'stale' : null;
  }
  if (content.type !== 'text') return null;
  return matchChoice(content.text, shown, aliases) ?? naturalAnswer(content.text, input, shown);
}

/** "oui", "так", "👍" pick the option that means yes, where one does. */
function naturalAnswer(text: string, input: InputSpec, shown: readonly Choice[]): string | null {
  const meaning = yesOrNo(text);
  if (meaning === null) return null;
  const spec = fixedSpecs(input).find((c) => c.means === meaning && shown.some((s) => s.id === c.id));
  return spec?.id ?? null;
}

/** Other names a typed answer may use: a language's aliases, a label in the default language. */
function aliasesOf(input: InputSpec, ctx: AnswerContext): Map<string, string[]> {
  if (input.type === 'language') return new Map(ctx.env.languages.map((l) => [l.code, [...l.aliases]]));
  return new Map(fixedSpecs(input).map((c) => [c.id, [ctx.env.text(ctx.env.defaultLang, c.label, ctx.params)]]));
}
