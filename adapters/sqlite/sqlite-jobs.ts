import type Database from 'better-sqlite3';
import type { Application, Job, JobCandidate, JobStore, Profile, ProfileCandidate } from '../../core/ports/jobs.port.ts';

interface DocRow {
  doc: string;
}

/** Jobs, profiles and applications in SQLite: one JSON document per row, filter columns beside it. */
export function sqliteJobs(db: Database.Database): JobStore & { eraseInTransaction(personId: string): void } {
  const insertJob = db.prepare(
    `INSERT INTO jobs (id, org_id, status, occupation_id, latitude, longitude, remote, closes_at, closed_at, created_at, doc)
     VALUES (@id, @org_id, @status, @occupation_id, @latitude, @longitude, @remote, @closes_at, @closed_at, @created_at, @doc) ON CONFLICT (id) DO NOTHING`,
  );
  const writeJob = db.prepare(
    `UPDATE jobs SET status = @status, occupation_id = @occupation_id, latitude = @latitude, longitude = @longitude, remote = @remote,
       closes_at = @closes_at, closed_at = @closed_at, doc = @doc WHERE id = @id`,
  );
  const jobById = db.prepare<[string], DocRow>('SELECT doc FROM jobs WHERE id = ?');
  const jobsOfOrg = db.prepare<[string], DocRow>('SELECT doc FROM jobs WHERE org_id = ? ORDER BY created_at, rowid');
  // Why only a few fields out of the JSON: thousands of open jobs are scored per "jobs for me".
  const matchColumns = `id, occupation_id, latitude, longitude, remote, created_at,
    json_extract(doc, '$.languages') AS languages, json_extract(doc, '$.skills') AS skills`;
  const openInBox = db.prepare<[string, number, number, number, number], MatchRow>(
    `SELECT ${matchColumns} FROM jobs WHERE status = 'open' AND closes_at > ?
       AND ((latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?) OR remote = 1 OR latitude IS NULL)`,
  );
  const openAll = db.prepare<[string], MatchRow>(`SELECT ${matchColumns} FROM jobs WHERE status = 'open' AND closes_at > ?`);

  const profileById = db.prepare<[string], DocRow>('SELECT doc FROM job_profiles WHERE person_id = ?');
  const upsertProfile = db.prepare(
    `INSERT INTO job_profiles (person_id, visible, alerts, latitude, longitude, last_alert_at, doc)
     VALUES (@person_id, @visible, @alerts, @latitude, @longitude, @last_alert_at, @doc)
     ON CONFLICT (person_id) DO UPDATE SET visible = excluded.visible, alerts = excluded.alerts, latitude = excluded.latitude,
       longitude = excluded.longitude, last_alert_at = excluded.last_alert_at, doc = excluded.doc`,
  );
  const profileColumns = `person_id, latitude, longitude, last_alert_at, json_extract(doc, '$.travelKm') AS travel_km,
    json_extract(doc, '$.languages') AS languages, json_extract(doc, '$.skills') AS skills,
    json_extract(doc, '$.occupations') AS occupations`;
  const alertInBox = db.prepare<[number, number, number, number], ProfileRow>(
    `SELECT ${profileColumns} FROM job_profiles WHERE visible = 1 AND alerts = 1
       AND ((latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?) OR latitude IS NULL)`,
  );
  const alertAll = db.prepare<[], ProfileRow>(`SELECT ${profileColumns} FROM job_profiles WHERE visible = 1 AND alerts = 1`);
  const visible = db.prepare<[string, string | null, string | null, number], DocRow>(
    `SELECT doc FROM job_profiles WHERE visible = 1 AND person_id > ?
       AND (? IS NULL OR EXISTS (SELECT 1 FROM json_each(doc, '$.occupations') WHERE json_extract(value, '$.occupation.id') = ?))
     ORDER BY person_id LIMIT ?`,
  );
  const takeSlot = db.prepare(
    `UPDATE job_profiles SET last_alert_at = @at, doc = json_set(doc, '$.lastAlertAt', @at)
     WHERE person_id = @person_id AND (last_alert_at IS NULL OR last_alert_at <= @since)`,
  );

  const insertApplication = db.prepare(
    'INSERT INTO job_applications (id, job_id, person_id, created_at, doc) VALUES (@id, @job_id, @person_id, @created_at, @doc) ON CONFLICT DO NOTHING',
  );
  const applicationById = db.prepare<[string], DocRow>('SELECT doc FROM job_applications WHERE id = ?');
  const applicationsOfJob = db.prepare<[string], DocRow>('SELECT doc FROM job_applications WHERE job_id = ? ORDER BY created_at, rowid');
  const applicationsOfPerson = db.prepare<[string], DocRow>('SELECT doc FROM job_applications WHERE person_id = ? ORDER BY created_at, rowid');
  const writeApplication = db.prepare('UPDATE job_applications SET doc = ? WHERE id = ?');
  const deleteApplication = db.prepare('DELETE FROM job_applications WHERE id = ?');
  const insertTombstone = db.prepare('INSERT INTO job_applications (id, job_id, person_id, created_at, doc) VALUES (?, ?, NULL, ?, ?)');
  const deleteProfile = db.prepare('DELETE FROM job_profiles WHERE person_id = ?');
  const expired = db.prepare<[string, string], { id: string }>(
    `SELECT id FROM jobs WHERE (status = 'closed' AND closed_at < ?) OR (status <> 'closed' AND closes_at < ?)`,
  );
  const deleteJob = db.prepare('DELETE FROM jobs WHERE id = ?');

  const jobParams = (job: Job) => ({
    id: job.id,
    org_id: job.orgId,
    status: job.status,
    occupation_id: job.occupation.id,
    latitude: job.place?.latitude ?? null,
    longitude: job.place?.longitude ?? null,
    remote: job.remote ? 1 : 0,
    closes_at: job.closesAt,
    closed_at: job.closedAt,
    created_at: job.createdAt,
    doc: JSON.stringify(job),
  });
  const parse = <T>(row: DocRow | undefined): T | null => (row ? (JSON.parse(row.doc) as T) : null);

  const updateApplication = db.transaction((id: string, patch: Partial<Application>, at: string): Application | null => {
    const current = parse<Application>(applicationById.get(id));
    if (!current) return null;
    const next: Application = { ...current, ...patch, updatedAt: at };
    writeApplication.run(JSON.stringify(next), id);
    return next;
  });
  const erase = db.transaction((personId: string) => {
    deleteProfile.run(personId);
    for (const row of applicationsOfPerson.all(personId)) {
      const a = JSON.parse(row.doc) as Application;
      // Why delete and insert rather than update: the old row's bytes are zeroed by secure_delete.
      deleteApplication.run(a.id);
      const tombstone: Application = {
        ...a,
        personId: null,
        firstName: '',
        status: 'withdrawn',
        message: null,
        messageLang: null,
        messageTranslated: null,
        wordsTranslated: {},
        shareRightToWork: false,
        invite: null,
      };
      insertTombstone.run(a.id, a.jobId, a.createdAt, JSON.stringify(tombstone));
    }
  });
  const purge = db.transaction((before: string): number => {
    const ids = expired.all(before, before);
    for (const { id } of ids) deleteJob.run(id);
    return ids.length;
  });

  return {
    async createJob(job) {
      return insertJob.run(jobParams(job)).changes === 1;
    },
    async getJob(id) {
      return parse<Job>(jobById.get(id));
    },
    async getJobOf(orgId, id) {
      const job = parse<Job>(jobById.get(id));
      return job && job.orgId === orgId ? job : null;
    },
    async listJobs(orgId) {
      return jobsOfOrg.all(orgId).map((r) => JSON.parse(r.doc) as Job);
    },
    async updateJob(id, patch, at) {
      const current = parse<Job>(jobById.get(id));
      if (!current) return null;
      const closing = patch.status === 'closed' && current.status !== 'closed';
      const reopened = patch.status !== undefined && patch.status !== 'closed';
      const next: Job = { ...current, ...patch, updatedAt: at.toISOString(), closedAt: closing ? at.toISOString() : reopened ? null : current.closedAt };
      writeJob.run(jobParams(next));
      return next;
    },
    async openJobsNear(box, now) {
      const rows = box ? openInBox.all(now.toISOString(), box.south, box.north, box.west, box.east) : openAll.all(now.toISOString());
      return rows.map(jobCandidate);
    },
    async getProfile(personId) {
      return parse<Profile>(profileById.get(personId));
    },
    async putProfile(profile) {
      upsertProfile.run({
        person_id: profile.personId,
        visible: profile.visible ? 1 : 0,
        alerts: profile.alerts ? 1 : 0,
        latitude: profile.area?.latitude ?? null,
        longitude: profile.area?.longitude ?? null,
        last_alert_at: profile.lastAlertAt,
        doc: JSON.stringify(profile),
      });
    },
    async visibleProfiles({ occupationId, limit, after }) {
      return visible.all(after ?? '', occupationId ?? null, occupationId ?? null, limit).map((r) => JSON.parse(r.doc) as Profile);
    },
    async alertableProfiles(box) {
      const rows = box ? alertInBox.all(box.south, box.north, box.west, box.east) : alertAll.all();
      return rows.map(profileCandidate);
    },
    async takeAlertSlot(personId, since, at) {
      return takeSlot.run({ person_id: personId, since: since.toISOString(), at: at.toISOString() }).changes === 1;
    },
    async apply(application) {
      return (
        insertApplication.run({
          id: application.id,
          job_id: application.jobId,
          person_id: application.personId,
          created_at: application.createdAt,
          doc: JSON.stringify(application),
        }).changes === 1
      );
    },
    async getApplication(id) {
      return parse<Application>(applicationById.get(id));
    },
    async applicationsOfJob(jobId) {
      return applicationsOfJob.all(jobId).map((r) => JSON.parse(r.doc) as Application);
    },
    async applicationsOfPerson(personId) {
      return applicationsOfPerson.all(personId).map((r) => JSON.parse(r.doc) as Application);
    },
    async updateApplication(id, patch, at) {
      return updateApplication(id, patch, at.toISOString());
    },
    async erasePerson(personId) {
      erase(personId);
    },
    eraseInTransaction: (personId) => erase(personId),
    async deleteClosedBefore(before) {
      return purge(before.toISOString());
    },
  };
}

