import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/cli.ts';
import type { CliCommand } from '../../../adapters/cli/commands/command.ts';
import { COMMANDS } from '../../../adapters/cli/commands/commands.ts';
import { createContactsImportCommand } from '../../../adapters/cli/commands/contacts-import.command.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { secoursSolidaire } from '../csv/csv.fixtures.ts';

type TestApp = Awaited<ReturnType<typeof testApp>>;
let app: TestApp;
let dir: string;
const clock = manualClock(new Date('2026-11-28T10:00:00Z'));

beforeEach(async () => {
  app = await testApp({}, { clock });
  dir = mkdtempSync(join(tmpdir(), 'passerelle-csv-'));
  await app.store.organisations.create(secoursSolidaire(clock.now().toISOString()));
});
afterEach(async () => {
  await app.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A stream standing in for stderr: a terminal or not, keeping what was drawn. */
function progressStream(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: string } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number; text: string };
  return Object.assign(stream, { isTTY, columns: 120, text: '' });
}

function file(name: string, ...lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Runs the CLI in-process on the test app's store, with the import command drawing on `progress`. */
async function cli(argv: string[], progress = progressStream(false)): Promise<{ code: number; out: string; err: string }> {
  let n = 0;
  let out = '';
  let err = '';
  const commands = new Map<string, CliCommand>([...COMMANDS, ['contacts:import', createContactsImportCommand(progress)]]);
  const code = await runCli(
    argv,
    { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } },
    { env: { DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' }, store: app.store, clock, ids: { newId: () => `contact-${++n}` }, commands },
  );
  return { code, out, err };
}

const CONTACTS = [
  'first_name,phone,language,channel,tags',
  'Amina,06 12 34 56 78,ar,whatsapp,paris',
  'Noor,+33 1 23,fr,telegram,',
  'Yusuf,+44 7911 123456,fa,whatsapp-web,london',
  'Olena,0612345678,uk,telegram,',
];

describe('contacts:import', () => {
  it('is listed by help', async () => {
    expect((await cli(['help'])).out).toContain('  contacts:import --org <code> <file.csv> [--country <FR>]');
  });

  it('imports a file into an organisation, then prints the counts and each rejected line', async () => {
    const path = file('contacts.csv', ...CONTACTS);
    const progress = progressStream(false);
    expect(await cli(['contacts:import', '--org', 'secours', path, '--country', 'fr'], progress)).toEqual({
      code: 0,
      out: ['2 created, 0 updated, 2 rejected.', 'line 3: phone: not a valid phone number', 'line 5: phone: duplicate of line 2', ''].join('\n'),
      err: '',
    });
    // Not a terminal: no progress bar, only the summary on standard output.
    expect(progress.text).toBe('');
    const stored = await app.store.contacts.list('org-1', { limit: 10 });
    expect(stored.map((c) => [c.firstName, c.phone, c.address])).toEqual([
      ['Amina', '+33612345678', { channel: 'whatsapp-cloud', id: '33612345678' }],
      ['Yusuf', '+447911123456', { channel: 'whatsapp-web', id: '447911123456@c.us' }],
    ]);

    // The same file again: known phones are updated, not duplicated.
    expect((await cli(['contacts:import', path, '--org', 'secours', '--country', 'FR'])).out.split('\n')[0]).toBe('0 created, 2 updated, 2 rejected.');
    expect(await app.store.contacts.list('org-1', { limit: 10 })).toHaveLength(2);
  });

  it('draws a progress bar on a terminal', async () => {
    const path = file('contacts.csv', ...CONTACTS);
    const progress = progressStream(true);
    const result = await cli(['contacts:import', '--org', 'secours', '--country', 'FR', path], progress);
    expect(result.code).toBe(0);
    expect(progress.text).toContain('Importing [');
    expect(progress.text).toContain('100% | 2 imported, 2 rejected');
    expect(result.out.split('\n')[0]).toBe('2 created, 0 updated, 2 rejected.');
  });

  it('stops at broken CSV with the line, after printing what was imported before it', async () => {
    const path = file('broken.csv', 'first_name,phone,language,channel', 'Amina,+33612345678,ar,telegram', '"Noor,+33698765432,fr,telegram');
    expect(await cli(['contacts:import', '--org', 'secours', path])).toEqual({
      code: 1,
      out: '1 created, 0 updated, 0 rejected.\n',
      err: 'error: contacts:import: line 3: unclosed quote (the rows before it were imported)\n',
    });
  });

  it('refuses an unknown organisation, a missing file, a bad country and missing arguments with one line', async () => {
    const path = file('contacts.csv', ...CONTACTS);
    expect(await cli(['contacts:import', '--org', 'nope', path])).toEqual({ code: 1, out: '', err: 'error: contacts:import: no organisation with code "nope"\n' });
    const missing = join(dir, 'missing.csv');
    expect(await cli(['contacts:import', '--org', 'secours', missing])).toEqual({ code: 1, out: '', err: `error: contacts:import: cannot read file "${missing}"\n` });
    expect((await cli(['contacts:import', '--org', 'secours', path, '--country', 'France'])).err).toBe(
      'error: contacts:import: --country must be a two-letter country code such as FR\n',
    );
    expect((await cli(['contacts:import', path])).err).toBe('error: contacts:import: --org is required\n');
    expect((await cli(['contacts:import', '--org', 'secours'])).err).toBe('error: contacts:import: <file> is required\n');
    expect(await app.store.contacts.list('org-1', { limit: 10 })).toEqual([]);
  });
});
