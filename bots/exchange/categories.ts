import type { ChoiceSpec } from '../../core/dialog/dialog-definition.ts';

/**
 * The fixed taxonomy of the exchange, in the order people are shown. Each label starts with an
 * emoji so that it is recognised without reading; the words are written by hand in every
 * language (`exchange:cat.<id>`). Ids are stored with posts: never rename one.
 */
export const CATEGORIES = [
  'plumbing',
  'electrical',
  'repairs',
  'cleaning',
  'cooking',
  'childcare',
  'gardening',
  'moving',
  'tailoring',
  'hairdressing',
  'phone-it',
  'language',
  'interpreting',
  'paperwork',
  'tutoring',
  'clothes',
  'household',
  'food',
  'baby',
  'bike',
  'company',
] as const;

/** One of {@link CATEGORIES}. */
export type Category = (typeof CATEGORIES)[number];

/** The i18n key of a category's label ("🔧 Plumbing"). */
export function categoryKey(category: string): string {
  return `exchange:cat.${category}`;
}

/** The categories as choices of a prompt. */
export const CATEGORY_CHOICES: readonly ChoiceSpec[] = CATEGORIES.map((id) => ({ id, label: categoryKey(id) }));

/** True for a category id of the taxonomy. */
export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