interface MatchRow {
  id: string;
  occupation_id: string | null;
  latitude: number | null;
  longitude: number | null;
  remote: number;
  created_at: string;
  languages: string;
  skills: string;
}

interface ProfileRow {
  person_id: string;
  latitude: number | null;
  longitude: number | null;
  last_alert_at: string | null;
  travel_km: number;
  languages: string;
  skills: string;
  occupations: string;
}

function jobCandidate(row: MatchRow): JobCandidate {
  return {
    id: row.id,
    occupationId: row.occupation_id,
    latitude: row.latitude,
    longitude: row.longitude,
    remote: row.remote === 1,
    languages: JSON.parse(row.languages) as JobCandidate['languages'],
    skills: JSON.parse(row.skills) as string[],
    createdAt: row.created_at,
  };
}

function profileCandidate(row: ProfileRow): ProfileCandidate {
  const occupations = JSON.parse(row.occupations) as Profile['occupations'];
  return {
    personId: row.person_id,
    occupationIds: occupations.flatMap((o) => (o.occupation.id ? [o.occupation.id] : [])),
    latitude: row.latitude,
    longitude: row.longitude,
    travelKm: row.travel_km,
    languages: JSON.parse(row.languages) as ProfileCandidate['languages'],
    skills: JSON.parse(row.skills) as string[],
    lastAlertAt: row.last_alert_at,
  };
}
