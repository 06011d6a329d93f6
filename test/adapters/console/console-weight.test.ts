import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, consoleHarness, orgWithAdmin, type ConsoleHarness } from './console.harness.ts';

// A page must work on an old laptop on a slow line: the heaviest console page with its CSS and
// script stays under 150 KB uncompressed, and nothing on any page points at another host.

const LIMIT = 150 * 1024;
let h: ConsoleHarness;
let client: ConsoleClient;

function csv(rows: number): string {
  const langs = ['ar', 'fa', 'uk', 'fr', 'ti', 'so', 'ps', 'tr'];
  const lines = ['first_name,phone,language,channel,tags'];
  for (let i = 0; i < rows; i++) lines.push(`Amal,+33 6 13 ${String(i).padStart(6, '0')},${langs[i % langs.length]},whatsapp,paris|food|legal`);
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  h = await consoleHarness({ CONSOLE_SIGNIN_PER_MINUTE: '1000' });
  await orgWithAdmin(h, 'secours', 'admin@secours.org', 'chat-admin');
  client = new ConsoleClient(h.url);
  await client.signIn(h, 'admin@secours.org', 'chat-admin');
  expect((await client.post('/console/contacts/import', { csv: csv(500) })).status).toBe(200);
  // A busy inbox: a hundred people, six messages each, of a realistic length, in both languages.
  const orgId = (await h.app.store.organisations.findByCode('secours'))!.id;
  const { contacts } = await h.app.store.contacts.search(orgId, { limit: 100, offset: 0 });
  const reply = 'شكرا جزيلا على الرسالة، هل يمكنني أن آتي مع أطفالي الثلاثة إلى توزيع الطعام يوم الاثنين؟ وهل أحتاج إلى إحضار بطاقة الإقامة أو أي وثيقة أخرى؟';
  const english = 'Thank you very much for the message, can I come with my three children to the food distribution on Monday? Do I need to bring my residence card or any other document?';
  let minute = 0;
  for (const c of contacts) {
    for (let i = 0; i < 6; i++) {
      const inbound = i % 2 === 0;
      await h.app.store.inbox.add({ id: `w-${c.id}-${i}`, orgId, contactId: c.id, direction: inbound ? 'in' : 'out', broadcastId: null, text: inbound ? reply : english, lang: inbound ? 'ar' : 'en', translatedText: inbound ? english : reply, translatedLang: inbound ? 'en' : 'ar', at: new Date(Date.UTC(2026, 10, 1, 0, minute++)).toISOString() });
    }
  }
  expect((await client.post('/console/broadcasts', { text: 'Hello {{firstName}}, the food distribution is on Monday.', sourceLang: 'en' })).status).toBe(303);
});
afterAll(async () => {
  await h?.close();
});

describe('console weight', () => {
  it('keeps the heaviest page, with its CSS and script, under 150 KB, and every reference on its own host', async () => {
    const broadcast = (await h.app.store.broadcasts.list((await h.app.store.organisations.findByCode('secours'))!.id, 1))[0]!;
    await h.app.broadcasts.tick();
    const contact = (await h.app.store.contacts.search(broadcast.orgId, { limit: 1, offset: 0 })).contacts[0]!;
    const pages: [string, () => Promise<{ text: string; status: number }>][] = [
      ['overview', () => client.get('/console')],
      ['broadcasts', () => client.get('/console/broadcasts')],
      ['contacts', () => client.get('/console/contacts')],
      ['contact', () => client.get(`/console/contacts/${contact.id}`)],
      ['compose', () => client.get('/console/compose')],
      ['review', () => client.post('/console/compose/review', { text: 'Hello {{firstName}}, the food distribution is on Monday.', sourceLang: 'en' })],
      ['broadcast', () => client.get(`/console/broadcasts/${broadcast.id}`)],
      ['inbox', () => client.get('/console/inbox')],
      ['thread', () => client.get(`/console/inbox?contact=${contact.id}`)],
      ['approvals', () => client.get('/console/approvals')],
      ['moderation', () => client.get('/console/moderation')],
      ['settings', () => client.get('/console/settings')],
      ['audit', () => client.get('/console/audit')],
      ['sign-in', () => new ConsoleClient(h.url).get('/console/sign-in')],
    ];
    const assets = await Promise.all(['/console/assets/console.css', '/console/assets/console.js', '/fonts/fonts.css'].map((p) => fetch(`${h.url}${p}`).then((r) => r.text())));
    const assetBytes = assets.reduce((n, text) => n + Buffer.byteLength(text), 0);
    const weights: Record<string, number> = {};
    for (const [name, load] of pages) {
      const { text, status } = await load();
      expect(status, name).toBe(200);
      weights[name] = Buffer.byteLength(text) + assetBytes;
      // Every src, href and form action is a path on this server.
      for (const [, url] of text.matchAll(/(?:src|href|action)="([^"]*)"/g)) expect(url, `${name}: ${url}`).toMatch(/^(\/(?!\/)|#|\?)/);
    }
    for (const text of assets) expect(text).not.toMatch(/url\((?!['"]?\/(?!\/))/);
    const heaviest = Math.max(...Object.values(weights));
    console.log(`console page weight (HTML + CSS + JS, uncompressed): heaviest ${(heaviest / 1024).toFixed(1)} KB`, Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, `${(v / 1024).toFixed(1)} KB`])));
    expect(heaviest).toBeLessThan(LIMIT);
  });
});
