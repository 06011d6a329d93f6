import { Transform, type TransformCallback } from 'node:stream';
import { Router, type Response } from 'express';
import { toCountryCode } from '../csv/contact-row.ts';
import { importContactsCsv } from '../csv/contacts-csv.ts';
import { CsvImportError } from '../csv/csv-import.error.ts';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { Organisation } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';

const CSV_TYPES = ['text/csv', 'text/plain'];
/** The largest upload read; a bigger file is split or imported with the CLI. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** What the contacts import route needs; `orgOf` reads the organisation the API-key check resolved. */
export interface ContactsImportDeps {
  readonly store: Pick<Store, 'contacts'>;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgOf: (res: Response) => Organisation | null;
}

/** The body went past {@link MAX_IMPORT_BYTES} while it was being read. */
class TooLarge extends Error {
  override readonly name = 'TooLarge';
}

/** Passes bytes through, failing once more than `max` went by (a chunked body has no length). */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      seen += chunk.length;
      done(seen > max ? new TooLarge(`more than ${max} bytes`) : null, chunk);
    },
  });
}

/**
 * `POST /api/contacts/import`: an organisation uploads its contacts as CSV (`text/csv`, up to
 * 20 MB); `?country=FR` reads numbers written without a country code. Answers 200 `{created, updated, rejected: [{line, reason}]}`; 400 with the same
 * counts and the line when the file stops being readable CSV (rows before it are imported).
 * The body is streamed through the same import as the CLI's, written in batches that yield
 * to other requests, so a large file neither fills the memory nor stalls the server; one
 * import per organisation runs at a time (409 for another meanwhile).
 */
export function contactsImportRouter(deps: ContactsImportDeps): Router {
  const router = Router();
  // Why in memory: this guards this process's event loop and memory; a second process runs
  // its own imports, and rows are idempotent per phone, so nothing is lost or doubled.
  const running = new Set<string>();
  router.post('/api/contacts/import', async (req, res) => {
    const org = deps.orgOf(res);
    if (!org) return void res.status(401).json({ error: 'missing or invalid API key' });
    const length = req.get('content-length');
    const chunked = req.get('transfer-encoding') !== undefined;
    if (!chunked && (length === undefined || Number(length) === 0)) return void res.status(400).json({ error: 'empty body: send the CSV file' });
    if (!req.is(CSV_TYPES)) return void res.status(415).json({ error: 'send the file as text/csv' });
    if (Number(length) > MAX_IMPORT_BYTES) return void res.status(413).json({ error: 'request too large', issues: [{ field: 'body', message: 'at most 20 MB' }] });
    const country = req.query['country'];
    const defaultCountry = typeof country === 'string' ? toCountryCode(country) : undefined;
    if (country !== undefined && !defaultCountry) return void res.status(400).json({ error: 'country: must be a two-letter country code such as FR' });
    if (running.has(org.id)) {
      return void res.status(409).set('retry-after', '10').json({ error: 'an import for this organisation is already running; try again when it has finished' });
    }
    running.add(org.id);
    const body = byteLimit(MAX_IMPORT_BYTES);
    // Not pipeline(): it would destroy the request (and the socket) when the import stops early.
    req.once('error', (error) => body.destroy(error));
    req.once('aborted', () => body.destroy(new Error('upload aborted')));
    req.pipe(body);
    // Stopped before the end of the file (a broken line, too large): the rest is not read, so
    // the connection closes after the answer instead of waiting for bytes nobody reads.
    const answer = (status: number, json: object): void => {
      if (!req.readableEnded) {
        req.unpipe(body);
        req.resume();
        res.set('connection', 'close');
      }
      res.status(status).json(json);
    };
    try {
      const result = await importContactsCsv(body, {
        orgId: org.id,
        store: deps.store,
        ids: deps.ids,
        clock: deps.clock,
        ...(defaultCountry ? { defaultCountry } : {}),
      });
      deps.logger.info({ orgId: org.id, created: result.created, updated: result.updated, rejected: result.rejected.length }, 'contacts imported');
      answer(200, result);
    } catch (error) {
      if (error instanceof TooLarge || (error instanceof Error && error.cause instanceof TooLarge)) {
        return answer(413, { error: 'request too large', issues: [{ field: 'body', message: 'at most 20 MB' }] });
      }
      if (!(error instanceof CsvImportError)) throw error;
      if (error.reason === 'empty file') return answer(400, { error: 'empty body: send the CSV file' });
      const { created, updated, rejected } = error.imported;
      deps.logger.info({ orgId: org.id, line: error.line, reason: error.reason, created, updated }, 'contacts import stopped');
      answer(400, { error: error.message, line: error.line, reason: error.reason, created, updated, rejected });
    } finally {
      running.delete(org.id);
    }
  });
  return router;
}
