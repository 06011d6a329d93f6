import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

async function org() {
  app = await testApp();
  const a = await createOrg(app.store, { code: 'alpha' });
  return { http: app.http, auth: { authorization: `Bearer ${a.apiKey}` }, a };
}

describe('admin API input', () => {
  it("takes the README's glossary example: a glossary names only the languages it has", async () => {
    const { http, auth, a } = await org();
    const res = await request(http).put('/api/organisation/glossary').set(auth).send({ glossary: { ar: { asylum: 'اللجوء' } } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ glossary: { ar: { asylum: 'اللجوء' } } });
    expect((await app!.store.organisations.get(a.id))?.glossary).toEqual({ ar: { asylum: 'اللجوء' } });
    const unknown = await request(http).put('/api/organisation/glossary').set(auth).send({ glossary: { xx: { a: 'b' } } });
    expect(unknown.status).toBe(400);
  });

  it('answers a JSON null body with the field the schema wants, not "malformed JSON"', async () => {
    const { http, auth } = await org();
    const res = await request(http).post('/api/broadcasts').set(auth).set('content-type', 'application/json').send('null');
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ field: 'body', message: expect.stringContaining('expected object') }]);
    const chat = await request(http).post('/api/webchat/messages').set('content-type', 'application/json').send('null');
    expect(chat.status).toBe(400);
    expect(chat.body.issues[0].message).not.toBe('malformed JSON');
  });

  it('answers 415 to a JSON route sent without Content-Type: application/json', async () => {
    const { http, auth } = await org();
    const body = JSON.stringify({ text: 'Hello' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await request(http).post('/api/broadcasts').set(auth).set('content-type', type).send(body);
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ error: 'unsupported media type', issues: [{ field: 'content-type', message: 'must be application/json' }] });
    }
    const chat = await request(http).post('/api/webchat/messages').set('content-type', 'text/plain').send('{"userId":"abcdefgh","start":true}');
    expect(chat.status).toBe(415);
    // A route without a body still needs no content type.
    expect((await request(http).post('/api/organisation/telegram/link-code').set(auth)).status).toBe(201);
  });

  it("checks the inbox query and answers 404 for another organisation's contact", async () => {
    const { http, auth } = await org();
    const b = await createOrg(app!.store, { code: 'beta' });
    await app!.store.contacts.importMany(b.id, [{ firstName: 'Bilal', phone: '+33633333333', lang: 'en', channel: 'telegram', address: null, tags: [] }], () => 'c-bilal', new Date());
    const bad = await request(http).get('/api/inbox?limit=abc&foo=1').set(auth);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['foo', 'limit']);
    expect((await request(http).get('/api/inbox?contactId=c-bilal').set(auth)).status).toBe(404);
    const ok = await request(http).get('/api/inbox?limit=5').set(auth);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ entries: [] });
  });

  it('refuses a broadcast or an answer whose text is only control characters', async () => {
    const { http, auth, a } = await org();
    const res = await request(http).post('/api/broadcasts').set(auth).send({ text: '\u0000\u0000\u0000' });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ field: 'text', message: 'must not be empty' }]);
    const answer = await request(http).post('/api/contacts/nobody/messages').set(auth).send({ text: '\u202e\u0007' });
    expect(answer.status).toBe(400);
    const kept = await request(http).post('/api/broadcasts').set(auth).send({ text: 'Hello\u0000 {{firstName}}\u202e' });
    expect(kept.status).toBe(201);
    expect((await app!.store.broadcasts.get(a.id, kept.body.id))?.text).toBe('Hello {{firstName}}');
  });
});
