import { Readable } from 'node:stream';
import { CsvError, parse, type Info } from 'csv-parse';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { ContactImport } from '../../core/ports/contacts.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { contactRowChecker, mapHeader, type RowOutcome } from './contact-row.ts';
import { nextTurn, sliceTimer } from './cpu-turns.ts';
import { sniffDelimiter } from './csv-delimiter.ts';
import { CsvImportError, type ContactsImportResult, type RejectedRow } from './csv-import.error.ts';

/** How far an import has got, reported every {@link ImportContactsOptions.batchSize} rows and at the end. */
export interface ImportProgress {
  /** The last line of the file read. */
  readonly line: number;
  /** Contacts written so far (created or updated). */
  readonly imported: number;
  readonly rejected: number;
}

/** Who the contacts belong to, where they go, and how phone numbers without "+" are read. */
export interface ImportContactsOptions {
  readonly orgId: string;
  readonly store: Pick<Store, 'contacts'>;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Country of phone numbers written without their country code ("06 12 34 56 78"). */
  readonly defaultCountry?: CountryCode;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Valid rows per store write (default 500). */
  readonly batchSize?: number;
}

/** A field longer than this is an unclosed quote swallowing the file, not a name. */
const MAX_RECORD_SIZE = 64 * 1024;

/** A record as csv-parse gives it with `info: true`; `info.lines` is the line the record ends on. */
interface ParsedRecord {
  readonly record: string[];
  readonly info: Info;
}

/** Where the file stops being CSV: a line and a short reason. */
interface Break {
  readonly line: number;
  readonly reason: string;
}

/** Short, fixed reasons for csv-parse's errors: their messages quote the field (personal data). */
function structuralReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unclosed quote';
    case 'CSV_MAX_RECORD_SIZE':
      return 'record too long (unclosed quote?)';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after a closing quote';
    case 'INVALID_OPENING_QUOTE':
      return 'quote inside an unquoted field';
    default:
      return 'malformed CSV';
  }
}

/**
 * The line a csv-parse error belongs to. An unclosed quote is only noticed where reading stops
 * (the end of the file, or the size limit), so it names the line where the record began: the
 * one after the last record read, past any blank lines.
 */
function breakOf(error: CsvError, last: { endLine: number; emptyLines: number }): Break {
  const lost = error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE';
  const lines = error['lines'];
  const emptyLines = error['empty_lines'];
  const blanks = typeof emptyLines === 'number' ? emptyLines - last.emptyLines : 0;
  const line = lost || typeof lines !== 'number' ? last.endLine + 1 + blanks : lines;
  return { line, reason: structuralReason(error) };
}

/** Line breaks inside a record's quoted fields. */
function lineBreaksIn(record: readonly string[]): number {
  let count = 0;
  for (const field of record) for (const char of field) if (char === '\n') count++;
  return count;
}

const isBlank = (record: readonly string[]) => record.every((field) => field === '');

/**
 * Imports an organisation's contacts from CSV (a header line, then one contact per line),
 * streaming: valid rows are written in batches, so a 100,000-line file is never held in memory.
 * Invalid rows and phones repeated within the file are returned by line with a short reason
 * naming the column; a phone the organisation already has updates that contact. A file that is
 * not readable CSV from some line on throws a {@link CsvImportError} after importing the valid
 * rows before that line.
 */
export async function importContactsCsv(input: Readable | string, options: ImportContactsOptions): Promise<ContactsImportResult> {
  const { orgId, store, ids, clock, onProgress } = options;
  const batchSize = options.batchSize ?? 500;
  const source = typeof input === 'string' ? Readable.from([input]) : input;
  const { delimiter, stream, utf16 } = await sniffDelimiter(source);
  if (utf16) {
    stream.destroy();
    // One error for the file, not one "control character" per row.
    throw new CsvImportError(1, 'file: not UTF-8 text (it looks like UTF-16); save it as "CSV UTF-8"', { created: 0, updated: 0, rejected: [] });
  }
  let lastRead = { endLine: 0, emptyLines: 0 };
  // A holder, not a variable: the parser's callbacks set it while the loop below reads it.
  const parsing: { broken: Break | null } = { broken: null };
  const parser = parse({
    delimiter,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    // Why relaxed: a row with a stray separator is refused on its own, not the whole file.
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_SIZE,
    info: true,
    on_record: (record, context) => {
      lastRead = { endLine: context.lines, emptyLines: context.empty_lines };
      return record;
    },
    // Why skip instead of fail: a failing parser drops the records it had read ahead, and the
    // valid rows before the broken line must be imported whatever the chunk or batch sizes.
    // The loop below stops at the first record past the break.
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) parsing.broken ??= breakOf(error, lastRead);
      return undefined;
    },
  });
  stream.on('error', (error) => parser.destroy(error));

  let created = 0;
  let updated = 0;
  const rejected: RejectedRow[] = [];
  let batch: ContactImport[] = [];
  // E.164 phone -> line of its first valid row: a few MB for 100,000 rows, needed to spot duplicates.
  const firstLineOf = new Map<string, number>();
  let checkRow: ((fields: readonly string[]) => RowOutcome) | null = null;
  let columns = 0;
  let line = 0;
  let sinceProgress = 0;

  const result = (): ContactsImportResult => ({ created, updated, rejected });
  const progress = () => onProgress?.({ line, imported: created + updated, rejected: rejected.length });
  // Why batches: one store transaction per batch keeps memory flat and lets the bots' own
  // writes interleave with a long import instead of waiting for all of it.
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const written = await store.contacts.importMany(orgId, rows, () => ids.newId(), clock.now());
    created += written.created;
    updated += written.updated;
  };

  // Why slices: checking rows and writing batches is synchronous work; a long file takes turns
  // with everything else in the process (other imports, health probes, webhooks).
  const slice = sliceTimer();
  try {
    for await (const { record, info } of stream.pipe(parser) as AsyncIterable<ParsedRecord>) {
      if (slice.due()) {
        await nextTurn();
        slice.restart();
      }
      if (parsing.broken && info.lines >= parsing.broken.line) break;
      line = info.lines - lineBreaksIn(record);
      if (!checkRow) {
        const header = mapHeader(record);
        if (!header.ok) throw new CsvImportError(line, header.reason, result());
        checkRow = contactRowChecker(header.index, options.defaultCountry);
        columns = record.length;
        continue;
      }
      if (isBlank(record)) continue;
      const outcome: RowOutcome =
        record.length === columns ? checkRow(record) : { ok: false, reason: `row: expected ${columns} fields, found ${record.length}` };
      if (!outcome.ok) {
        rejected.push({ line, reason: outcome.reason });
      } else {
        const first = firstLineOf.get(outcome.contact.phone);
        if (first !== undefined) {
          rejected.push({ line, reason: `phone: duplicate of line ${first}` });
        } else {
          firstLineOf.set(outcome.contact.phone, line);
          batch.push(outcome.contact);
          if (batch.length >= batchSize) await flush();
        }
      }
      if (++sinceProgress >= batchSize) {
        sinceProgress = 0;
        progress();
      }
    }
  } catch (error) {
    // Not expected with skip_records_with_error; reported the same way if csv-parse still fails.
    if (!(error instanceof CsvError)) throw error;
    parsing.broken ??= breakOf(error, lastRead);
  } finally {
    if (!source.destroyed) source.destroy();
  }
  await flush();
  if (parsing.broken) throw new CsvImportError(parsing.broken.line, parsing.broken.reason, result());
  if (!checkRow) throw new CsvImportError(1, 'empty file', result());
  progress();
  return result();
}
