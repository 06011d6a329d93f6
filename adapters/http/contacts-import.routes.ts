import express, { Router, type Response } from 'express';
import { toCountryCode } from '../csv/contact-row.ts';
import { importContactsCsv } from '../csv/contacts-csv.ts';
import { CsvImportError } from '../csv/csv-import.error.ts';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { Organisation } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';

const CSV_TYPES = ['text/csv', 'text/plain'];

/** What the contacts import route needs; `orgOf` reads the organisation the API-key check resolved. */
export interface ContactsImportDeps {
  readonly store: Pick<Store, 'contacts'>;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly orgOf: (res: Response) => Organisation | null;
}

/**
 * `POST /api/contacts/import`: an organisation uploads its contacts as CSV (`text/csv`, up to
 * 20 MB); `?country=FR` reads numbers written without a country code. Answers 200 `{created, updated, rejected: [{line, reason}]}`; 400 with the same
 * counts and the line when the file stops being readable CSV (rows before it are imported).
 */
export function contactsImportRouter(deps: ContactsImportDeps): Router {
  const router = Router();
  router.post(
    '/api/contacts/import',
    (req, res, next) => {
      if (!deps.orgOf(res)) return void res.status(401).json({ error: 'missing or invalid API key' });
      const length = req.get('content-length');
      const chunked = req.get('transfer-encoding') !== undefined;
      if (!chunked && (length === undefined || Number(length) === 0)) return void res.status(400).json({ error: 'empty body: send the CSV file' });
      if (!req.is(CSV_TYPES)) return void res.status(415).json({ error: 'send the file as text/csv' });
      next();
    },
    express.text({ type: CSV_TYPES, limit: '20mb' }),
    async (req, res) => {
      const org = deps.orgOf(res)!;
      const body: unknown = req.body;
      if (typeof body !== 'string' || body.trim() === '') return void res.status(400).json({ error: 'empty body: send the CSV file' });
      const country = req.query['country'];
      const defaultCountry = typeof country === 'string' ? toCountryCode(country) : undefined;
      if (country !== undefined && !defaultCountry) return void res.status(400).json({ error: 'country: must be a two-letter country code such as FR' });
      try {
        const result = await importContactsCsv(body, {
          orgId: org.id,
          store: deps.store,
          ids: deps.ids,
          clock: deps.clock,
          ...(defaultCountry ? { defaultCountry } : {}),
        });
        deps.logger.info({ orgId: org.id, created: result.created, updated: result.updated, rejected: result.rejected.length }, 'contacts imported');
        res.json(result);
      } catch (error) {
        if (!(error instanceof CsvImportError)) throw error;
        const { created, updated, rejected } = error.imported;
        deps.logger.info({ orgId: org.id, line: error.line, reason: error.reason, created, updated }, 'contacts import stopped');
        res.status(400).json({ error: error.message, line: error.line, reason: error.reason, created, updated, rejected });
      }
    },
  );
  return router;
}
