import type { Choice } from '../messages.ts';
import { normalizeAnswer } from './normalize-answer.ts';

/**
 * Finds which shown choice a typed answer means: its number in the list ("2"), its id, its
 * label as shown, or its label in another language we know (`aliases`, by choice id).
 * Returns the choice id, or null when the answer matches none or is ambiguous.
 */
export function matchChoice(
  answer: string,
  shown: readonly Choice[],
  aliases: ReadonlyMap<string, readonly string[]> = new Map(),
): string | null {
  const folded = normalizeAnswer(answer);
  if (!folded) return null;
  if (/^\d+$/.test(folded)) {
    const index = Number(folded) - 1;
    return shown[index]?.id ?? null;
  }
  const hits = new Set<string>();
  for (const choice of shown) {
    const names = [choice.id, choice.label, ...(aliases.get(choice.id) ?? [])];
    if (names.some((name) => normalizeAnswer(name) === folded)) hits.add(choice.id);
  }
  return hits.size === 1 ? [...hits][0]! : null;
}
