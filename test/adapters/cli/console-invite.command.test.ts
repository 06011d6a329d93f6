import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/cli.ts';
import { createOrg } from '../../support/organisations.ts';
import { manualClock, testApp } from '../../support/test-app.ts';

// `console:invite` gives the first admin of an organisation a console account, tied to the chat
// identity where sign-in codes will reach them, against the same data directory as the server.

let app: Awaited<ReturnType<typeof testApp>>;
const clock = manualClock(new Date('2026-11-28T10:00:00Z'));

beforeEach(async () => {
  app = await testApp({}, { clock });
  await createOrg(app.store, { code: 'secours', name: 'Secours Solidaire', lang: 'fr' });
  const at = clock.now().toISOString();
  await app.store.people.create({ id: 'p-amina', role: 'ngo-staff', roleStatus: 'active', lang: 'ar', firstName: 'Amina', place: null, consent: { noticeVersion: 1, givenAt: at }, orgId: 'org-secours', subscribed: true, identities: [{ channel: 'webchat', id: 'w-1' }], createdAt: at, updatedAt: at });
});
afterEach(async () => {
  await app.dispose();
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } }, { env: { DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' }, clock });
  return { code, out, err };
}

describe('console:invite', () => {
  it('invites an admin known in chat, in their language, and writes it in the audit log', async () => {
    const result = await cli('console:invite', '--org', 'secours', '--email', 'Amina@Secours.org', '--person', 'p-amina');
    expect(result).toEqual({ code: 0, out: 'Invited amina@secours.org (admin) to the console of "Secours Solidaire".\n  Sign-in codes go to their chat.\n', err: '' });
    expect(await app.store.console.findUserByEmail('amina@secours.org')).toMatchObject({ orgId: 'org-secours', role: 'admin', lang: 'ar', personId: 'p-amina' });
    expect(await app.store.console.listAudit('org-secours', 5)).toMatchObject([{ action: 'user.invited', userId: null, detail: 'admin' }]);
  });

  it('says what is wrong in one line: unknown organisation or person, a taken e-mail, a bad role', async () => {
    expect((await cli('console:invite', '--org', 'nope', '--email', 'a@b.org')).err).toBe('error: console:invite: no organisation with code "nope" (see: npm run cli -- org:list)\n');
    expect((await cli('console:invite', '--org', 'secours', '--email', 'a@b.org', '--person', 'p-ghost')).err).toBe('error: console:invite: no person with id "p-ghost" (see: npm run cli -- people:pending)\n');
    expect((await cli('console:invite', '--org', 'secours', '--email', 'a@b.org', '--role', 'boss')).err).toMatch(/^error: console:invite: .*role.*must be admin or staff/);
    expect((await cli('console:invite', '--org', 'secours', '--email', 'not-an-email')).err).toMatch(/^error: console:invite: .*email.*e-mail address/);
    expect((await cli('console:invite', '--org', 'secours', '--email', 'a@b.org')).code).toBe(0);
    expect((await cli('console:invite', '--org', 'secours', '--email', 'A@b.org', '--role', 'staff')).err).toBe('error: console:invite: a console user with e-mail "A@b.org" already exists\n');
  });
});
