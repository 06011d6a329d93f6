import { createHash } from 'node:crypto';
import type { Organisation } from '../../core/ports/people.port.ts';
import type { Glossary } from '../../core/ports/translator.port.ts';

/**
 * The organisation's glossary as the translator wants it. Its id is a hash of the entries, so
 * editing the glossary never reuses translations (or a DeepL glossary) made with the old one.
 */
export function glossaryOf(org: Organisation): Glossary | null {
  const entries = org.glossary;
  if (Object.keys(entries).length === 0) return null;
  const canonical = JSON.stringify(
    Object.keys(entries)
      .sort()
      .map((term) => [term, Object.entries(entries[term] ?? {}).sort()]),
  );
  return { id: createHash('sha256').update(`${org.lang}\u0000${canonical}`).digest('hex').slice(0, 32), sourceLang: org.lang, entries };
}
