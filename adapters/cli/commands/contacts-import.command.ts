import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { toCountryCode } from '../../csv/contact-row.ts';
import { importContactsCsv } from '../../csv/contacts-csv.ts';
import { CsvImportError, type ContactsImportResult } from '../../csv/csv-import.error.ts';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { orgCodeSchema, requiredText } from './fields.ts';

const argsSchema = z.object({
  org: orgCodeSchema,
  file: requiredText().min(1, 'is required'),
  country: z
    .string()
    .transform((value, ctx) => {
      const code = toCountryCode(value);
      if (code) return code;
      ctx.issues.push({ code: 'custom', message: 'must be a two-letter country code such as FR', input: value });
      return z.NEVER;
    })
    .optional(),
});

/** Where the progress bar is drawn: a terminal only; piped output gets the summary alone. */
export interface ProgressStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
}

function report(result: ContactsImportResult): string[] {
  return [
    `${result.created} created, ${result.updated} updated, ${result.rejected.length} rejected.`,
    ...result.rejected.map((r) => `line ${r.line}: ${r.reason}`),
  ];
}

/**
 * `contacts:import`: imports an organisation's contacts from a CSV file, streaming it with a
 * progress bar on a terminal, then prints the counts and each refused line (by number and
 * reason: the file's values are personal data and never printed).
 */
export function createContactsImportCommand(progressStream: ProgressStream = process.stderr): CliCommand {
  return {
    summary: "Import an organisation's contacts from a CSV file",
    usage: '--org <code> <file.csv> [--country <FR>]',
    async run(ctx) {
      const args = parseCommandArgs(ctx.args, { options: { org: { type: 'string' }, country: { type: 'string' } }, positionals: ['file'] }, argsSchema);
      if (!args.ok) return fail(args.error);
      const { org: code, file, country } = args.value;
      const size = await stat(file).then(
        (s) => (s.isFile() ? s.size : null),
        () => null,
      );
      if (size === null) return fail(`cannot read file "${file}"`);
      const store = await ctx.store();
      const org = await store.organisations.findByCode(code);
      if (!org) return fail(`no organisation with code "${code}"`);

      const input = createReadStream(file);
      const bar = progressStream.isTTY
        ? new SingleBar({ stream: progressStream, format: 'Importing [{bar}] {percentage}% | {imported} imported, {rejected} rejected', hideCursor: true })
        : null;
      bar?.start(size, 0, { imported: 0, rejected: 0 });
      try {
        const result = await importContactsCsv(input, {
          orgId: org.id,
          store,
          ids: ctx.ids,
          clock: ctx.clock,
          ...(country ? { defaultCountry: country } : {}),
          onProgress: (p) => bar?.update(input.bytesRead, { imported: p.imported, rejected: p.rejected }),
        });
        bar?.update(size);
        bar?.stop();
        ctx.print(...report(result));
        return ok;
      } catch (error) {
        bar?.stop();
        if (!(error instanceof CsvImportError)) throw error;
        ctx.print(...report(error.imported));
        return fail(`${error.message} (the rows before it were imported)`);
      }
    },
  };
}

/** `contacts:import`, drawing its progress bar on standard error. */
export const contactsImportCommand: CliCommand = createContactsImportCommand();
