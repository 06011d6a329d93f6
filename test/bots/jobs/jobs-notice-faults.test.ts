import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CANDIDATE_WA, RECRUITER, fr, jobsProduct, ps, recruiterSignsUp, wa } from './jobs-transcript.harness.ts';
import { alertableCook } from './jobs-harness.ts';

let p: Awaited<ReturnType<typeof jobsProduct>>;
beforeEach(async () => {
  p = await jobsProduct();
});
afterEach(async () => p.dispose());

/** The next call of a store method throws a store error once; later calls go through. */
function failOnce<T extends object>(target: T, method: keyof T & string): void {
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
  let failed = false;
  (target as Record<string, unknown>)[method] = (...args: unknown[]) => {
    if (failed) return original(...args);
    failed = true;
    return Promise.reject(new Error('store unavailable'));
  };
}

async function pendingRecruiterId(): Promise<string> {
  await recruiterSignsUp(p);
  const pending = await p.admin(p.employer.apiKey).get('/api/people/pending');
  return (pending.body as { people: { id: string }[] }).people[0]!.id;
}

describe('notices are not lost when the state is written first', () => {
  for (const fault of ['outbox', 'people'] as const) {
    it(`a recruiter's approval that fails on the ${fault} store once is retried and tells them exactly once`, async () => {
      const id = await pendingRecruiterId();
      if (fault === 'outbox') failOnce(p.app.store.outbox, 'enqueue');
      else failOnce(p.app.store.people, 'update');
      const before = p.api.sentMessages().length;
      expect((await p.admin(p.employer.apiKey).post(`/api/people/${id}/approve`)).status).toBe(500);
      // Still waiting: the retry approves.
      expect((await p.app.store.people.get(id))?.roleStatus).toBe('pending');
      expect((await p.admin(p.employer.apiKey).post(`/api/people/${id}/approve`)).body).toEqual({ id, role: 'recruiter', roleStatus: 'active' });
      expect((await p.admin(p.employer.apiKey).post(`/api/people/${id}/approve`)).status).toBe(409);
      await p.settle();
      expect(p.api.sentMessages().slice(before)).toEqual([{ chat_id: RECRUITER.id, text: fr('jobs:approved', { org: 'Bistro Lumière' }) }]);
    });
  }

  it("a job alert whose send fails once is sent by the posting's retry, exactly once, and takes the day's slot", async () => {
    const person = await alertableCook(p.app, p.clock.now().toISOString(), 'p-ahmad', CANDIDATE_WA, true);
    await p.candidate(wa.text('سلام'));
    const job = {
      title: 'Cuisinier',
      description: 'Cuisine du midi.',
      occupation: { id: 'cook' },
      place: { town: 'Lyon' },
      contract: 'permanent',
      hoursPerWeek: 35,
      languages: [{ lang: 'fr', level: 'B1' }],
      skills: ['cooking'],
      closesAt: '2027-03-31',
    };
    const post = () => p.admin(p.employer.apiKey).post('/api/jobs', job).set('Idempotency-Key', 'cuisinier-2026');
    failOnce(p.app.store.outbox, 'enqueue');
    expect((await post()).status).toBe(500);
    expect((await p.app.store.jobs.getProfile(person.id))?.lastAlertAt).toBeNull();
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(201);
    await p.settle();
    const alerts = p.graph.delivered.filter((b) => JSON.stringify(b).includes(ps('jobs:alertStop', { words: '' }).slice(0, 12)));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ to: CANDIDATE_WA });
    expect((await p.app.store.jobs.getProfile(person.id))?.lastAlertAt).not.toBeNull();
  });
});
