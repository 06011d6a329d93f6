import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { cookProfile, signUp, t } from './jobs-harness.ts';
import { fr, jobsProduct, recruiterSignsUp } from './jobs-transcript.harness.ts';

// The recruiter is on Telegram (what they were shown lives in their Telegram app, not in our
// store); the candidate is on the web chat, whose history we keep, so forgetting must erase it.
let p: Awaited<ReturnType<typeof jobsProduct>>;
let app: Awaited<ReturnType<typeof jobsProduct>>['app'];
let clock: Awaited<ReturnType<typeof jobsProduct>>['clock'];
beforeEach(async () => {
  p = await jobsProduct();
  app = p.app;
  clock = p.clock;
});
afterEach(async () => p.dispose());

/** Every row of every table, as text: what a person's traces would be found in. */
function dump(options: { readonly withoutOwnChatOf?: string } = {}): string {
  const db = (app.store as unknown as { db: Database.Database }).db;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  return tables
    .map((table) => {
      const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      // A person still with us keeps their own copy of their conversation (the web chat's history).
      const kept = table === 'webchat_history' ? rows.filter((r) => r['user_id'] !== options.withoutOwnChatOf) : rows;
      return `${table}: ${JSON.stringify(kept)}`;
    })
    .join('\n');
}

const NAME = 'Zarmina';
const MOTIVATION = 'Zarmina-motivation: زه شپږ کاله آشپزه یم';
const HER_WORDS = 'Zarmina-answer: هو، راځم';
const HIS_WORDS = 'Recruiter-question: pouvez-vous venir mardi ?';
const TITLE = 'Cuisinier-unique-title';

async function seedProfile(personId: string) {
  const profile = cookProfile(personId, {
    skillsText: 'Zarmina-skills: tandoor',
    education: [{ level: 'vocational', field: 'Zarmina-field', country: 'AF', year: 2015, finished: true, recognised: 'unknown' }],
    rightToWork: 'no',
    updatedAt: clock.now().toISOString(),
  });
  await app.store.jobs.putProfile(profile);
}

