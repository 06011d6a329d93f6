import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrg } from '../../support/organisations.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { cookProfile, signUp, t } from './jobs-harness.ts';

let app: Awaited<ReturnType<typeof testApp>>;
beforeEach(async () => {
  app = await testApp({}, { clock: manualClock(new Date('2026-12-01T09:00:00Z')) });
});
afterEach(async () => app.dispose());

const fr = (key: string, params?: Record<string, string>) => t('fr', key, params);
const cookJob = {
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

async function orgs() {
  const employer = await createOrg(app.store, { code: 'bistro', name: 'Bistro Lumière', lang: 'fr' });
  const other = await createOrg(app.store, { code: 'garage', name: 'Garage Central', lang: 'fr' });
  return { employer, other, as: (key: string) => ({ auth: { Authorization: `Bearer ${key}` } }) };
}

describe('recruiters and employers', () => {
  it('an unapproved recruiter cannot post, in chat or through the API', async () => {
    const { employer } = await orgs();
    const say = await signUp(app, 'recruiter-claire', 'fr', 'recruiter', 'Claire');
    await say({ choiceId: 'work' });
    await say({ text: 'bistro' });
    // Pending: "Work" says the account waits, and offers nothing to post with.
    expect(await say({ choiceId: 'work' })).toEqual([
      { text: fr('jobs:recruiterPending', { me: { orgName: 'Bistro Lumière' } } as never), choices: [] },
      { text: fr('menu:title'), choices: expect.arrayContaining([fr('menu:work')]) },
    ]);
    const claire = await app.store.people.findByAddress({ channel: 'webchat', id: 'recruiter-claire' });
    // The API names the field when the recruiter is not approved; the employer's own key may post.
    const refused = await request(app.http).post('/api/jobs').set('Authorization', `Bearer ${employer.apiKey}`).send({ ...cookJob, recruiterId: claire!.id });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: 'invalid request', issues: [{ field: 'recruiterId', message: 'not an approved recruiter of this organisation' }] });
    expect(await app.store.jobs.listJobs(employer.id)).toEqual([]);
  });

  it('validates a job and names the field; another employer’s key gets 404 on these jobs', async () => {
    const { employer, other } = await orgs();
    const bad = await request(app.http).post('/api/jobs').set('Authorization', `Bearer ${employer.apiKey}`).send({ ...cookJob, hoursPerWeek: 90, contract: 'forever' });
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { field: string }[] }).issues.map((i) => i.field).sort()).toEqual(['contract', 'hoursPerWeek']);
    expect((await request(app.http).post('/api/jobs').send(cookJob)).status).toBe(401);

    const posted = await request(app.http).post('/api/jobs').set('Authorization', `Bearer ${employer.apiKey}`).set('Idempotency-Key', 'cook-lyon-0001').send(cookJob);
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ orgId: employer.id, title: 'Cuisinier', status: 'open', placeName: 'Lyon', closesAt: '2027-03-31T23:59:59.999Z' });
    // A retried request (same key) finds the job it made.
    const again = await request(app.http).post('/api/jobs').set('Authorization', `Bearer ${employer.apiKey}`).set('Idempotency-Key', 'cook-lyon-0001').send(cookJob);
    expect(again.body.id).toBe(posted.body.id);
    expect(await app.store.jobs.listJobs(employer.id)).toHaveLength(1);

    const id = posted.body.id as string;
    const theirs = (method: 'get' | 'patch', path: string) => request(app.http)[method](path).set('Authorization', `Bearer ${other.apiKey}`);
    expect((await theirs('get', `/api/jobs/${id}`)).status).toBe(404);
    expect((await theirs('patch', `/api/jobs/${id}`).send({ status: 'closed' })).status).toBe(404);
    expect((await theirs('get', `/api/jobs/${id}/applications`)).status).toBe(404);
    expect((await theirs('get', '/api/jobs')).body).toEqual({ jobs: [] });

    const paused = await request(app.http).patch(`/api/jobs/${id}`).set('Authorization', `Bearer ${employer.apiKey}`).send({ status: 'paused' });
    expect(paused.body).toMatchObject({ status: 'paused' });
    expect((await request(app.http).patch(`/api/jobs/${id}`).set('Authorization', `Bearer ${employer.apiKey}`).send({ colour: 'red' })).body).toEqual({
      error: 'invalid request',
      issues: [
        { field: 'colour', message: 'unknown field' },
        { field: 'body', message: 'nothing to change' },
      ],
    });
  });
});

