import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../core/ports/logger.port.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

// Admin API answers an NGO can act on: what a broadcast will reach and why not, why an answer
// did not go out, whether translation runs at all, and who wrote each inbox entry.

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const wa = (firstName: string, digits: string, tags: string[] = []) => ({
  firstName,
  phone: `+${digits}`,
  lang: 'ar',
  channel: 'whatsapp-cloud' as const,
  address: { channel: 'whatsapp-cloud' as const, id: digits },
  tags,
});

async function orgWithContacts() {
  app = await testApp();
  const org = await createOrg(app.store, { code: 'alpha', name: 'Alpha Aid', lang: 'fr' });
  await app.store.contacts.importMany(org.id, [wa('Amir', '33611111111', ['lyon']), { ...wa('Hana', '33622222222'), channel: 'telegram', address: null }], () => crypto.randomUUID(), new Date());
  const contacts = await app.store.contacts.list(org.id, { limit: 10 });
  const byName = (name: string) => contacts.find((c) => c.firstName === name)!;
  return { app, org, auth: { authorization: `Bearer ${org.apiKey}` }, amir: byName('Amir'), hana: byName('Hana') };
}

describe('admin API answers', () => {
  it('warns about tags that match no one and about a broadcast that reaches nobody', async () => {
    const { app, auth } = await orgWithContacts();
    const typo = await request(app.http).post('/api/broadcasts').set(auth).send({ text: 'Cours', audience: { tags: ['lyon', 'paris'] } });
    expect(typo.status).toBe(201);
    expect(typo.body).toMatchObject({ recipients: 1, warnings: [{ field: 'audience.tags', message: 'no subscribed contact has the tag "paris"' }] });
    const none = await request(app.http).post('/api/broadcasts').set(auth).send({ text: 'Cours', audience: { tags: ['paris'] } });
    expect(none.body).toMatchObject({
      recipients: 0,
      warnings: [
        { field: 'audience.tags', message: 'no subscribed contact has the tag "paris"' },
        { field: 'audience', message: 'no contact will receive this broadcast' },
      ],
    });
    const fine = await request(app.http).post('/api/broadcasts').set(auth).send({ text: 'Cours' });
    expect(fine.body.warnings).toEqual([]);
  });

  it('says an answer did not go because the channel is off, or because the contact has no address', async () => {
    const { app, auth, amir, hana } = await orgWithContacts();
    const off = await request(app.http).post(`/api/contacts/${amir.id}/messages`).set(auth).send({ text: 'Oui' });
    expect([off.status, off.body]).toEqual([202, { delivery: { status: 'unreachable', reason: 'channel-not-configured' } }]);
    const noAddress = await request(app.http).post(`/api/contacts/${hana.id}/messages`).set(auth).send({ text: 'Oui' });
    expect(noAddress.body).toEqual({ delivery: { status: 'unreachable', reason: 'unknown-address' } });
  });

  it('names "no-translator" as the reason a broadcast stays untranslated when no translator is set', async () => {
    const { app, auth } = await orgWithContacts();
    const created = await request(app.http).post('/api/broadcasts').set(auth).send({ text: 'Distribution demain', sourceLang: 'fr' });
    await app.broadcasts.tick();
    const got = await request(app.http).get(`/api/broadcasts/${created.body.id}`).set(auth);
    expect(got.body.translations).toEqual({ ar: { kind: 'source', reason: 'no-translator' } });
  });

  it('logs at start-up that translation is off', async () => {
    const lines: [string, Record<string, unknown>, string][] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: (fields, message) => lines.push(['info', fields, message]),
      warn: (fields, message) => lines.push(['warn', fields, message]),
      error: () => undefined,
    };
    app = await testApp({}, { logger });
    await app.start();
    expect(lines).toContainEqual(['warn', { translation: false }, 'translation off: broadcasts go out as written (set DEEPL_AUTH_KEY or LIBRETRANSLATE_URL)']);
  });

  it('gives each inbox entry the contact’s first name and channel', async () => {
    const { app, org, auth, amir } = await orgWithContacts();
    await app.store.inbox.add({ id: 'e1', orgId: org.id, contactId: amir.id, direction: 'in', broadcastId: null, text: 'شكرا', lang: 'ar', translatedText: null, translatedLang: null, at: new Date().toISOString() });
    const inbox = await request(app.http).get(`/api/inbox?contactId=${amir.id}`).set(auth);
    expect(inbox.body.entries).toMatchObject([{ id: 'e1', contactId: amir.id, firstName: 'Amir', channel: 'whatsapp-cloud', text: 'شكرا' }]);
  });
});
