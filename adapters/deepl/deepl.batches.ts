/** DeepL's documented limits for one `POST /v2/translate`: 50 texts, 128 KiB of request body. */
export const DEEPL_LIMITS = { maxTexts: 50, maxBytes: 128 * 1024 } as const;

/** Room left for the other form fields (target_lang, tag_handling, glossary_id, ...). */
const OVERHEAD_BYTES = 2 * 1024;

/**
 * Splits texts into as few requests as DeepL's limits allow, keeping order; returns indexes.
 * The body is form-encoded, so each text costs its percent-encoded size (Arabic script takes
 * six bytes a letter). A single text larger than the limit is sent alone (DeepL answers 413).
 */
export function splitIntoRequests(texts: readonly string[], limits: { maxTexts: number; maxBytes: number } = DEEPL_LIMITS): number[][] {
  const budget = limits.maxBytes - OVERHEAD_BYTES;
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  texts.forEach((text, i) => {
    const size = '&text='.length + encodeURIComponent(text).length;
    if (current.length > 0 && (current.length >= limits.maxTexts || bytes + size > budget)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