describe('a recruiter’s jobs in chat', () => {
  it('lists, edits, pauses and closes a job', async () => {
    const { employer } = await orgs();
    const say = await signUp(app, 'recruiter-claire', 'fr', 'recruiter', 'Claire');
    await say({ choiceId: 'work' });
    await say({ text: 'bistro' });
    const claire = await app.store.people.findByAddress({ channel: 'webchat', id: 'recruiter-claire' });
    await request(app.http).post(`/api/people/${claire!.id}/approve`).set('Authorization', `Bearer ${employer.apiKey}`);
    const posted = await request(app.http).post('/api/jobs').set('Authorization', `Bearer ${employer.apiKey}`).send({ ...cookJob, recruiterId: claire!.id });
    const id = posted.body.id as string;
    await say({ choiceId: 'work' });
    expect(await say({ choiceId: 'mine' })).toEqual([{ text: fr('jobs:yourJobs'), choices: ['Cuisinier (ouverte)', fr('jobs:back')] }]);
    expect(await say({ choiceId: id })).toEqual([
      { text: fr('jobs:recruiterJob', { job: { title: 'Cuisinier', count: 0 } } as never), choices: [fr('jobs:pause'), fr('jobs:close'), fr('jobs:edit'), fr('jobs:back')] },
    ]);
    await say({ choiceId: 'change' });
    expect(await say({ choiceId: 'title' })).toEqual([{ text: fr('jobs:askTitle'), choices: [] }]);
    expect((await say({ text: 'Cuisinier de collectivité' }))[0]!.text).toBe(fr('jobs:jobUpdated'));
    expect(await app.store.jobs.getJob(id)).toMatchObject({ title: 'Cuisinier de collectivité', translations: {} });
    await say({ choiceId: 'pause' });
    expect((await app.store.jobs.getJob(id))?.status).toBe('paused');
    await say({ choiceId: 'close' });
    expect(await app.store.jobs.getJob(id)).toMatchObject({ status: 'closed', closedAt: '2026-12-01T09:00:00.000Z' });
  });
});

describe('the right to work', () => {
  it('answered "no" and not shared: absent from every view the recruiter gets (chat CV and API)', async () => {
    const { employer } = await orgs();
    const posted = await request(app.http).post('/api/jobs').set('Authorization', `Bearer ${employer.apiKey}`).send(cookJob);
    const say = await signUp(app, 'candidate-rana', 'fr', 'newcomer', 'Rana');
    const rana = await app.store.people.findByAddress({ channel: 'webchat', id: 'candidate-rana' });
    const profile = cookProfile(rana!.id, { languages: [{ lang: 'fr', level: 'B2', source: 'certificate' }], rightToWork: 'no' });
    await app.store.jobs.putProfile(profile);
    await say({ choiceId: 'work' });
    await say({ choiceId: 'for-me' });
    await say({ choiceId: posted.body.id as string });
    await say({ choiceId: 'apply' });
    await say({ choiceId: 'skip' });
    expect(await say({ choiceId: 'no' })).toEqual([{ text: fr('jobs:applied'), choices: [] }, expect.objectContaining({ text: fr('jobs:hub') })]);
    // Her own CV shows it; the employer's API never does.
    expect((await say({ choiceId: 'profile' }))[0]!.text).toContain(fr('jobs:cvRightToWork', { value: fr('jobs:rightToWork.no') }));
    const seen = await request(app.http).get(`/api/jobs/${posted.body.id as string}/applications`).set('Authorization', `Bearer ${employer.apiKey}`);
    expect(seen.status).toBe(200);
    const body = JSON.stringify(seen.body);
    expect(body).toContain('Rana');
    expect(body).not.toContain(fr('jobs:part.rightToWork'));
    expect(body).not.toMatch(/rightToWork/);
    expect(body).not.toContain('candidate-rana');

    // Found by recruiters only when visible, and then without the right to work.
    const found = await request(app.http).get('/api/candidates?occupation=cook').set('Authorization', `Bearer ${employer.apiKey}`);
    expect(found.body).toEqual({ candidates: [{ id: rana!.id, firstName: 'Rana', cv: expect.stringContaining('Rana') }], next: null });
    expect(JSON.stringify(found.body)).not.toContain(fr('jobs:part.rightToWork'));
    await app.store.jobs.putProfile({ ...profile, visible: false });
    expect((await request(app.http).get('/api/candidates').set('Authorization', `Bearer ${employer.apiKey}`)).body).toEqual({ candidates: [], next: null });
    expect((await request(app.http).get('/api/candidates?limit=0').set('Authorization', `Bearer ${employer.apiKey}`)).status).toBe(400);
  });
});
