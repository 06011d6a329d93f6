/**
 * The poster's words as they appear inside stored web chat entries (JSON text): each description
 * and "in return" text, original and translated, JSON-escaped as the entries hold them.
 */
export function shownPhrases(rows: readonly { description: string | null; in_return: string | null; translated: string | null }[]): string[] {
  const phrases = new Set<string>();
  for (const row of rows) {
    const translated = row.translated === null ? {} : wordsOf(row.translated);
    for (const text of [row.description, row.in_return, translated.description ?? null, translated.inReturn ?? null]) {
      if (text !== null && text.length > 0) phrases.add(JSON.stringify(text).slice(1, -1));
    }
  }
  return [...phrases];
}

/** A stored translation's words (JSON `{description, inReturn}`); any other text counts as one phrase. */
function wordsOf(stored: string): { description?: string | null; inReturn?: string | null } {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (parsed !== null && typeof parsed === 'object') return parsed as { description?: string | null; inReturn?: string | null };
  } catch {
    // Not the exchange's own shape: the text itself is what a page may have shown.
  }
  return { description: stored };
}
