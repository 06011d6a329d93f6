import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/cli.ts';
import type { Address, InboundContent } from '../../../core/messages.ts';
import { manualClock, testApp } from '../../support/test-app.ts';

type TestApp = Awaited<ReturnType<typeof testApp>>;
let app: TestApp;
let env: Record<string, string>;
let orgIds = 0;
const clock = manualClock(new Date('2026-11-28T10:00:00Z'));

beforeEach(async () => {
  let n = 0;
  app = await testApp({}, { clock, ids: { newId: () => `person-${++n}` } });
  env = { DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' };
  orgIds = 0;
});
afterEach(async () => {
  await app.dispose();
});

/** Runs one command in-process against the app's data directory (its own store connection). */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } },
    { env, clock, ids: { newId: () => `org-${++orgIds}` } },
  );
  return { code, out, err };
}

/** Onboards someone through the real pipeline, as the web chat or WhatsApp would. */
async function onboard(from: Address, role: string, firstName: string): Promise<void> {
  const answers: InboundContent[] = [
    { type: 'start' },
    { type: 'text', text: 'English' },
    { type: 'choice', choiceId: 'agree' },
    { type: 'choice', choiceId: role },
    { type: 'text', text: firstName },
    { type: 'text', text: 'skip' },
  ];
  let last: string[] = [];
  for (const [i, content] of answers.entries()) {
    const replies = await app.pipeline.handle({ id: `${from.id}-${i}`, from, content, receivedAt: clock.now() });
    last = replies.map((r) => r.message.text);
  }
  expect(last).toContain(`Welcome, ${firstName}! You are signed up.`);
}

describe('admin CLI', () => {
  it('adds organisations and lists them', async () => {
    const added = await cli('org:add', '--name', 'Secours Solidaire', '--code', 'Secours', '--lang', 'fr');
    expect(added).toEqual({
      code: 0,
      out: 'Created organisation "Secours Solidaire".\n  id:   org-1\n  code: secours\n  lang: fr\n',
      err: '',
    });
    expect((await cli('org:add', '--name', 'Emploi Pour Tous', '--code', 'emploi')).code).toBe(0);

    const listed = await cli('org:list');
    expect(listed.code).toBe(0);
    expect(listed.out).toBe(
      ['ID     CODE     LANG  NAME', 'org-1  secours  fr    Secours Solidaire', 'org-2  emploi   en    Emploi Pour Tous', ''].join('\n'),
    );
    expect(await app.store.organisations.findByCode('secours')).toMatchObject({ id: 'org-1', name: 'Secours Solidaire', lang: 'fr' });
  });

  it('says so when there is no organisation yet', async () => {
    expect(await cli('org:list')).toEqual({
      code: 0,
      out: 'No organisations yet. Add one with: npm run cli -- org:add --name "<name>" --code <code>\n',
      err: '',
    });
  });

  it('refuses a duplicate code, a bad code, a missing name and unknown options with one line', async () => {
    await cli('org:add', '--name', 'Secours Solidaire', '--code', 'secours');
    expect(await cli('org:add', '--name', 'Copycat', '--code', 'SECOURS')).toEqual({
      code: 1,
      out: '',
      err: 'error: org:add: an organisation with code "secours" already exists\n',
    });
    expect(await cli('org:add', '--code', 'a b', '--lang', 'xx')).toEqual({
      code: 1,
      out: '',
      err:
        'error: org:add: --name is required; --code must be 2-32 characters of a-z, 0-9 and -, starting with a letter or digit; ' +
        '--lang must be one of ar, fa, ps, uk, ti, so, tr, fr, es, en\n',
    });
    expect(await cli('org:add', '--name', 'X Y', '--code', 'xy', '--admin')).toEqual({
      code: 1,
      out: '',
      err: "error: org:add: Unknown option '--admin'\n",
    });
    expect(await app.store.organisations.list()).toHaveLength(1);
  });

  it('lists a staff member onboarded in chat as pending, without any phone number', async () => {
    const phone = '33612345678';
    await onboard({ channel: 'whatsapp-cloud', id: phone }, 'ngo-staff', 'Amina');
    await onboard({ channel: 'webchat', id: 'web-newcomer-1' }, 'newcomer', 'Yonas');

    const pending = await cli('people:pending');
    expect(pending).toEqual({
      code: 0,
      out: ['ID        ROLE       FIRST NAME  CREATED', 'person-1  ngo-staff  Amina       2026-11-28', ''].join('\n'),
      err: '',
    });
    expect(pending.out).not.toContain(phone);
  });

  it('approves a pending staff member for an organisation', async () => {
    await onboard({ channel: 'webchat', id: 'web-staff-1' }, 'ngo-staff', 'Amina');
    await cli('org:add', '--name', 'Secours Solidaire', '--code', 'secours', '--lang', 'fr');

    const approved = await cli('people:approve', 'person-1', '--org', 'secours');
    expect(approved).toEqual({ code: 0, out: 'Approved person-1 (ngo-staff) for "Secours Solidaire" (secours).\n', err: '' });

    expect(await app.store.people.get('person-1')).toMatchObject({ role: 'ngo-staff', roleStatus: 'active', orgId: 'org-1' });
    expect((await cli('people:pending')).out).toBe('Nobody is waiting for approval.\n');
    expect(await cli('people:approve', 'person-1', '--org', 'secours')).toEqual({
      code: 1,
      out: '',
      err: 'error: people:approve: person "person-1" is not waiting for approval (role ngo-staff, already active)\n',
    });
  });

  it('errors clearly for an unknown person, an unknown organisation or missing arguments', async () => {
    await onboard({ channel: 'webchat', id: 'web-staff-1' }, 'recruiter', 'Amina');
    await cli('org:add', '--name', 'Secours Solidaire', '--code', 'secours');

    expect(await cli('people:approve', 'person-404', '--org', 'secours')).toEqual({
      code: 1,
      out: '',
      err: 'error: people:approve: no person with id "person-404" (see: npm run cli -- people:pending)\n',
    });
    expect(await cli('people:approve', 'person-1', '--org', 'nowhere')).toEqual({
      code: 1,
      out: '',
      err: 'error: people:approve: no organisation with code "nowhere" (see: npm run cli -- org:list)\n',
    });
    expect(await cli('people:approve')).toEqual({ code: 1, out: '', err: 'error: people:approve: <personId> is required; --org is required\n' });
    expect(await app.store.people.get('person-1')).toMatchObject({ roleStatus: 'pending', orgId: null });
  });

  it('prints help, and refuses an unknown command', async () => {
    const help = await cli('help');
    expect(help.code).toBe(0);
    for (const name of ['org:add', 'org:list', 'people:pending', 'people:approve', 'help']) expect(help.out).toContain(`  ${name}`);
    expect(await cli()).toEqual(help);
    expect(await cli('help', 'people:approve')).toEqual({
      code: 0,
      out: 'Usage: npm run cli -- people:approve <personId> --org <code>\n\nApprove a pending staff member or recruiter for an organisation\n',
      err: '',
    });
    expect(await cli('people:delete')).toEqual({ code: 1, out: '', err: 'error: unknown command "people:delete" (see: npm run cli -- help)\n' });
  });

  it('reports invalid configuration as one line', async () => {
    env = { ...env, PORT: 'not-a-port' };
    const result = await cli('org:list');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: org:list: Invalid configuration \(1 problem\): - PORT: [^\n]+\n$/);
  });
});
