import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactsImportRouter } from '../../../adapters/http/contacts-import.routes.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import type { Organisation } from '../../../core/ports/people.port.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { secoursSolidaire } from './csv.fixtures.ts';

type TestApp = Awaited<ReturnType<typeof testApp>>;
let app: TestApp;
let http: express.Express;
const clock = manualClock(new Date('2026-11-28T10:00:00Z'));

const org = secoursSolidaire('2026-11-01T00:00:00.000Z');

beforeEach(async () => {
  app = await testApp({}, { clock });
  await app.store.organisations.create(org);
  let n = 0;
  http = express();
  // Stands in for the API-key middleware: a request saying "x-org: secours" is authenticated.
  http.use((req, res, next) => {
    if (req.get('x-org') === org.code) res.locals['org'] = org;
    next();
  });
  http.use(
    contactsImportRouter({
      store: app.store,
      ids: { newId: () => `contact-${++n}` },
      clock,
      logger: silentLogger,
      orgOf: (res) => (res.locals['org'] as Organisation | undefined) ?? null,
    }),
  );
});
afterEach(async () => {
  await app.dispose();
});

const FILE = [
  'first_name,phone,language,channel,tags',
  'Amina,+33 6 12 34 56 78,ar,whatsapp-cloud,paris;food',
  'Noor,+33 1 23,fr,telegram,',
  'Yusuf,06 98 76 54 32,fa,whatsapp-web,',
  'Amina Again,+33612345678,ar,telegram,',
  '',
].join('\n');

const upload = (body: string, type = 'text/csv', path = '/api/contacts/import') =>
  request(http).post(path).set('x-org', 'secours').set('content-type', type).send(body);

describe('POST /api/contacts/import', () => {
  it('imports a CSV body and answers the counts and the rejected lines', async () => {
    const res = await upload(FILE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      created: 1,
      updated: 0,
      rejected: [
        { line: 3, reason: 'phone: not a valid phone number' },
        { line: 4, reason: 'phone: missing country code (start with +)' },
        { line: 5, reason: 'phone: duplicate of line 2' },
      ],
    });
    expect(await app.store.contacts.list(org.id, { limit: 10 })).toMatchObject([
      { id: 'contact-1', firstName: 'Amina', phone: '+33612345678', lang: 'ar', address: { channel: 'whatsapp-cloud', id: '33612345678' }, tags: ['paris', 'food'] },
    ]);

    const again = await upload(FILE, 'text/plain; charset=utf-8', '/api/contacts/import?country=FR');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      created: 1,
      updated: 1,
      rejected: [
        { line: 3, reason: 'phone: not a valid phone number' },
        { line: 5, reason: 'phone: duplicate of line 2' },
      ],
    });
    expect(await app.store.contacts.list(org.id, { limit: 10 })).toHaveLength(2);
  });

  it('answers 401 without an organisation, before reading the body', async () => {
    const res = await request(http).post('/api/contacts/import').set('content-type', 'text/csv').send(FILE);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'missing or invalid API key' });
    expect(await app.store.contacts.list(org.id, { limit: 10 })).toEqual([]);
  });

  it('answers 415 for another content type', async () => {
    const res = await upload(JSON.stringify({ contacts: [] }), 'application/json');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'send the file as text/csv' });
  });

  it('answers 400 for an empty body, a blank one, or a bad country', async () => {
    const none = await request(http).post('/api/contacts/import').set('x-org', 'secours');
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ error: 'empty body: send the CSV file' });
    const blank = await upload(' \n\n');
    expect(blank.status).toBe(400);
    expect(blank.body).toEqual({ error: 'empty body: send the CSV file' });
    const country = await upload(FILE, 'text/csv', '/api/contacts/import?country=XX');
    expect(country.status).toBe(400);
    expect(country.body).toEqual({ error: 'country: must be a two-letter country code such as FR' });
  });

  it('answers 400 with the line of broken CSV and what was imported before it', async () => {
    const res = await upload(['first_name,phone,language,channel', 'Amina,+33612345678,ar,telegram', '"Noor,+33698765432,fr,telegram', ''].join('\n'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'line 3: unclosed quote', line: 3, reason: 'unclosed quote', created: 1, updated: 0, rejected: [] });
    const missing = await upload('name,phone\nAmina,+33612345678\n');
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'line 1: missing columns first_name, language, channel', created: 0 });
  });
});
