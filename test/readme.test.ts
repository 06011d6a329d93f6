import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../adapters/cli/cli.ts';
import { importContactsCsv } from '../adapters/csv/contacts-csv.ts';
import { createOrg } from './support/organisations.ts';
import { testApp } from './support/test-app.ts';

// What the README promises a new user, tried as they would.

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

describe('the README', () => {
  it('has a CSV example that imports every row, also saved with ";" as a French spreadsheet does', async () => {
    const example = /```csv\n([\s\S]*?)```/.exec(README)?.[1];
    expect(example).toBeDefined();
    app = await testApp();
    const org = await createOrg(app.store, { code: 'secours' });
    let n = 0;
    const options = { orgId: org.id, store: app.store, ids: { newId: () => `c-${++n}` }, clock: app.clock, defaultCountry: 'FR' as const };
    expect(await importContactsCsv(example!, options)).toMatchObject({ created: 3, updated: 0, rejected: [] });
    const semicolons = example!.replaceAll(',', ';');
    expect(await importContactsCsv(semicolons, options)).toMatchObject({ created: 0, updated: 3, rejected: [] });
    const tags = (await app.store.contacts.list(org.id, { limit: 10 })).map((c) => [c.firstName, c.tags]);
    expect(tags).toEqual(expect.arrayContaining([['Amina', ['paris', 'food']], ['Yusuf', ['london', 'legal']], ['Olena', []]]));
  });

  it('is right that a second org:key revokes the first', async () => {
    app = await testApp();
    await createOrg(app.store, { code: 'alpha' });
    const keys: string[] = [];
    for (let i = 0; i < 2; i++) {
      let out = '';
      expect(await runCli(['org:key', 'alpha'], { out: { write: (s: string) => (out += s) }, err: { write: () => 0 } }, { store: app.store, env: { DATA_DIR: app.dataDir } })).toBe(0);
      keys.push(out.split('\n')[1]!.trim());
    }
    expect((await request(app.http).get('/api/contacts').set('authorization', `Bearer ${keys[0]}`)).status).toBe(401);
    expect((await request(app.http).get('/api/contacts').set('authorization', `Bearer ${keys[1]}`)).status).toBe(200);
  });
});
