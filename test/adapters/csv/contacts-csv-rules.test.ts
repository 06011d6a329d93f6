import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTable } from '../../../adapters/cli/commands/table.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

async function upload(body: Buffer | string) {
  app = await testApp();
  const org = await createOrg(app.store, { code: 'alpha' });
  const res = await request(app.http).post('/api/contacts/import').set('authorization', `Bearer ${org.apiKey}`).set('content-type', 'text/csv').send(body);
  return { res, contacts: await app.store.contacts.list(org.id, { limit: 100 }) };
}

describe('contacts import: the same rules as sign-up', () => {
  it('refuses names that are formulas, or hold bidi overrides or zero-width characters, and tags that are formulas', async () => {
    const file = [
      'first_name,phone,language,channel,tags',
      '"=HYPERLINK(""http://evil.example"",""x"")",+33 6 11 11 11 11,fr,whatsapp,',
      'Amina,+33 6 22 22 22 22,ar,whatsapp,=1+1',
      '\u202eanimA,+33 6 33 33 33 33,ar,whatsapp,',
      'Ami\u200bna,+33 6 44 44 44 44,ar,whatsapp,',
      '@SUM(A1),+33 6 55 55 55 55,ar,whatsapp,',
      'علی\u200cرضا,+33 6 66 66 66 66,fa,whatsapp,paris;food',
    ].join('\n');
    const { res, contacts } = await upload(file);
    expect(res.status).toBe(200);
    const name = 'first_name: must be letters (no digits, symbols or formatting characters)';
    expect(res.body).toEqual({
      created: 1,
      updated: 0,
      rejected: [
        { line: 2, reason: name },
        { line: 3, reason: 'tags: a tag must start with a letter or digit and hold no formatting characters' },
        { line: 4, reason: name },
        { line: 5, reason: name },
        { line: 6, reason: name },
      ],
    });
    // A Persian name keeps its ZWNJ.
    expect(contacts.map((c) => [c.firstName, c.tags])).toEqual([['علی\u200cرضا', ['paris', 'food']]]);
  });

  it('answers a UTF-16 file with one encoding error, not one per row', async () => {
    const text = 'first_name,phone,language,channel\nAmina,+33 6 12 34 56 78,ar,whatsapp\nYusuf,+44 7911 123456,fa,whatsapp\n';
    for (const body of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), Buffer.from(text, 'utf16le')]) {
      const { res, contacts } = await upload(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'line 1: file: not UTF-8 text (it looks like UTF-16); save it as "CSV UTF-8"',
        line: 1,
        reason: 'file: not UTF-8 text (it looks like UTF-16); save it as "CSV UTF-8"',
        created: 0,
        updated: 0,
        rejected: [],
      });
      expect(contacts).toEqual([]);
      await app!.dispose();
      app = undefined;
    }
  });

  it('neutralises formula prefixes in what the CLI lists', () => {
    expect(formatTable(['NAME', 'TAG'], [['=HYPERLINK("x")', '+1'], ['Amina', 'paris']])).toEqual(["NAME              TAG", `'=HYPERLINK("x")  '+1`, 'Amina             paris']);
  });
});
