import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importContactsCsv, type ImportContactsOptions, type ImportProgress } from '../../../adapters/csv/contacts-csv.ts';
import { CsvImportError } from '../../../adapters/csv/csv-import.error.ts';
import type { Contact } from '../../../core/ports/contacts.port.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { secoursSolidaire } from './csv.fixtures.ts';

type TestApp = Awaited<ReturnType<typeof testApp>>;
let app: TestApp;
let options: ImportContactsOptions;
const clock = manualClock(new Date('2026-11-28T10:00:00Z'));
const ORG = 'org-1';

beforeEach(async () => {
  app = await testApp({}, { clock });
  await app.store.organisations.create(secoursSolidaire(clock.now().toISOString()));
  let n = 0;
  options = { orgId: ORG, store: app.store, ids: { newId: () => `contact-${String(++n).padStart(6, '0')}` }, clock };
});
afterEach(async () => {
  await app.dispose();
});

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const HEADER = 'first_name,phone,language,channel,tags';

async function contacts(): Promise<Contact[]> {
  return app.store.contacts.list(ORG, { limit: 100_000 });
}

/** Awaits an import that must stop on a structural error, and returns the error. */
async function stopped(promise: Promise<unknown>): Promise<CsvImportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CsvImportError);
  return error as CsvImportError;
}

