import { createHash } from 'node:crypto';

/**
 * The key under which one translation is paid for once: sha256 of (source text, source language
 * or 'auto', target language, glossary id or ''). JSON-encoded first so that no separator inside
 * a text can make two different tuples collide. The key never reveals the text.
 */
export function translationCacheKey(text: string, source: string | null, target: string, glossaryId: string | null): string {
  return createHash('sha256')
    .update(JSON.stringify([text, source ?? 'auto', target, glossaryId ?? '']))
    .digest('hex');
}
