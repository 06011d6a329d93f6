import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient, consoleHarness, orgWithAdmin, type ConsoleHarness } from './console.harness.ts';

// Jobs in the console: the organisation's jobs (posted in chat or with the API), their
// applications, and pausing or closing one; another organisation's job is out of reach.

let h: ConsoleHarness;
let a: Awaited<ReturnType<typeof orgWithAdmin>>;
let b: Awaited<ReturnType<typeof orgWithAdmin>>;
const cookJob = { title: 'Cuisinier', description: 'Cuisine du midi.', occupation: { id: 'cook' }, place: { town: 'Lyon' }, contract: 'permanent', hoursPerWeek: 35, languages: [{ lang: 'fr', level: 'B1' }], skills: ['cooking'], closesAt: '2099-03-31' };

async function post(key: string, job: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${h.url}/api/jobs`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(job) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  h = await consoleHarness({ CONSOLE_SIGNIN_PER_MINUTE: '1000' });
  a = await orgWithAdmin(h, 'bistro', 'admin@bistro.org', 'chat-bistro');
  b = await orgWithAdmin(h, 'garage', 'admin@garage.org', 'chat-garage');
});
afterAll(async () => {
  await h?.close();
});

describe('console jobs', () => {
  it('lists the organisation’s jobs, shows one with its applications, and pauses or closes it', async () => {
    const mine = await post(a.org.apiKey, cookJob);
    const theirs = await post(b.org.apiKey, { ...cookJob, title: 'Mécanicien', occupation: { text: 'mécanicien' } });
    const client = new ConsoleClient(h.url);
    await client.signIn(h, 'admin@bistro.org', 'chat-bistro');
    const list = await client.get('/console/jobs');
    expect(list.text).toContain(`<a href="/console/jobs/${mine}" dir="auto">Cuisinier</a>`);
    expect(list.text).not.toContain('Mécanicien');
    const page = await client.get(`/console/jobs/${mine}`);
    expect(page.text).toContain('Applications: 0');
    expect(page.text).toContain('Cuisine du midi.');
    expect((await client.post(`/console/jobs/${mine}/status`, { status: 'paused' })).location).toBe(`/console/jobs/${mine}`);
    expect((await h.app.store.jobs.getJobOf(a.org.id, mine))?.status).toBe('paused');
    expect((await client.post(`/console/jobs/${mine}/status`, { status: 'deleted' })).status).toBe(400);
    // Another organisation's job: not found, unchanged.
    expect((await client.get(`/console/jobs/${theirs}`)).status).toBe(404);
    expect((await client.post(`/console/jobs/${theirs}/status`, { status: 'closed' })).status).toBe(404);
    expect((await h.app.store.jobs.getJobOf(b.org.id, theirs))?.status).toBe('open');
    // Without the CSRF token, nothing changes.
    expect((await client.request('POST', `/console/jobs/${mine}/status`, { status: 'closed' })).status).toBe(403);
    expect((await h.app.store.jobs.getJobOf(a.org.id, mine))?.status).toBe('paused');
    expect((await h.app.store.console.listAudit(a.org.id, 10)).find((e) => e.action === 'job.status')).toMatchObject({ target: mine, detail: 'paused' });
  });
});
