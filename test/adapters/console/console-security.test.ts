import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../support/test-app.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import { LOCK_AFTER } from '../../../adapters/console/console-accounts.ts';
import { arabicPersonJoins, ConsoleClient, consoleHarness, lastCode, orgWithAdmin, type ConsoleHarness } from './console.harness.ts';

// What must not happen in the console: a forged form, one NGO reaching another's data, a revoked
// session still working, guessing sign-in codes; and what must be written down: the audit log.

let h: ConsoleHarness;
let a: Awaited<ReturnType<typeof orgWithAdmin>>;
let b: Awaited<ReturnType<typeof orgWithAdmin>>;
/** Ids of organisation B's things, which A's staff try every route with. */
const idsOfB = { contact: '', broadcast: '', person: 'pending-b', key: '', user: '', report: 'report-of-b' };

beforeAll(async () => {
  // Many sign-ins from one address in a minute: the per-address limit is not under test here.
  h = await consoleHarness({ CONSOLE_SIGNIN_PER_MINUTE: '1000' });
  a = await orgWithAdmin(h, 'secours-a', 'admin@a.org', 'chat-a');
  b = await orgWithAdmin(h, 'secours-b', 'admin@b.org', 'chat-b');
  await arabicPersonJoins(h, 'secours-b', 'chat-person-b', 'مريم');
  const [contactB] = (await h.app.store.contacts.search(b.org.id, { limit: 10, offset: 0 })).contacts;
  idsOfB.contact = contactB!.id;
  const { broadcast } = await h.app.broadcasts.create({ orgId: b.org.id, text: 'Hello B', sourceLang: 'en', audience: { type: 'all' }, origin: 'console' });
  idsOfB.broadcast = broadcast.id;
  const at = '2026-11-02T00:00:00.000Z';
  const pending: Person = { id: idsOfB.person, role: 'ngo-staff', roleStatus: 'pending', lang: 'fr', firstName: 'Lucie', place: null, consent: { noticeVersion: 1, givenAt: at }, orgId: b.org.id, subscribed: true, identities: [{ channel: 'webchat', id: 'chat-pending-b' }], createdAt: at, updatedAt: at };
  await h.app.store.people.create(pending);
  idsOfB.key = 'key-of-b';
  await h.app.store.console.createApiKey({ id: idsOfB.key, orgId: b.org.id, name: 'B script', hash: 'b'.repeat(64), createdAt: at, revokedAt: null });
  idsOfB.user = (await h.app.store.console.findUserByEmail('admin@b.org'))!.id;
  await h.app.store.relays.addReport({ id: idsOfB.report, relayId: 'relay-b', subject: { kind: 'exchange-post', id: 'post-b' }, orgId: b.org.id, reporterId: b.admin.id, reportedId: idsOfB.person, evidence: [], status: 'open', createdAt: at, updatedAt: at });
});
afterAll(async () => {
  await h?.close();
});

/** Every state-changing route of the console, with a body that would pass its validation. */
function stateChanging(): [string, Record<string, string>][] {
  return [
    ['/console/sign-out', {}],
    ['/console/contacts/import', { csv: 'first_name,phone,language,channel,tags\nAmal,+33612345678,ar,whatsapp,x\n' }],
    ['/console/contacts/export', {}],
    [`/console/contacts/${idsOfB.contact}/tags`, { tags: 'hacked' }],
    [`/console/contacts/${idsOfB.contact}/erase`, { confirm: 'ERASE' }],
    ['/console/compose/review', { text: 'Hi' }],
    ['/console/broadcasts', { text: 'Forged broadcast' }],
    [`/console/inbox/${idsOfB.contact}/preview`, { text: 'Hi' }],
    [`/console/inbox/${idsOfB.contact}/answer`, { text: 'Forged answer' }],
    [`/console/approvals/${idsOfB.person}/approve`, {}],
    ['/console/settings/language', { lang: 'ar' }],
    ['/console/settings/glossary', { glossary: 'ar | food = طعام' }],
    ['/console/settings/glossary/term', { lang: 'ar', term: 'food', translation: 'طعام' }],
    ['/console/settings/telegram/link-code', {}],
    ['/console/settings/api-keys', { name: 'forged' }],
    [`/console/settings/api-keys/${idsOfB.key}/revoke`, {}],
    ['/console/settings/users', { email: 'intruder@evil.org', role: 'admin' }],
    [`/console/settings/users/${idsOfB.user}/revoke`, {}],
    [`/console/settings/users/${idsOfB.user}/delete`, {}],
    [`/console/moderation/${idsOfB.report}/dismiss`, {}],
    [`/console/moderation/${idsOfB.report}/suspend`, {}],
    [`/console/moderation/${idsOfB.report}/hide-subject`, {}],
  ];
}

