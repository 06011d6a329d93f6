import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/cli.ts';
import { recordingSender } from '../../fakes/recording-sender.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

async function twoOrgs() {
  const sender = recordingSender('whatsapp-cloud');
  app = await testApp({ RATE_WHATSAPP_CLOUD: '10000' }, { senders: [sender] });
  const a = await createOrg(app.store, { code: 'alpha', name: 'Alpha Aid', lang: 'fr' });
  const b = await createOrg(app.store, { code: 'beta', name: 'Beta Help' });
  const row = (firstName: string, digits: string, tags: string[] = []) => ({
    firstName,
    phone: `+${digits}`,
    lang: 'en',
    channel: 'whatsapp-cloud' as const,
    address: { channel: 'whatsapp-cloud' as const, id: digits },
    tags,
  });
  await app.store.contacts.importMany(a.id, [row('Amir', '33611111111', ['lyon']), row('Hana', '33622222222')], () => crypto.randomUUID(), new Date());
  await app.store.contacts.importMany(b.id, [row('Bilal', '33633333333')], () => crypto.randomUUID(), new Date());
  return { a, b, sender, app };
}

describe('admin API', () => {
  it('refuses requests without a valid API key', async () => {
    await twoOrgs();
    expect((await request(app!.http).get('/api/broadcasts')).status).toBe(401);
    expect((await request(app!.http).get('/api/broadcasts').set('authorization', 'Bearer nope')).status).toBe(401);
  });

  it('creates a broadcast for an audience and reports its progress', async () => {
    const { a, sender } = await twoOrgs();
    const auth = { authorization: `Bearer ${a.apiKey}` };
    const bad = await request(app!.http).post('/api/broadcasts').set(auth).send({ text: '', audience: { tags: [] }, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['audience.tags', 'extra', 'text']);

    const created = await request(app!.http)
      .post('/api/broadcasts')
      .set(auth)
      .send({ text: 'Hello {{firstName}}', sourceLang: 'en', audience: { tags: ['lyon'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'scheduled', recipients: 1 });
    await app!.broadcasts.tick();
    await app!.outbox.drain('whatsapp-cloud');
    await app!.broadcasts.tick();
    expect(sender.sent.map((s) => [s.to.id, s.message.text.split('\n')[1]])).toEqual([['33611111111', 'Hello Amir']]);

    const status = await request(app!.http).get(`/api/broadcasts/${created.body.id}`).set(auth);
    expect(status.body).toMatchObject({
      status: 'done',
      stats: { total: 1, byStatus: { sent: 1 }, byLang: { en: { sent: 1 } }, byChannel: { 'whatsapp-cloud': { sent: 1 } } },
      translations: { en: { kind: 'source', reason: 'same-language' } },
    });
  });

  it("never lets one organisation read or write to another's contacts or broadcasts", async () => {
    const { a, b, sender } = await twoOrgs();
    const asA = { authorization: `Bearer ${a.apiKey}` };
    const asB = { authorization: `Bearer ${b.apiKey}` };
    const created = await request(app!.http).post('/api/broadcasts').set(asB).send({ text: 'Beta only' });
    expect((await request(app!.http).get(`/api/broadcasts/${created.body.id}`).set(asA)).status).toBe(404);
    // An id that cannot be one of ours is refused before any store sees it.
    const odd = await request(app!.http).get(`/api/broadcasts/${'x'.repeat(300)}`).set(asB);
    expect([odd.status, odd.body]).toEqual([404, { error: 'not found', field: 'id' }]);
    expect((await request(app!.http).get(`/api/broadcasts/${encodeURIComponent('a b;--')}`).set(asB)).status).toBe(404);

    const contactsOfA = (await request(app!.http).get('/api/contacts').set(asA)).body.contacts as { id: string; firstName: string }[];
    expect(contactsOfA.map((c) => c.firstName).sort()).toEqual(['Amir', 'Hana']);
    const bilal = (await request(app!.http).get('/api/contacts').set(asB)).body.contacts[0] as { id: string };
    const write = await request(app!.http).post(`/api/contacts/${bilal.id}/messages`).set(asA).send({ text: 'hello' });
    expect(write.status).toBe(404);
    expect(sender.sent).toEqual([]);
    // Another organisation's contact is unknown here, as for every other route (it was 200 []).
    expect((await request(app!.http).get(`/api/inbox?contactId=${bilal.id}`).set(asA)).status).toBe(404);
  });

  it('an API key made with the CLI works, and the previous one stops working', async () => {
    const { a } = await twoOrgs();
    let out = '';
    const code = await runCli(['org:key', 'alpha'], { out: { write: (s: string) => (out += s) }, err: { write: () => 0 } }, {
      env: { DATA_DIR: app!.dataDir, LOG_LEVEL: 'silent' },
    });
    expect(code).toBe(0);
    const key = out.split('\n')[1]!;
    expect(key).toMatch(/^psk_/);
    expect((await request(app!.http).get('/api/broadcasts').set('authorization', `Bearer ${key}`)).status).toBe(200);
    expect((await request(app!.http).get('/api/broadcasts').set('authorization', `Bearer ${a.apiKey}`)).status).toBe(401);
  });
});

describe('contact import through the admin API', () => {
  it('imports the good rows of a CSV and reports the rest by line, for the key holder only', async () => {
    const { a } = await twoOrgs();
    const csv = 'first_name,phone,language,channel,tags\nSamir,+33 6 44 44 44 44,ar,whatsapp,food\nNope,12,ar,whatsapp,\nAmir,+33611111111,fa,whatsapp,lyon\n';
    const res = await request(app!.http).post('/api/contacts/import').set('authorization', `Bearer ${a.apiKey}`).set('content-type', 'text/csv').send(csv);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ created: 1, updated: 1, rejected: [{ line: 3, reason: 'phone: missing country code (start with +)' }] });
    expect((await request(app!.http).post('/api/contacts/import').set('content-type', 'text/csv').send(csv)).status).toBe(401);
  });
});
