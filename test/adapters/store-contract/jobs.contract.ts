import { describe, expect, it } from 'vitest';
import type { Application, Job, Profile } from '../../../core/ports/jobs.port.ts';
import { orgWith, personWith, uid, type StoreUnderTest } from './fixtures.ts';

const at = '2026-12-01T09:00:00.000Z';

export function jobWith(orgId: string, overrides: Partial<Job> = {}): Job {
  return {
    id: `job-${uid()}`,
    orgId,
    recruiterId: null,
    title: 'Cuisinier — آشپز',
    description: 'Cuisine du midi.',
    sourceLang: 'fr',
    translations: {},
    occupation: { id: 'cook', text: null },
    place: { latitude: 45.764, longitude: 4.836, label: 'Lyon' },
    placeName: 'Lyon',
    remote: false,
    contract: 'permanent',
    hoursPerWeek: 35,
    languages: [{ lang: 'fr', level: 'B1' }],
    skills: ['cooking'],
    pay: null,
    closesAt: '2027-03-31T23:59:59.999Z',
    status: 'open',
    closedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

function profileWith(personId: string, overrides: Partial<Profile> = {}): Profile {
  return {
    personId,
    occupations: [{ occupation: { id: 'cook', text: null }, years: 6 }],
    skills: ['cooking'],
    skillsText: null,
    languages: [{ lang: 'fr', level: 'B1', source: 'self-check' }],
    education: [],
    availability: 'now',
    area: { latitude: 45.77, longitude: 4.89, label: 'Villeurbanne' },
    travelKm: 30,
    rightToWork: 'no',
    visible: true,
    alerts: true,
    lastAlertAt: null,
    updatedAt: at,
    ...overrides,
  };
}

export function applicationWith(job: Job, personId: string, overrides: Partial<Application> = {}): Application {
  return {
    id: `app-${uid()}`,
    jobId: job.id,
    orgId: job.orgId,
    personId,
    firstName: 'احمد',
    status: 'applied',
    message: 'زه آشپز یم',
    messageLang: 'ps',
    messageTranslated: 'Je suis cuisinier',
    wordsTranslated: { آشپزي: 'cuisine' },
    shareRightToWork: false,
    invite: null,
    declineReason: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** Jobs, profiles and applications: the same results and the same conflicts (as values) on every store. */
export function jobsContract(store: StoreUnderTest): void {
  describe('jobs', () => {
    const setup = async () => {
      const org = orgWith();
      await store().organisations.create(org);
      const person = personWith();
      await store().people.create(person);
      return { org, person };
    };

    it('creates a job once, reads it back, scoped to its organisation', async () => {
      const { org } = await setup();
      const job = jobWith(org.id);
      expect(await store().jobs.createJob(job)).toBe(true);
      expect(await store().jobs.createJob({ ...job, title: 'again' })).toBe(false);
      expect(await store().jobs.getJob(job.id)).toEqual(job);
      expect(await store().jobs.getJobOf(org.id, job.id)).toEqual(job);
      expect(await store().jobs.getJobOf(uid(), job.id)).toBeNull();
      expect(await store().jobs.listJobs(org.id)).toEqual([job]);
    });

    it('updates a job: closing stamps closedAt, reopening clears it; unknown is null', async () => {
      const { org } = await setup();
      const job = jobWith(org.id);
      await store().jobs.createJob(job);
      const closed = await store().jobs.updateJob(job.id, { status: 'closed' }, new Date('2026-12-02T00:00:00Z'));
      expect(closed).toMatchObject({ status: 'closed', closedAt: '2026-12-02T00:00:00.000Z', updatedAt: '2026-12-02T00:00:00.000Z' });
      expect(await store().jobs.updateJob(job.id, { status: 'open' }, new Date('2026-12-03T00:00:00Z'))).toMatchObject({ status: 'open', closedAt: null });
      expect(await store().jobs.updateJob(`job-${uid()}`, { status: 'open' }, new Date())).toBeNull();
    });

    it('finds open jobs in a box, remote ones and those of unknown place, not closed or past their date', async () => {
      const { org } = await setup();
      const near = jobWith(org.id);
      const remote = jobWith(org.id, { place: null, placeName: null, remote: true });
      const unknown = jobWith(org.id, { place: null, placeName: 'Lyon' });
      const far = jobWith(org.id, { place: { latitude: 48.85, longitude: 2.35, label: 'Paris' } });
      const paused = jobWith(org.id, { status: 'paused' });
      const past = jobWith(org.id, { closesAt: '2026-11-30T23:59:59.999Z' });
      for (const job of [near, remote, unknown, far, paused, past]) await store().jobs.createJob(job);
      const found = await store().jobs.openJobsNear({ south: 45.5, north: 46, west: 4.5, east: 5.2 }, new Date(at));
      const ids = new Set(found.map((j) => j.id));
      expect(ids.has(near.id) && ids.has(remote.id) && ids.has(unknown.id)).toBe(true);
      expect(ids.has(far.id) || ids.has(paused.id) || ids.has(past.id)).toBe(false);
      expect(found.find((j) => j.id === near.id)).toEqual({ id: near.id, occupationId: 'cook', latitude: 45.764, longitude: 4.836, remote: false, languages: near.languages, skills: ['cooking'], createdAt: at });
    });

    it('stores a profile; alertable profiles are visible ones with alerts on; the day’s alert slot is taken once', async () => {
      const { person } = await setup();
      const profile = profileWith(person.id);
      await store().jobs.putProfile(profile);
      expect(await store().jobs.getProfile(person.id)).toEqual(profile);
      const box = { south: 45.5, north: 46, west: 4.5, east: 5.2 };
      expect((await store().jobs.alertableProfiles(box)).find((c) => c.personId === person.id)).toEqual({
        personId: person.id,
        occupationIds: ['cook'],
        latitude: 45.77,
        longitude: 4.89,
        travelKm: 30,
        languages: profile.languages,
        skills: ['cooking'],
        lastAlertAt: null,
      });
      const since = new Date('2026-11-30T09:00:00Z');
      expect(await store().jobs.takeAlertSlot(person.id, since, new Date(at))).toBe(true);
      expect(await store().jobs.takeAlertSlot(person.id, since, new Date(at))).toBe(false);
      expect((await store().jobs.getProfile(person.id))?.lastAlertAt).toBe(at);
      await store().jobs.putProfile({ ...profile, alerts: false });
      expect((await store().jobs.alertableProfiles(box)).some((c) => c.personId === person.id)).toBe(false);
    });

    it('lists only the profiles people chose to show, by occupation, in pages', async () => {
      const people = [personWith(), personWith(), personWith()].sort((a, b) => a.id.localeCompare(b.id));
      for (const p of people) await store().people.create(p);
      await store().jobs.putProfile(profileWith(people[0]!.id));
      await store().jobs.putProfile(profileWith(people[1]!.id, { visible: false }));
      await store().jobs.putProfile(profileWith(people[2]!.id, { occupations: [{ occupation: { id: 'nurse', text: null }, years: 2 }] }));
      const ids = async (options: Parameters<ReturnType<StoreUnderTest>['jobs']['visibleProfiles']>[0]) =>
        (await store().jobs.visibleProfiles(options)).map((p) => p.personId).filter((id) => people.some((p) => p.id === id));
      expect(await ids({ limit: 1000 })).toEqual([people[0]!.id, people[2]!.id]);
      expect(await ids({ occupationId: 'nurse', limit: 1000 })).toEqual([people[2]!.id]);
      expect(await ids({ limit: 1000, after: people[0]!.id })).toEqual([people[2]!.id]);
    });

    it('one application per person and job; updates; erasing the person leaves a bare withdrawn row', async () => {
      const { org, person } = await setup();
      const job = jobWith(org.id);
      await store().jobs.createJob(job);
      await store().jobs.putProfile(profileWith(person.id));
      const application = applicationWith(job, person.id);
      expect(await store().jobs.apply(application)).toBe(true);
      expect(await store().jobs.apply(application)).toBe(false);
      expect(await store().jobs.apply({ ...application, id: `app-${uid()}` })).toBe(false);
      expect(await store().jobs.applicationsOfJob(job.id)).toEqual([application]);
      expect(await store().jobs.applicationsOfPerson(person.id)).toEqual([application]);
      const shortlisted = await store().jobs.updateApplication(application.id, { status: 'shortlisted' }, new Date('2026-12-02T00:00:00Z'));
      expect(shortlisted).toEqual({ ...application, status: 'shortlisted', updatedAt: '2026-12-02T00:00:00.000Z' });
      expect(await store().jobs.updateApplication(`app-${uid()}`, { status: 'declined' }, new Date())).toBeNull();

      await store().jobs.erasePerson(person.id);
      expect(await store().jobs.getProfile(person.id)).toBeNull();
      expect(await store().jobs.applicationsOfPerson(person.id)).toEqual([]);
      expect(await store().jobs.getApplication(application.id)).toEqual({
        ...shortlisted,
        personId: null,
        firstName: '',
        status: 'withdrawn',
        message: null,
        messageLang: null,
        messageTranslated: null,
        wordsTranslated: {},
        shareRightToWork: false,
        invite: null,
      });
    });

    it('people.erase erases the person’s applications and profile too', async () => {
      const { org, person } = await setup();
      const job = jobWith(org.id);
      await store().jobs.createJob(job);
      await store().jobs.putProfile(profileWith(person.id));
      const application = applicationWith(job, person.id);
      await store().jobs.apply(application);
      expect(await store().people.erase(person.id)).toBe(true);
      expect(await store().jobs.getProfile(person.id)).toBeNull();
      expect(await store().jobs.getApplication(application.id)).toMatchObject({ personId: null, firstName: '', status: 'withdrawn', message: null });
    });

    it('retention deletes jobs closed (or past their date) before the cut, with their applications', async () => {
      const { org, person } = await setup();
      const old = jobWith(org.id, { status: 'closed', closedAt: '2026-05-01T00:00:00.000Z' });
      const recent = jobWith(org.id, { status: 'closed', closedAt: '2026-11-01T00:00:00.000Z' });
      const expired = jobWith(org.id, { closesAt: '2026-04-30T23:59:59.999Z' });
      const open = jobWith(org.id);
      for (const job of [old, recent, expired, open]) await store().jobs.createJob(job);
      const application = applicationWith(old, person.id);
      await store().jobs.apply(application);
      expect(await store().jobs.deleteClosedBefore(new Date('2026-06-01T00:00:00Z'))).toBe(2);
      expect(await store().jobs.getJob(old.id)).toBeNull();
      expect(await store().jobs.getJob(expired.id)).toBeNull();
      expect(await store().jobs.getApplication(application.id)).toBeNull();
      expect(await store().jobs.getJob(recent.id)).not.toBeNull();
      expect(await store().jobs.getJob(open.id)).not.toBeNull();
    });
  });
}
