import { Readable } from 'node:stream';

/** The field separators a contacts file may use: spreadsheets in French locales save with ";". */
export type CsvDelimiter = ',' | ';' | '\t';

const CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t'];
/** How far to look for the end of the header line. */
const MAX_HEAD_BYTES = 64 * 1024;

/** The separator used most often outside quotes in a header line; "," when there is none. */
export function delimiterOf(headerLine: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char as CsvDelimiter)) counts.set(char as CsvDelimiter, counts.get(char as CsvDelimiter)! + 1);
  }
  let best: CsvDelimiter = ',';
  for (const candidate of CANDIDATES) if (counts.get(candidate)! > counts.get(best)!) best = candidate;
  return best;
}

/**
 * Reads a stream up to the end of its first line, picks the separator from it, and gives back
 * a stream that replays what was read followed by the rest, still pulled on demand (so a large
 * file is never held in memory). Abandoning the returned stream destroys the source.
 */
export async function sniffDelimiter(source: Readable): Promise<{ delimiter: CsvDelimiter; stream: Readable; utf16: boolean }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: (Buffer | string)[] = [];
  let text = '';
  while (!text.includes('\n') && text.length < MAX_HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    // Only the start of a chunk matters: an HTTP body arrives as one string of up to 20 MB.
    text += typeof next.value === 'string' ? next.value.slice(0, MAX_HEAD_BYTES) : next.value.subarray(0, MAX_HEAD_BYTES).toString('utf8');
  }
  async function* replay(): AsyncGenerator<Buffer | string> {
    try {
      yield* head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  // UTF-16 (what some spreadsheets save as "Unicode text") puts a NUL byte beside every Latin
  // letter, and its byte-order mark reads as two replacement characters in UTF-8.
  const utf16 = text.includes('\u0000') || text.startsWith('\uFFFD\uFFFD');
  return { delimiter: delimiterOf(text.split('\n', 1)[0] ?? ''), stream: Readable.from(replay(), { objectMode: false }), utf16 };
}
