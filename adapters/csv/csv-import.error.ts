/** A refused row of an import: its line in the file (header = 1) and why, never its values. */
export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
}

/** What an import did: contacts created, contacts updated (phone already known), rows refused. */
export interface ContactsImportResult {
  readonly created: number;
  readonly updated: number;
  readonly rejected: readonly RejectedRow[];
}

/**
 * The file cannot be read as CSV from `line` on (an unclosed quote, a missing column). Every
 * valid row before that line was imported; `imported` says what was done.
 * Why no `cause`: csv-parse's messages quote the offending field, which is personal data.
 */
export class CsvImportError extends Error {
  override readonly name = 'CsvImportError';
  constructor(
    readonly line: number,
    readonly reason: string,
    readonly imported: ContactsImportResult,
  ) {
    super(`line ${line}: ${reason}`);
  }
}
