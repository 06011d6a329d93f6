import { z } from 'zod';
import type { Choice } from '../messages.ts';
import { scalarAt, valueAt } from './data-path.ts';
import type { ChoiceSpec, InputSpec } from './dialog-definition.ts';
import type { EngineEnv } from './engine-env.ts';
import type { Json, JsonObject } from './json.ts';

/** What building a prompt's choices needs. */
export interface ListContext {
  readonly env: Pick<EngineEnv, 'languages' | 'text' | 'defaultLang'>;
  /** The conversation language, in which the choices are shown. */
  readonly lang: string;
  /** Interpolation params of the labels. */
  readonly params: Readonly<Record<string, Json>>;
  /** The dialog's data (lists from data, `when` conditions, ticked options). */
  readonly data: JsonObject;
}

/** An option from data, as a task returns it; sessions are stored data, so it is checked again. */
const dataChoice = z.object({ id: z.string().min(1).max(64), label: z.string().min(1).max(200), description: z.string().max(200).optional() });

/** Mark of an option already picked in a multi-select. */
export const TICK = '✅ ';

/** The options listed at `from` in the data; malformed rows are left out. */
export function dataChoices(data: JsonObject, from: string | undefined): Choice[] {
  if (from === undefined) return [];
  const rows = valueAt(data, from);
  if (!Array.isArray(rows)) return [];
  const choices: Choice[] = [];
  for (const row of rows) {
    const parsed = dataChoice.safeParse(row);
    if (!parsed.success) continue;
    const { id, label, description } = parsed.data;
    choices.push(description === undefined ? { id, label } : { id, label, description });
  }
  return choices;
}

/** Fixed choices whose `when` holds now. */
export function fixedChoices(specs: readonly ChoiceSpec[], data: JsonObject): ChoiceSpec[] {
  return specs.filter((c) => c.when === undefined || !['', 'false'].includes(scalarAt(data, c.when)));
}

/** Ids ticked so far in a multi-select (kept in `data[save]`). */
export function pickedIds(data: JsonObject, save: string | undefined): string[] {
  const value = save === undefined ? undefined : data[save];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Choices as shown, in the conversation language; `picked` are ticked (multi-select). */
export function choicesOf(input: InputSpec, ctx: ListContext, picked: readonly string[] = []): Choice[] {
  const label = (c: ChoiceSpec): Choice => ({ id: c.id, label: ctx.env.text(ctx.lang, c.label, ctx.params) });
  switch (input.type) {
    case 'language':
      return ctx.env.languages.map((l) => ({ id: l.code, label: l.nativeName }));
    case 'choice':
      return [...dataChoices(ctx.data, input.from), ...fixedChoices(input.choices, ctx.data).map(label)];
    case 'multi': {
      const options = [...dataChoices(ctx.data, input.from), ...fixedChoices(input.choices, ctx.data).map(label)];
      const ticked = options.map((c) => (picked.includes(c.id) ? { ...c, label: TICK + c.label } : c));
      return [...ticked, label(input.done)];
    }
    case 'location':
      return [label(input.skip)];
    case 'relay':
      return input.controls.map(label);
    case 'text':
      return [];
  }
}

/** The fixed options of an input, whose labels in the default language are also accepted when typed. */
export function fixedSpecs(input: InputSpec): readonly ChoiceSpec[] {
  switch (input.type) {
    case 'choice':
      return input.choices;
    case 'multi':
      return [...input.choices, input.done];
    case 'location':
      return [input.skip];
    case 'relay':
      return input.controls;
    case 'language':
    case 'text':
      return [];
  }
}