describe('importContactsCsv', () => {
  it('imports good rows, updates a phone the organisation knows, and reports the others by line and column', async () => {
    await app.store.contacts.importMany(
      ORG,
      [{ firstName: 'Old', phone: '+33612345678', lang: 'fr', channel: 'whatsapp-cloud', address: { channel: 'whatsapp-cloud', id: '33612345678' }, tags: ['old'] }],
      () => 'contact-known',
      clock.now(),
    );
    const file = csv(
      HEADER,
      'Amina,+33 6 12 34 56 78,ar,whatsapp-cloud,paris;food', // 2: known phone, updated
      'Yusuf,+44 7911 123456,Persian,whatsapp-web,london|legal', // 3
      'Olena,+380 67 123 4567,Українська,telegram,', // 4
      'Bad Phone,+33 1 23,fr,telegram,', // 5
      'Noor,+33 6 98 76 54 32,klingon,telegram,', // 6
      ',+33 6 11 22 33 44,fr,messenger,', // 7
      'Ahmad,+33 6 55 44 33 22,fr,fax,', // 8
      'Yusuf Again,0044 7911 123456,en,messenger,', // 9: same phone as line 3
      'Mariam,+33 7 81 23 45 67,French,messenger,"family, housing"', // 10
    );

    const result = await importContactsCsv(file, options);

    expect(result).toEqual({
      created: 3,
      updated: 1,
      rejected: [
        { line: 5, reason: 'phone: not a valid phone number' },
        { line: 6, reason: 'language: not supported (use one of ar, fa, ps, uk, ti, so, tr, fr, es, en)' },
        { line: 7, reason: 'first_name: missing' },
        { line: 8, reason: 'channel: must be one of whatsapp-cloud, whatsapp-web, telegram, messenger, sms' },
        { line: 9, reason: 'phone: duplicate of line 3' },
      ],
    });
    const stored = await contacts();
    expect(stored).toHaveLength(4);
    const byPhone = new Map(stored.map((c) => [c.phone, c]));
    expect(byPhone.get('+33612345678')).toMatchObject({
      id: 'contact-known',
      firstName: 'Amina',
      lang: 'ar',
      channel: 'whatsapp-cloud',
      address: { channel: 'whatsapp-cloud', id: '33612345678' },
      tags: ['paris', 'food'],
      source: 'imported',
    });
    expect(byPhone.get('+447911123456')).toMatchObject({
      firstName: 'Yusuf',
      lang: 'fa',
      channel: 'whatsapp-web',
      address: { channel: 'whatsapp-web', id: '447911123456@c.us' },
      tags: ['london', 'legal'],
    });
    expect(byPhone.get('+380671234567')).toMatchObject({ firstName: 'Olena', lang: 'uk', channel: 'telegram', address: null, tags: [] });
    expect(byPhone.get('+33781234567')).toMatchObject({ firstName: 'Mariam', lang: 'fr', channel: 'messenger', address: null, tags: ['family', 'housing'] });
  });

  it('never quotes a row’s values in its reasons', async () => {
    const values = ['Bad Phone', '+33 1 23', 'klingon', 'Secret Name', '0612', 'faxmachine', 'Wrong Count', 'Dupe Person', '+33 6 44 55 66 77', '644556677'];
    const file = csv(
      HEADER,
      'Valid Person,+33 6 44 55 66 77,fr,telegram,',
      'Bad Phone,+33 1 23,fr,telegram,',
      'Noor,+33 6 98 76 54 32,klingon,telegram,',
      'Secret Name,0612,fr,faxmachine,',
      'Wrong Count,+33 6 98 76 54 32,fr,telegram,a,b',
      'Dupe Person,0033644556677,fr,telegram,',
      `${'L'.repeat(41)},+33 6 11 22 33 44,fr,telegram,`,
    );
    const { created, rejected } = await importContactsCsv(file, options);
    expect(created).toBe(1);
    expect(rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(rejected.slice(2)).toEqual([
      { line: 5, reason: 'phone: missing country code (start with +); channel: must be one of whatsapp-cloud, whatsapp-web, telegram, messenger, sms' },
      { line: 6, reason: 'row: expected 5 fields, found 6' },
      { line: 7, reason: 'phone: duplicate of line 2' },
      { line: 8, reason: 'first_name: longer than 40 characters' },
    ]);
    const text = JSON.stringify(rejected);
    for (const value of [...values, 'L'.repeat(41)]) expect(text).not.toContain(value);
  });

  it('reads a French spreadsheet export: ";" separators, BOM, CRLF, accented headers, names of languages and channels', async () => {
    const file = [
      '\uFEFFPrénom;Téléphone;Langue;Canal;Étiquettes',
      'Hélène;06 12 34 56 78;Français;WhatsApp;"paris;urgent"',
      'Ali;+93 70 123 4567;Dari;WhatsApp Web;kabul|family',
      'Sara;07 81 23 45 67;es-ES;TELEGRAM;',
      '"Abdi ""Abu"" Hassan";0033 6 98 76 54 32;Af-Soomaali;messenger;',
      '',
      ';;;;',
    ].join('\r\n');
    const result = await importContactsCsv(file, { ...options, defaultCountry: 'FR' });
    expect(result).toEqual({ created: 4, updated: 0, rejected: [] });
    const stored = await contacts();
    expect(stored.map(({ firstName, phone, lang, channel, address, tags }) => ({ firstName, phone, lang, channel, address, tags }))).toEqual([
      { firstName: 'Hélène', phone: '+33612345678', lang: 'fr', channel: 'whatsapp-cloud', address: { channel: 'whatsapp-cloud', id: '33612345678' }, tags: ['paris', 'urgent'] },
      { firstName: 'Ali', phone: '+93701234567', lang: 'fa', channel: 'whatsapp-web', address: { channel: 'whatsapp-web', id: '93701234567@c.us' }, tags: ['kabul', 'family'] },
      { firstName: 'Sara', phone: '+33781234567', lang: 'es', channel: 'telegram', address: null, tags: [] },
      { firstName: 'Abdi "Abu" Hassan', phone: '+33698765432', lang: 'so', channel: 'messenger', address: null, tags: [] },
    ]);
  });

  it('counts lines as in the file: blank lines and line breaks inside quotes', async () => {
    const file = csv(
      HEADER,
      '', // 2
      'Amina,+33 6 12 34 56 78,ar,telegram,"a', // 3
      'b"', // 4
      '', // 5
      'Noor,+33 6 98 76 54 32,xx,telegram,', // 6
      '"Two', // 7
      'Lines",+33 6 11 22 33 44,fr,telegram,', // 8
    );
    const { rejected } = await importContactsCsv(file, options);
    expect(rejected).toEqual([
      { line: 6, reason: 'language: not supported (use one of ar, fa, ps, uk, ti, so, tr, fr, es, en)' },
      { line: 7, reason: 'first_name: contains a line break or control character' },
    ]);
    expect((await contacts())[0]?.tags).toEqual(['a', 'b']);
  });

  it('stops at an unclosed quote, naming the line where it opened, keeping the rows before it', async () => {
    const file = csv(
      HEADER,
      'Amina,+33 6 12 34 56 78,ar,telegram,',
      'Noor,+33 6 98 76 54 32,xx,telegram,',
      'Yusuf,+44 7911 123456,fa,telegram,',
      '"Olena,+380 67 123 4567,uk,telegram,',
      'Mariam,+33 7 81 23 45 67,fr,messenger,',
    );
    const error = await stopped(importContactsCsv(file, { ...options, batchSize: 1 }));
    expect(error.message).toBe('line 5: unclosed quote');
    expect({ line: error.line, reason: error.reason }).toEqual({ line: 5, reason: 'unclosed quote' });
    expect(error.imported).toEqual({ created: 2, updated: 0, rejected: [{ line: 3, reason: 'language: not supported (use one of ar, fa, ps, uk, ti, so, tr, fr, es, en)' }] });
    expect((await contacts()).map((c) => c.firstName).sort()).toEqual(['Amina', 'Yusuf']);
  });

  it('stops at an unclosed quote that swallows the rest of a large file, at the line where it opened', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `Person ${i},+336${10_000_000 + i},fr,telegram,`);
    const file = csv(HEADER, 'Amina,+33 6 12 34 56 78,ar,telegram,', 'Yusuf,+44 7911 123456,fa,telegram,', '"Olena,+380 67 123 4567,uk,telegram,', ...rows);
    const error = await stopped(importContactsCsv(file, options));
    expect(error.message).toBe('line 4: record too long (unclosed quote?)');
    expect(error.imported).toEqual({ created: 2, updated: 0, rejected: [] });
    expect(await contacts()).toHaveLength(2);
  });

  it('reads a stream cut anywhere, even inside the header and inside a character', async () => {
    const bytes = Buffer.from(csv('Prénom;Téléphone;Langue;Canal', 'Hélène;+33 6 12 34 56 78;fr;telegram', 'Yusuf;+44 7911 123456;fa;whatsapp'));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 5) }, (_, i) => bytes.subarray(i * 5, i * 5 + 5));
    expect(await importContactsCsv(Readable.from(chunks), options)).toEqual({ created: 2, updated: 0, rejected: [] });
    expect((await contacts()).map((c) => [c.firstName, c.address])).toEqual([
      ['Hélène', null],
      ['Yusuf', { channel: 'whatsapp-cloud', id: '447911123456' }],
    ]);
  });

  it('stops at text after a closing quote, keeping the valid rows before it whatever the batch size', async () => {
    const file = csv(HEADER, 'Amina,+33 6 12 34 56 78,ar,telegram,', '"Noor" x,+33 6 98 76 54 32,fr,telegram,', 'Yusuf,+44 7911 123456,fa,telegram,');
    const error = await stopped(importContactsCsv(file, options));
    expect(error.message).toBe('line 3: text after a closing quote');
    expect(error.message).not.toContain('Noor');
    expect(error.imported).toEqual({ created: 1, updated: 0, rejected: [] });
    expect((await contacts()).map((c) => c.firstName)).toEqual(['Amina']);
  });

  it('refuses a file without the required columns, or empty, before importing anything', async () => {
    const missing = await stopped(importContactsCsv(csv('name,phone,lang', 'Amina,+33 6 12 34 56 78,ar'), options));
    expect(missing.message).toBe('line 1: missing columns first_name, channel');
    const twice = await stopped(importContactsCsv(csv('first_name,phone,telephone,language,channel', 'A,+33612345678,+33612345678,fr,telegram'), options));
    expect(twice.message).toBe('line 1: column phone appears twice');
    expect((await stopped(importContactsCsv('', options))).message).toBe('line 1: empty file');
    expect(await contacts()).toEqual([]);
  });

  it('imports a 20,000-row stream in batches, reading it only as fast as it writes', async () => {
    const ROWS = 20_000;
    let generated = 0;
    function* lines(): Generator<string> {
      yield `${HEADER}\n`;
      for (let i = 0; i < ROWS; i++) {
        generated++;
        yield `Person,+336${10_000_000 + i},${i % 2 ? 'ar' : 'fr'},${i % 3 ? 'whatsapp-cloud' : 'telegram'},group-${i % 7}\n`;
      }
    }
    const batches: number[] = [];
    const generatedAtWrite: number[] = [];
    const importMany = app.store.contacts.importMany.bind(app.store.contacts);
    const spy = vi.spyOn(app.store.contacts, 'importMany').mockImplementation(async (...args) => {
      batches.push(args[1].length);
      generatedAtWrite.push(generated);
      return importMany(...args);
    });
    const progress: ImportProgress[] = [];

    const result = await importContactsCsv(Readable.from(lines()), { ...options, onProgress: (p) => progress.push(p) });

    spy.mockRestore();
    expect(result).toEqual({ created: ROWS, updated: 0, rejected: [] });
    expect(batches).toEqual(Array<number>(ROWS / 500).fill(500));
    // Backpressure: when the first batch was written, most of the file had not been produced yet.
    expect(generatedAtWrite[0]).toBeLessThan(2_000);
    expect(progress.at(-1)).toEqual({ line: ROWS + 1, imported: ROWS, rejected: 0 });
    expect(progress.length).toBeGreaterThanOrEqual(ROWS / 500);
    expect(progress.map((p) => p.line)).toEqual([...progress.map((p) => p.line)].sort((a, b) => a - b));
    const stored = await contacts();
    expect(stored).toHaveLength(ROWS);
    expect(stored.find((c) => c.phone === '+33610019999')).toMatchObject({ firstName: 'Person', lang: 'ar', channel: 'whatsapp-cloud', tags: ['group-0'] });
  });
});