describe('console security', () => {
  it('refuses every state-changing request without the session’s CSRF token, and changes nothing', async () => {
    const client = new ConsoleClient(h.url);
    await client.signIn(h, 'admin@a.org', 'chat-a');
    const other = new ConsoleClient(h.url);
    await other.get('/console/sign-in');
    const auditBefore = (await h.app.store.console.listAudit(a.org.id, 100)).length;
    for (const [path, body] of [...stateChanging(), ['/console/sign-in', { email: 'admin@a.org' }], ['/console/sign-in/code', { code: '123456' }]] as [string, Record<string, string>][]) {
      const missing = await client.request('POST', path, body);
      expect(missing.status, `${path} without a token`).toBe(403);
      expect(missing.text).toBe('This form has expired. Go back, reload the page and try again.');
      // Another browser's token (or a guessed one) is no better than none.
      expect((await client.request('POST', path, { ...body, _csrf: other.csrf })).status, `${path} with another session's token`).toBe(403);
      expect((await client.request('POST', path, body, { 'x-csrf-token': 'x'.repeat(43) })).status, `${path} with a made-up header`).toBe(403);
    }
    // Nothing happened: still signed in, no new audit line, no broadcast, no key.
    expect((await client.get('/console')).status).toBe(200);
    expect((await h.app.store.console.listAudit(a.org.id, 100)).length).toBe(auditBefore);
    expect(await h.app.store.broadcasts.list(a.org.id, 10)).toEqual([]);
    expect(await h.app.store.console.listApiKeys(a.org.id)).toEqual([]);
  });

  it('lets A’s admin neither see nor change anything of B, whatever B id a route is given', async () => {
    const client = new ConsoleClient(h.url);
    await client.signIn(h, 'admin@a.org', 'chat-a');
    for (const path of [`/console/contacts/${idsOfB.contact}`, `/console/broadcasts/${idsOfB.broadcast}`, `/console/broadcasts/${idsOfB.broadcast}/events`]) {
      expect((await client.get(path)).status, path).toBe(404);
    }
    const idRoutes = stateChanging().filter(([path]) => Object.values(idsOfB).some((id) => path.includes(`/${id}/`)));
    expect(idRoutes.length).toBe(11);
    for (const [path, body] of idRoutes) expect((await client.post(path, body)).status, path).toBe(404);
    // Lists show none of B's people, broadcasts, replies or approvals; counts do not include them.
    const search = await client.get(`/console/contacts?q=${encodeURIComponent('مريم')}`);
    expect(search.text).toContain('<h2 id="list">0 contacts</h2>');
    for (const path of ['/console', '/console/broadcasts', '/console/contacts', '/console/inbox', '/console/approvals', '/console/moderation', '/console/settings', '/console/audit']) {
      const page = await client.get(path);
      expect(page.status, path).toBe(200);
      for (const secret of ['مريم', 'Lucie', 'Hello B', 'B script', 'admin@b.org', idsOfB.contact, idsOfB.broadcast, idsOfB.report]) expect(page.text, `${path} shows ${secret}`).not.toContain(secret);
    }
    expect(JSON.parse((await client.get('/console/compose/count')).text)).toMatchObject({ count: 0 });
    // B's things are as they were.
    const contact = await h.app.store.contacts.get(b.org.id, idsOfB.contact);
    expect(contact?.tags).toEqual([]);
    expect((await h.app.store.people.get(idsOfB.person))?.roleStatus).toBe('pending');
    expect((await h.app.store.console.listApiKeys(b.org.id))[0]?.revokedAt).toBeNull();
    expect(await h.app.store.console.findUserById(idsOfB.user)).not.toBeNull();
    expect(await h.app.store.inbox.list(b.org.id, { limit: 10 })).toEqual([]);
    expect((await h.app.store.relays.getReport(b.org.id, idsOfB.report))?.status).toBe('open');
  });

  it('stops a revoked session at once: its next page, its form posts and its open event stream', async () => {
    const laptop = new ConsoleClient(h.url);
    const phone = new ConsoleClient(h.url);
    await laptop.signIn(h, 'admin@a.org', 'chat-a');
    await phone.signIn(h, 'admin@a.org', 'chat-a');
    const { broadcast } = await h.app.broadcasts.create({ orgId: a.org.id, text: 'Hello A', sourceLang: 'en', audience: { type: 'all' }, origin: 'console' });
    const stream = await fetch(`${h.url}/console/broadcasts/${broadcast.id}/events`, { headers: { cookie: phone.cookie } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read();
    const userId = (await h.app.store.console.findUserByEmail('admin@a.org'))!.id;
    expect((await laptop.post(`/console/settings/users/${userId}/revoke`)).location).toBe('/console/sign-in');
    const next = await phone.get('/console/contacts');
    expect([next.status, next.location]).toEqual([303, '/console/sign-in']);
    expect((await phone.request('POST', '/console/settings/api-keys', { _csrf: phone.csrf, name: 'late' }, { accept: 'application/json' })).status).not.toBe(200);
    // The stream notices within its next poll and ends.
    for (;;) if ((await reader.read()).done) break;
    expect(await h.app.store.console.listUserSessions(a.org.id, userId)).toEqual([]);
  });

  it('locks sign-in after ten wrong codes, even for the right code, for a while', async () => {
    const client = new ConsoleClient(h.url);
    await client.get('/console/sign-in');
    await client.post('/console/sign-in', { email: 'admin@b.org' });
    const right = await lastCode(h, 'chat-b');
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i < LOCK_AFTER; i++) {
      const res = await client.post('/console/sign-in/code', { code: wrong });
      expect(res.status).toBe(401);
      expect(res.text).toContain(`That code is not right. ${LOCK_AFTER - i} tries left.`);
    }
    const tenth = await client.post('/console/sign-in/code', { code: wrong });
    expect(tenth.status).toBe(429);
    expect(tenth.text).toMatch(/Too many wrong tries\. Sign-in is locked until \d{4}-\d\d-\d\dT/);
    expect((await client.post('/console/sign-in/code', { code: right })).status).toBe(429);
    // No new code is sent while locked, and the lock is in the store (every process sees it).
    const before = (await h.app.store.webchat.list('chat-b', { limit: 100 })).length;
    expect((await client.post('/console/sign-in', { email: 'admin@b.org' })).status).toBe(429);
    expect((await h.app.store.webchat.list('chat-b', { limit: 100 })).length).toBe(before);
    const state = await h.app.store.console.signInState(idsOfB.user);
    expect(state.lockedUntil! > new Date().toISOString()).toBe(true);
  });

  it('writes each action in the audit log: sign-in, import, export, tags, broadcast, answer, approval, erasure, keys, users, sessions', async () => {
    const client = new ConsoleClient(h.url);
    await client.signIn(h, 'admin@a.org', 'chat-a');
    await arabicPersonJoins(h, 'secours-a', 'chat-person-a', 'ليلى');
    const at = '2026-11-03T00:00:00.000Z';
    await h.app.store.people.create({ id: 'pending-a', role: 'recruiter', roleStatus: 'pending', lang: 'fr', firstName: 'Paul', place: null, consent: { noticeVersion: 1, givenAt: at }, orgId: a.org.id, subscribed: true, identities: [{ channel: 'webchat', id: 'chat-pending-a' }], createdAt: at, updatedAt: at });
    const contact = (await h.app.store.contacts.search(a.org.id, { limit: 10, offset: 0 })).contacts[0]!;
    const steps: [string, Record<string, string>, number][] = [
      ['/console/contacts/import', { csv: 'first_name,phone,language,channel,tags\nAmal,+33612345678,ar,whatsapp,x\n' }, 200],
      ['/console/contacts/export', {}, 200],
      [`/console/contacts/${contact.id}/tags`, { tags: 'food, paris' }, 200],
      ['/console/broadcasts', { text: 'Hello {{firstName}}', sourceLang: 'en' }, 303],
      [`/console/inbox/${contact.id}/answer`, { text: 'See you', translated: 'أراك' }, 303],
      ['/console/approvals/pending-a/approve', {}, 303],
      ['/console/settings/api-keys', { name: 'nightly export' }, 200],
      ['/console/settings/users', { email: 'volunteer@a.org', role: 'staff' }, 303],
    ];
    for (const [path, body, status] of steps) expect((await client.post(path, body)).status, path).toBe(status);
    const key = (await h.app.store.console.listApiKeys(a.org.id)).find((k) => k.name === 'nightly export')!;
    expect((await client.post(`/console/settings/api-keys/${key.id}/revoke`)).status).toBe(303);
    const volunteer = (await h.app.store.console.findUserByEmail('volunteer@a.org'))!;
    expect((await client.post(`/console/settings/users/${volunteer.id}/revoke`)).status).toBe(303);
    expect((await client.post(`/console/contacts/${contact.id}/erase`, { confirm: 'ERASE' })).status).toBe(200);
    expect(await h.app.store.contacts.get(a.org.id, contact.id)).toBeNull();
    const log = await h.app.store.console.listAudit(a.org.id, 100);
    const me = (await h.app.store.console.findUserByEmail('admin@a.org'))!.id;
    const actions = log.filter((e) => e.userId === me).map((e) => e.action);
    for (const action of ['signed-in', 'contacts.imported', 'contacts.exported', 'contact.tagged', 'broadcast.sent', 'contact.answered', 'person.approved', 'api-key.created', 'api-key.revoked', 'user.invited', 'sessions.revoked', 'contact.erased']) {
      expect(actions, action).toContain(action);
    }
    expect(log.find((e) => e.action === 'contact.erased')?.target).toBe(contact.id);
    // The page shows it, newest first, with who did it; the CLI's invitation too.
    const page = await client.get('/console/audit');
    expect(page.text.indexOf('contact.erased')).toBeLessThan(page.text.indexOf('contacts.imported'));
    expect(page.text).toContain('admin@a.org');
    expect(log.at(-1)).toMatchObject({ action: 'user.invited', userId: null });
    // Nothing of people's words in the log.
    expect(JSON.stringify(log)).not.toMatch(/ليلى|Amal|See you|أراك/);
  });

  it('keeps the organisation’s API keys working for scripts, named ones too, until revoked', async () => {
    const bearer = (key: string) => fetch(`${h.url}/api/broadcasts`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await bearer(a.org.apiKey)).toBe(200);
    const staff = new ConsoleClient(h.url);
    await staff.signIn(h, 'admin@a.org', 'chat-a');
    const made = await staff.post('/console/settings/api-keys', { name: 'reports' });
    const key = /<code id="new-key">(psk_[^<]+)<\/code>/.exec(made.text)?.[1];
    expect(key).toBeDefined();
    expect(await bearer(key!)).toBe(200);
    // Shown once: the settings page lists the name, never the key.
    const settings = await staff.get('/console/settings');
    expect(settings.text).toContain('reports');
    expect(settings.text).not.toContain(key!);
    const id = (await h.app.store.console.listApiKeys(a.org.id)).find((k) => k.name === 'reports')!.id;
    await staff.post(`/console/settings/api-keys/${id}/revoke`);
    expect(await bearer(key!)).toBe(401);
    expect(await bearer(a.org.apiKey)).toBe(200);
  });

  it('signs in with a password a user set (stored as a scrypt hash), a wrong one counting toward the lock', async () => {
    const staff = new ConsoleClient(h.url);
    await staff.signIn(h, 'admin@a.org', 'chat-a');
    expect((await staff.post('/console/settings/password', { password: 'short' })).status).toBe(400);
    expect((await staff.post('/console/settings/password', { password: 'correct horse battery staple' })).status).toBe(200);
    const user = (await h.app.store.console.findUserByEmail('admin@a.org'))!;
    expect(user.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const fresh = new ConsoleClient(h.url);
    await fresh.get('/console/sign-in');
    const wrong = await fresh.post('/console/sign-in/password', { email: 'admin@a.org', password: 'wrong horse' });
    expect([wrong.status, wrong.text.includes('That e-mail and password do not match.')]).toEqual([401, true]);
    expect((await h.app.store.console.signInState(user.id)).failures).toBe(1);
    const right = await fresh.post('/console/sign-in/password', { email: 'admin@a.org', password: 'correct horse battery staple' });
    expect([right.status, right.location]).toEqual([303, '/console']);
    expect((await fresh.get('/console')).status).toBe(200);
    expect((await h.app.store.console.signInState(user.id)).failures).toBe(0);
  });

  it('makes one broadcast and one answer of a form sent twice (a double click, a reload)', async () => {
    const staff = new ConsoleClient(h.url);
    await staff.signIn(h, 'admin@a.org', 'chat-a');
    await arabicPersonJoins(h, 'secours-a', 'chat-twice', 'سلمى');
    const review = await staff.post('/console/compose/review', { text: 'Twice {{firstName}}', sourceLang: 'en', langs: 'ar' });
    const draftId = /name="draftId" value="([^"]+)"/.exec(review.text)![1]!;
    const form = { text: 'Twice {{firstName}}', sourceLang: 'en', langs: 'ar', draftId, t_ar: 'مرتين {{firstName}}' };
    const [one, two] = [await staff.post('/console/broadcasts', form), await staff.post('/console/broadcasts', form)];
    expect(one.location).toBe(two.location);
    const made = (await h.app.store.broadcasts.list(a.org.id, 50)).filter((x) => x.text === 'Twice {{firstName}}');
    expect(made.length).toBe(1);
    expect((await h.app.store.console.listAudit(a.org.id, 200)).filter((e) => e.action === 'broadcast.sent' && e.target === made[0]!.id).length).toBe(1);
    const contact = (await h.app.store.contacts.search(a.org.id, { q: 'سلمى', limit: 1, offset: 0 })).contacts[0]!;
    const preview = await staff.post(`/console/inbox/${contact.id}/preview`, { text: 'Only once' });
    const answerId = /name="answerId" value="([^"]+)"/.exec(preview.text)![1]!;
    for (let i = 0; i < 2; i++) expect((await staff.post(`/console/inbox/${contact.id}/answer`, { text: 'Only once', translated: 'مرة واحدة', answerId })).status).toBe(303);
    await h.app.settle();
    const texts = (await h.app.store.webchat.list('chat-twice', { limit: 50 })).map((e) => e.message.text ?? '');
    expect(texts.filter((t) => t.endsWith('مرة واحدة')).length).toBe(1);
    expect((await h.app.store.inbox.list(a.org.id, { contactId: contact.id, limit: 10 })).filter((e) => e.text === 'Only once').length).toBe(1);
  });

  it('sets the session cookie HTTP-only, SameSite=Strict, for /console, Secure off loopback; and a new session id at sign-in', async () => {
    const plain = await request(h.app.http).get('/console/sign-in');
    expect(plain.headers['set-cookie']?.[0]).toMatch(/^pc_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/console; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    const public_ = await request(h.app.http).get('/console/sign-in').set('host', 'console.example.org');
    expect(public_.headers['set-cookie']?.[0]).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
    const client = new ConsoleClient(h.url);
    await client.get('/console/sign-in');
    const before = client.cookie;
    await client.signIn(h, 'admin@a.org', 'chat-a');
    expect(client.cookie).not.toBe(before);
    // The cookie from before sign-in (which someone may have planted) was not made a signed-in one.
    expect((await fetch(`${h.url}/console`, { headers: { cookie: before }, redirect: 'manual' })).status).toBe(303);
  });

  it('keeps sessions and the sign-in lock in the store: a second server process honours them, and a revocation, at once', async () => {
    const second = await testApp({ DATA_DIR: h.app.dataDir });
    try {
      const client = new ConsoleClient(h.url);
      await client.signIn(h, 'admin@a.org', 'chat-a');
      const page = await request(second.http).get('/console/contacts').set('cookie', client.cookie);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<h1>Contacts</h1>');
      // A form made by one process is accepted by the other (the token is the session's, in the store).
      const posted = await request(second.http).post('/console/settings/language').set('cookie', client.cookie).type('form').send({ _csrf: client.csrf, lang: 'fr' });
      expect([posted.status, posted.headers['location']]).toEqual([303, '/console/settings']);
      // B is still locked from the earlier test, in this process too.
      const other = new ConsoleClient(h.url);
      await other.get('/console/sign-in');
      const locked = await request(second.http).post('/console/sign-in').set('cookie', other.cookie).type('form').send({ _csrf: other.csrf, email: 'admin@b.org' });
      expect(locked.status).toBe(429);
      const userId = (await h.app.store.console.findUserByEmail('admin@a.org'))!.id;
      await client.post(`/console/settings/users/${userId}/revoke`);
      const after = await request(second.http).get('/console/contacts').set('cookie', client.cookie);
      expect([after.status, after.headers['location']]).toEqual([303, '/console/sign-in']);
    } finally {
      await second.close();
    }
  });
});
