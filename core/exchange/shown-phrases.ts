/**
 * The poster's words as they appear inside stored web chat entries (JSON text): each description
 * and "in return" text, original and translated, JSON-escaped as the entries hold them.
 */
export function shownPhrases(rows: readonly { description: string | null; in_return: string | null; translated: string | null }[]): string[] {
  const phrases = new Set<string>();
  for (const row of rows) {
    const translated = row.translated === null ? {} : (JSON.parse(row.translated) as { description?: string | null; inReturn?: string | null });
    for (const text of [row.description, row.in_return, translated.description ?? null, translated.inReturn ?? null]) {
      if (text !== null && text.length > 0) phrases.add(JSON.stringify(text).slice(1, -1));
    }
  }
  return [...phrases];
}
