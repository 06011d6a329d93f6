import { describe, expect, it } from 'vitest';
import { ConcurrencyConflictError } from '../../../core/errors.ts';
import type { ConsoleSession, StaffUser } from '../../../core/ports/console.port.ts';
import { broadcastWith, drain, DRAIN_NOW, importContacts, importRow, joinedContact, newOrg } from './broadcast-fixtures.ts';
import { rejection, uid, type StoreUnderTest } from './fixtures.ts';

const at = new Date('2025-05-01T09:00:00.000Z');

function userWith(orgId: string, overrides: Partial<StaffUser> = {}): StaffUser {
  return { id: uid(), orgId, email: `${uid()}@ngo.example`, role: 'staff', lang: 'fr', personId: null, passwordHash: null, createdAt: at.toISOString(), inboxSeenAt: null, ...overrides };
}

function sessionWith(userId: string | null, orgId: string | null, overrides: Partial<ConsoleSession> = {}): ConsoleSession {
  return { idHash: uid(), orgId, userId, pendingUserId: null, csrfToken: uid(), createdAt: at.toISOString(), expiresAt: '2025-05-01T21:00:00.000Z', ...overrides };
}

/** The console's accounts, sessions, sign-in lock, audit log and named keys; and the contact search it uses. */
export function consoleContract(store: StoreUnderTest): void {
  describe('console accounts', () => {
    it('keeps users per organisation, one per e-mail, and finds them by e-mail or id only in their organisation', async () => {
      const org = await newOrg(store());
      const other = await newOrg(store());
      const user = userWith(org.id, { role: 'admin', personId: uid() });
      await store().console.createUser(user);
      expect(await store().console.findUserByEmail(user.email)).toEqual(user);
      expect(await store().console.findUserById(user.id)).toEqual(user);
      expect(await store().console.getUser(org.id, user.id)).toEqual(user);
      expect(await store().console.getUser(other.id, user.id)).toBeNull();
      expect(await rejection(store().console.createUser(userWith(other.id, { email: user.email })))).toBeInstanceOf(ConcurrencyConflictError);
      expect(await store().console.updateUser(org.id, user.id, { lang: 'ar', role: 'staff' })).toEqual({ ...user, lang: 'ar', role: 'staff' });
      expect((await store().console.updateUser(org.id, user.id, { inboxSeenAt: at.toISOString() }))?.inboxSeenAt).toBe(at.toISOString());
      await store().console.updateUser(org.id, user.id, { inboxSeenAt: null, lang: 'fr' });
      expect(await store().console.updateUser(other.id, user.id, { role: 'admin' })).toBeNull();
      expect(await store().console.listUsers(org.id)).toEqual([{ ...user, role: 'staff' }]);
      expect(await store().console.deleteUser(other.id, user.id)).toBe(false);
      expect(await store().console.deleteUser(org.id, user.id)).toBe(true);
      expect(await store().console.findUserById(user.id)).toBeNull();
    });

    it('counts wrong sign-in guesses in the store and locks at the limit, forgetting the code', async () => {
      const org = await newOrg(store());
      const user = userWith(org.id);
      await store().console.createUser(user);
      await store().console.setCode(user.id, 'hash-1', new Date('2025-05-01T09:10:00.000Z'));
      expect(await store().console.signInState(user.id)).toEqual({ codeHash: 'hash-1', codeExpiresAt: '2025-05-01T09:10:00.000Z', failures: 0, lockedUntil: null });
      const until = new Date('2025-05-01T09:15:00.000Z');
      expect(await store().console.recordFailure(user.id, 3, until)).toMatchObject({ failures: 1, lockedUntil: null, codeHash: 'hash-1' });
      await store().console.recordFailure(user.id, 3, until);
      expect(await store().console.recordFailure(user.id, 3, until)).toEqual({ codeHash: null, codeExpiresAt: null, failures: 0, lockedUntil: until.toISOString() });
      await store().console.clearSignIn(user.id);
      expect(await store().console.signInState(user.id)).toEqual({ codeHash: null, codeExpiresAt: null, failures: 0, lockedUntil: null });
    });

    it('keeps sessions server-side until they expire or are revoked, with their user', async () => {
      const org = await newOrg(store());
      const user = userWith(org.id);
      await store().console.createUser(user);
      const one = sessionWith(user.id, org.id);
      const two = sessionWith(user.id, org.id, { createdAt: '2025-05-01T09:30:00.000Z' });
      const anonymous = sessionWith(null, null);
      for (const s of [one, two, anonymous]) await store().console.createSession(s);
      expect(await store().console.getSession(one.idHash, at)).toEqual(one);
      expect(await store().console.getSession(one.idHash, new Date(one.expiresAt))).toBeNull();
      await store().console.setPendingUser(anonymous.idHash, user.id);
      expect((await store().console.getSession(anonymous.idHash, at))?.pendingUserId).toBe(user.id);
      expect((await store().console.listUserSessions(org.id, user.id)).map((s) => s.idHash)).toEqual([one.idHash, two.idHash]);
      expect(await store().console.deleteUserSessions(user.id)).toBe(2);
      expect(await store().console.getSession(two.idHash, at)).toBeNull();
      await store().console.deleteSession(anonymous.idHash);
      expect(await store().console.getSession(anonymous.idHash, at)).toBeNull();
      const old = sessionWith(null, null, { expiresAt: '2025-05-01T08:00:00.000Z' });
      await store().console.createSession(old);
      expect(await store().console.pruneSessions(at)).toBeGreaterThanOrEqual(1);
    });

    it('ends a removed user’s sessions and forgets them on a pending sign-in', async () => {
      const org = await newOrg(store());
      const user = userWith(org.id);
      await store().console.createUser(user);
      const signedIn = sessionWith(user.id, org.id);
      const waiting = sessionWith(null, null, { pendingUserId: user.id });
      await store().console.createSession(signedIn);
      await store().console.createSession(waiting);
      await store().console.deleteUser(org.id, user.id);
      expect(await store().console.getSession(signedIn.idHash, at)).toBeNull();
      expect((await store().console.getSession(waiting.idHash, at))?.pendingUserId).toBeNull();
    });

    it('lists an organisation’s audit log newest first, once per entry id', async () => {
      const org = await newOrg(store());
      const entries = ['signed-in', 'broadcast.sent', 'contact.erased'].map((action, i) => ({ id: uid(), orgId: org.id, userId: null, action, target: `t${i}`, detail: null, at: at.toISOString() }));
      for (const e of entries) await store().console.audit(e);
      await store().console.audit(entries[0]!);
      expect(await store().console.listAudit(org.id, 10)).toEqual([...entries].reverse());
      expect(await store().console.listAudit(org.id, 1)).toEqual([entries[2]]);
      expect(await store().console.listAudit((await newOrg(store())).id, 10)).toEqual([]);
    });

    it('finds a named API key by hash until it is revoked, only by its own organisation', async () => {
      const org = await newOrg(store());
      const other = await newOrg(store());
      const key = { id: uid(), orgId: org.id, name: 'nightly', hash: uid(), createdAt: at.toISOString(), revokedAt: null };
      await store().console.createApiKey(key);
      expect(await store().console.findApiKey(key.hash)).toEqual(key);
      expect(await store().console.revokeApiKey(other.id, key.id, at)).toBe(false);
      expect(await store().console.revokeApiKey(org.id, key.id, at)).toBe(true);
      expect(await store().console.revokeApiKey(org.id, key.id, at)).toBe(false);
      expect(await store().console.findApiKey(key.hash)).toBeNull();
      expect(await store().console.listApiKeys(org.id)).toEqual([{ ...key, revokedAt: at.toISOString() }]);
    });
  });

  describe('contacts for the console', () => {
    it('searches by name or phone fragment, tag, language (the person’s own) and channel, with the total', async () => {
      const org = await newOrg(store());
      const [amina, yusuf] = await importContacts(store(), org.id, [importRow({ firstName: 'Amina', tags: ['food'] }), importRow({ firstName: 'Yusuf', lang: 'fa', channel: 'whatsapp-web', address: null })], at);
      const { contact: reza } = await joinedContact(store(), org.id, { channel: 'webchat', id: uid() }, at, { lang: 'uk', firstName: 'Reza' });
      const search = (s: Record<string, string>) => store().contacts.search(org.id, { limit: 10, offset: 0, ...s }).then((r) => [r.total, r.contacts.map((c) => c.firstName)]);
      expect(await search({})).toEqual([3, ['Amina', 'Reza', 'Yusuf']]);
      expect(await search({ q: 'min' })).toEqual([1, ['Amina']]);
      expect(await search({ q: amina!.phone!.slice(3, 9) })).toEqual([1, ['Amina']]);
      expect(await search({ q: '%' })).toEqual([0, []]);
      expect(await search({ tag: 'food' })).toEqual([1, ['Amina']]);
      expect(await search({ lang: 'uk' })).toEqual([1, ['Reza']]);
      expect(await search({ channel: 'whatsapp-web' })).toEqual([1, ['Yusuf']]);
      expect((await store().contacts.search(org.id, { limit: 1, offset: 1 })).contacts.map((c) => c.id)).toEqual([reza.id]);
      expect((await store().contacts.search((await newOrg(store())).id, { limit: 10, offset: 0 })).total).toBe(0);
      expect(yusuf).toBeDefined();
    });

    it('files an inbox entry once per id (an answer form sent twice)', async () => {
      const org = await newOrg(store());
      const [amina] = await importContacts(store(), org.id, [importRow()], at);
      const entry = { id: uid(), orgId: org.id, contactId: amina!.id, direction: 'out' as const, broadcastId: null, text: 'Oui', lang: 'fr', translatedText: 'نعم', translatedLang: 'ar', at: at.toISOString() };
      await store().inbox.add(entry);
      await store().inbox.add({ ...entry, text: 'Oui !' });
      expect(await store().inbox.list(org.id, { limit: 10 })).toEqual([entry]);
    });

    it('replaces tags and removes one contact, only in its organisation', async () => {
      const org = await newOrg(store());
      const other = await newOrg(store());
      const [amina] = await importContacts(store(), org.id, [importRow({ tags: ['old'] })], at);
      expect(await store().contacts.setTags(other.id, amina!.id, ['x'], at)).toBeNull();
      expect((await store().contacts.setTags(org.id, amina!.id, ['food', 'paris', 'food'], at))?.tags).toEqual(['food', 'paris']);
      expect(await store().contacts.remove(other.id, amina!.id)).toBe(false);
      expect(await store().contacts.remove(org.id, amina!.id)).toBe(true);
      expect(await store().contacts.get(org.id, amina!.id)).toBeNull();
    });

    it('narrows an audience by languages (the person’s own) and channels in counts, languages and the rows made', async () => {
      const org = await newOrg(store());
      await importContacts(store(), org.id, [importRow({ lang: 'ar' }), importRow({ lang: 'fa' }), importRow({ lang: 'ar', tags: ['food'] })], at);
      await joinedContact(store(), org.id, { channel: 'webchat', id: uid() }, at, { lang: 'ar' });
      expect(await store().contacts.countAudience(org.id, { type: 'all', langs: ['ar'] })).toBe(3);
      expect(await store().contacts.countAudience(org.id, { type: 'all', langs: ['ar'], channels: ['webchat'] })).toBe(1);
      expect(await store().contacts.countAudience(org.id, { type: 'tags', tags: ['food'], langs: ['fa'] })).toBe(0);
      expect([...(await store().contacts.audienceLanguages(org.id, { type: 'all', channels: ['whatsapp-cloud'] }))].sort()).toEqual([['ar', 2], ['fa', 1]]);
      const broadcast = broadcastWith(org.id, { audience: { type: 'all', langs: ['fa'] } });
      await store().broadcasts.create(broadcast, new Map([['fa', { kind: 'translated', text: 'سلام', by: 'reviewed' }]]));
      expect((await store().broadcasts.get(org.id, broadcast.id))?.audience).toEqual({ type: 'all', langs: ['fa'] });
      expect(await store().broadcasts.translations(broadcast.id)).toEqual(new Map([['fa', { kind: 'translated', text: 'سلام', by: 'reviewed' }]]));
      expect(await store().outbox.materialize(broadcast.id, org.id, broadcast.audience, at)).toBe(1);
    });

    it('counts what platforms reported of a broadcast’s sent rows, by language and channel', async () => {
      const org = await newOrg(store());
      await drain(store(), 'whatsapp-cloud');
      await importContacts(store(), org.id, [importRow({ lang: 'ar' }), importRow({ lang: 'ar' }), importRow({ lang: 'fa' })], at);
      const broadcast = broadcastWith(org.id);
      await store().broadcasts.create(broadcast);
      await store().outbox.materialize(broadcast.id, org.id, broadcast.audience, at);
      const jobs = await store().outbox.claim('whatsapp-cloud', 'bulk', DRAIN_NOW, 500, new Date(DRAIN_NOW.getTime() + 60_000));
      const mine = jobs.filter((j) => j.broadcastId === broadcast.id);
      expect(mine.length).toBe(3);
      const pid = (i: number) => `wamid.${broadcast.id}.${i}`;
      await store().outbox.settle(jobs.map((j) => ({ id: j.id, outcome: j.broadcastId === broadcast.id ? { status: 'sent', platformMessageId: pid(mine.indexOf(j)) } : { status: 'skipped', reason: 'contract-drain' } })), DRAIN_NOW);
      const langOf = (i: number) => mine[i]!.lang;
      await store().receipts.record('whatsapp-cloud', pid(0), 'delivered', at);
      await store().receipts.record('whatsapp-cloud', pid(1), 'read', at);
      const counts = await store().outbox.receiptCounts(broadcast.id);
      const expected = [
        { lang: langOf(0), channel: 'whatsapp-cloud', status: 'delivered', n: 1 },
        { lang: langOf(1), channel: 'whatsapp-cloud', status: 'read', n: 1 },
      ];
      const key = (r: { lang: string; status: string }) => `${r.lang}:${r.status}`;
      expect([...counts].sort((x, y) => key(x).localeCompare(key(y)))).toEqual(expected.sort((x, y) => key(x).localeCompare(key(y))));
    });
  });
}
