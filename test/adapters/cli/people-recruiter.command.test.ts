import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/cli.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { signUp, t } from '../../bots/jobs/jobs-harness.ts';

let app: Awaited<ReturnType<typeof testApp>>;
const clock = manualClock(new Date('2026-12-01T09:00:00Z'));
beforeEach(async () => {
  app = await testApp({}, { clock });
});
afterEach(async () => app.dispose());

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } }, { env: { DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' }, clock, ids: { newId: () => 'org-1' } });
  return { code, out, err };
}

it('people:pending --org lists the recruiters who asked that employer; people:approve tells the recruiter in chat, once', async () => {
  expect((await cli('org:add', '--name', 'Bistro Lumière', '--code', 'bistro', '--lang', 'fr')).code).toBe(0);
  const say = await signUp(app, 'recruiter-claire', 'fr', 'recruiter', 'Claire');
  await say({ choiceId: 'work' });
  await say({ text: 'bistro' });
  const claire = await app.store.people.findByAddress({ channel: 'webchat', id: 'recruiter-claire' });
  expect((await cli('people:pending', '--org', 'bistro')).out).toContain('Claire');
  expect((await cli('people:pending', '--org', 'nowhere')).err).toContain('no organisation with code "nowhere"');
  expect((await cli('people:approve', claire!.id, '--org', 'bistro')).out).toBe(`Approved ${claire!.id} (recruiter) for "Bistro Lumière" (bistro).\n`);
  // The CLI only queues the notice; the server's outbox worker sends it.
  await app.settle();
  const seen = (await app.store.webchat.list('recruiter-claire', { limit: 100 })).map((e) => JSON.stringify(e));
  expect(seen.filter((e) => e.includes(t('fr', 'jobs:approved', { org: 'Bistro Lumière' }))).length).toBe(1);
  expect((await cli('people:pending', '--org', 'bistro')).out).toBe('Nobody is waiting for approval.\n');
});