describe('forget and retention', () => {
  it('"forget" erases the profile, the application (the recruiter reads "withdrew") and the relayed messages; the retention job deletes closed jobs', async () => {
    const employer = p.employer;
    await recruiterSignsUp(p);
    const claire = (await app.store.people.listPending(employer.id))[0];
    expect((await request(app.http).post(`/api/people/${claire!.id}/approve`).set('Authorization', `Bearer ${employer.apiKey}`)).status).toBe(200);
    const posted = await request(app.http)
      .post('/api/jobs')
      .set('Authorization', `Bearer ${employer.apiKey}`)
      .send({ title: TITLE, description: 'Cuisine du midi.', occupation: { id: 'cook' }, contract: 'permanent', hoursPerWeek: 35, remote: true, closesAt: '2027-03-31', recruiterId: claire!.id });
    expect(posted.status).toBe(201);
    const jobId = posted.body.id as string;

    const her = await signUp(app, 'candidate-zarmina', 'ps', 'newcomer', NAME);
    const zarmina = await app.store.people.findByAddress({ channel: 'webchat', id: 'candidate-zarmina' });
    await seedProfile(zarmina!.id);
    await her({ choiceId: 'work' });
    await her({ choiceId: 'for-me' });
    await her({ choiceId: jobId });
    await her({ choiceId: 'apply' });
    expect((await her({ text: MOTIVATION }))[0]!.text).toBe(t('ps', 'jobs:askShareRightToWork'));
    expect((await her({ choiceId: 'no' }))[0]!.text).toBe(t('ps', 'jobs:applied'));
    // The last message is delivered again (a page retrying after a timeout): still one application.
    const retried = await request(app.http).post('/api/webchat/messages').send({ userId: 'candidate-zarmina', messageId: 'candidate-zarmina-12', choiceId: 'no' });
    expect(retried.status).toBe(200);
    expect(await app.store.jobs.applicationsOfJob(jobId)).toHaveLength(1);

    // The recruiter writes through the relay; she opens it from her menu and answers.
    await p.recruiter(fr('menu:work'));
    await p.recruiter(fr('jobs:myJobs'));
    await p.recruiter(`${TITLE} (ouverte)`);
    const [application] = await app.store.jobs.applicationsOfJob(jobId);
    await p.recruiter('1');
    await p.recruiter(fr('jobs:write'));
    await p.recruiter(HIS_WORDS);
    await her({ text: 'menu' });
    await her({ choiceId: 'open' });
    await her({ text: HER_WORDS });
    await p.settle();
    expect(dump()).toContain(HER_WORDS);
    expect(dump()).toContain(MOTIVATION);

    // She asks to be forgotten (in a relay, commands take a #: a bare word would be relayed).
    await her({ text: '#forget' });
    await her({ choiceId: 'yes' });
    await p.settle();
    const after = dump();
    // Her words, name, profile and web chat go; the recruiter's own words stay theirs (the relay keeps a side's own messages).
    for (const trace of [NAME, MOTIVATION, HER_WORDS, 'Zarmina-skills', 'Zarmina-field', 'candidate-zarmina', zarmina!.id]) {
      const line = after.split('\n').find((l) => l.includes(trace)) ?? '';
      expect(after, line.slice(Math.max(0, line.indexOf(trace) - 300), line.indexOf(trace) + 100)).not.toContain(trace);
    }
    // The recruiter's list still adds up: one application, withdrawn, with nothing of her.
    const seen = await request(app.http).get(`/api/jobs/${jobId}/applications`).set('Authorization', `Bearer ${employer.apiKey}`);
    expect(seen.body).toEqual({ applications: [{ id: application!.id, firstName: null, status: 'withdrawn', cv: t('fr', 'jobs:applicantWithdrew'), message: null, createdAt: application!.createdAt }] });
    await p.recruiter('#menu');
    await p.recruiter(fr('menu:work'));
    await p.recruiter(fr('jobs:myJobs'));
    await p.recruiter(`${TITLE} (ouverte)`);
    expect((await p.recruiter('1')).map((m) => m['text'])).toEqual([fr('jobs:applicantWithdrew')]);

    // Retention: another applicant's application goes with the job, 6 months after it closed.
    const other = await signUp(app, 'candidate-nasrin', 'ps', 'newcomer', 'Nasrin');
    const nasrin = await app.store.people.findByAddress({ channel: 'webchat', id: 'candidate-nasrin' });
    await seedProfile(nasrin!.id);
    await other({ choiceId: 'work' });
    await other({ choiceId: 'for-me' });
    await other({ choiceId: jobId });
    await other({ choiceId: 'apply' });
    await other({ text: 'Nasrin-motivation: زه هم آشپزه یم' });
    await other({ choiceId: 'no' });
    expect(dump()).toContain('Nasrin-motivation');
    await request(app.http).patch(`/api/jobs/${jobId}`).set('Authorization', `Bearer ${employer.apiKey}`).send({ status: 'closed' });
    clock.advance(182 * 24 * 3_600_000);
    expect(await app.jobsRetention.runOnce()).toBe(0);
    clock.advance(2 * 24 * 3_600_000);
    expect(await app.jobsRetention.runOnce()).toBe(1);
    const purged = dump({ withoutOwnChatOf: 'candidate-nasrin' });
    for (const trace of ['Nasrin-motivation', `"job_id":"${jobId}"`, `"id":"${jobId}"`]) expect(purged).not.toContain(trace);
    expect(purged).toMatch(/\njobs: \[\]\n/);
    expect(purged).toMatch(/\njob_applications: \[\]\n/);
    expect((await request(app.http).get(`/api/jobs/${jobId}`).set('Authorization', `Bearer ${employer.apiKey}`)).status).toBe(404);
  });
});
