import type { Collection, Db, Filter } from 'mongodb';
import type { Application, Box, Job, JobCandidate, JobStore, Profile, ProfileCandidate } from '../../core/ports/jobs.port.ts';
import { guarded } from './mongo-errors.ts';

type JobDoc = Job & { _id: string; lat: number | null; lng: number | null };
type ProfileDoc = Profile & { _id: string; lat: number | null; lng: number | null };
type ApplicationDoc = Application & { _id: string };

const strip = <T extends { _id: string }>(doc: T | null): Omit<T, '_id' | 'lat' | 'lng'> | null => {
  if (!doc) return null;
  const { _id: _id, lat: _lat, lng: _lng, ...rest } = doc as T & { lat?: unknown; lng?: unknown };
  return rest;
};

/** Jobs, profiles and applications in MongoDB, mirroring sqlite-jobs.ts (same results, same conflicts as values). */
export class MongoJobStore implements JobStore {
  private readonly jobs: Collection<JobDoc>;
  private readonly profiles: Collection<ProfileDoc>;
  private readonly applications: Collection<ApplicationDoc>;

  constructor(db: Db) {
    this.jobs = db.collection<JobDoc>('jobs');
    this.profiles = db.collection<ProfileDoc>('jobProfiles');
    this.applications = db.collection<ApplicationDoc>('jobApplications');
  }

  /** The indexes matching and erasure read through. */
  async ensureIndexes(): Promise<void> {
    await Promise.all([
      this.jobs.createIndex({ orgId: 1, createdAt: 1 }, { name: 'org_created' }),
      this.jobs.createIndex({ status: 1, lat: 1, lng: 1 }, { name: 'open_place' }),
      this.profiles.createIndex({ visible: 1, alerts: 1, lat: 1, lng: 1 }, { name: 'alertable' }),
      // One application per person and job; forgotten applicants' rows have no person.
      this.applications.createIndex({ jobId: 1, personId: 1 }, { name: 'once', unique: true, partialFilterExpression: { personId: { $type: 'string' } } }),
      this.applications.createIndex({ personId: 1 }, { name: 'person' }),
    ]);
  }

  async createJob(job: Job): Promise<boolean> {
    return guarded('job create', async () => {
      const result = await this.jobs.updateOne({ _id: job.id }, { $setOnInsert: this.jobDoc(job) }, { upsert: true });
      return result.upsertedCount === 1;
    });
  }

  async getJob(id: string): Promise<Job | null> {
    return strip(await guarded('job get', () => this.jobs.findOne({ _id: id })));
  }

  async getJobOf(orgId: string, id: string): Promise<Job | null> {
    return strip(await guarded('job get', () => this.jobs.findOne({ _id: id, orgId })));
  }

  async listJobs(orgId: string): Promise<Job[]> {
    const docs = await guarded('jobs list', () => this.jobs.find({ orgId }).sort({ createdAt: 1, _id: 1 }).toArray());
    return docs.map((d) => strip(d)!);
  }

  async updateJob(id: string, patch: Partial<Job>, at: Date): Promise<Job | null> {
    const current = await this.getJob(id);
    if (!current) return null;
    const closing = patch.status === 'closed' && current.status !== 'closed';
    const reopened = patch.status !== undefined && patch.status !== 'closed';
    const next: Job = { ...current, ...patch, updatedAt: at.toISOString(), closedAt: closing ? at.toISOString() : reopened ? null : current.closedAt };
    await guarded('job update', () => this.jobs.replaceOne({ _id: id }, this.jobDoc(next)));
    return next;
  }

  async openJobsNear(box: Box | null, now: Date): Promise<JobCandidate[]> {
    const filter: Filter<JobDoc> = { status: 'open', closesAt: { $gt: now.toISOString() } };
    if (box) filter.$or = [{ lat: { $gte: box.south, $lte: box.north }, lng: { $gte: box.west, $lte: box.east } }, { remote: true }, { lat: null }];
    const docs = await guarded('open jobs', () =>
      this.jobs.find(filter, { projection: { _id: 1, occupation: 1, lat: 1, lng: 1, remote: 1, languages: 1, skills: 1, createdAt: 1 } }).toArray(),
    );
    return docs.map((d) => ({ id: d._id, occupationId: d.occupation.id, latitude: d.lat, longitude: d.lng, remote: d.remote, languages: d.languages, skills: d.skills, createdAt: d.createdAt }));
  }

  async getProfile(personId: string): Promise<Profile | null> {
    return strip(await guarded('profile get', () => this.profiles.findOne({ _id: personId })));
  }

  async putProfile(profile: Profile): Promise<void> {
    const doc: ProfileDoc = { ...profile, _id: profile.personId, lat: profile.area?.latitude ?? null, lng: profile.area?.longitude ?? null };
    await guarded('profile put', () => this.profiles.replaceOne({ _id: profile.personId }, doc, { upsert: true }));
  }

  async visibleProfiles(options: { readonly occupationId?: string; readonly limit: number; readonly after?: string }): Promise<Profile[]> {
    const filter: Filter<ProfileDoc> = { visible: true, _id: { $gt: options.after ?? '' } };
    if (options.occupationId) filter['occupations.occupation.id'] = options.occupationId;
    const docs = await guarded('visible profiles', () => this.profiles.find(filter).sort({ _id: 1 }).limit(options.limit).toArray());
    return docs.map((d) => strip(d)!);
  }

  async alertableProfiles(box: Box | null): Promise<ProfileCandidate[]> {
    const filter: Filter<ProfileDoc> = { visible: true, alerts: true };
    if (box) filter.$or = [{ lat: { $gte: box.south, $lte: box.north }, lng: { $gte: box.west, $lte: box.east } }, { lat: null }];
    const docs = await guarded('alertable profiles', () => this.profiles.find(filter).toArray());
    return docs.map((d) => ({
      personId: d._id,
      occupationIds: d.occupations.flatMap((o) => (o.occupation.id ? [o.occupation.id] : [])),
      latitude: d.lat,
      longitude: d.lng,
      travelKm: d.travelKm,
      languages: d.languages,
      skills: d.skills,
      lastAlertAt: d.lastAlertAt,
    }));
  }

  async takeAlertSlot(personId: string, since: Date, at: Date): Promise<boolean> {
    const result = await guarded('alert slot', () =>
      this.profiles.updateOne({ _id: personId, $or: [{ lastAlertAt: null }, { lastAlertAt: { $lte: since.toISOString() } }] }, { $set: { lastAlertAt: at.toISOString() } }),
    );
    return result.modifiedCount === 1;
  }

  async apply(application: Application): Promise<boolean> {
    return guarded('apply', async () => {
      try {
        const result = await this.applications.updateOne({ _id: application.id }, { $setOnInsert: { ...application, _id: application.id } }, { upsert: true });
        return result.upsertedCount === 1;
      } catch (error) {
        // The unique (job, person) index: this person already applied, under another id.
        if ((error as { code?: unknown }).code === 11000) return false;
        throw error;
      }
    });
  }

  async getApplication(id: string): Promise<Application | null> {
    return strip(await guarded('application get', () => this.applications.findOne({ _id: id })));
  }

  async applicationsOfJob(jobId: string): Promise<Application[]> {
    const docs = await guarded('applications of job', () => this.applications.find({ jobId }).sort({ createdAt: 1, _id: 1 }).toArray());
    return docs.map((d) => strip(d)!);
  }

  async applicationsOfPerson(personId: string): Promise<Application[]> {
    const docs = await guarded('applications of person', () => this.applications.find({ personId }).sort({ createdAt: 1, _id: 1 }).toArray());
    return docs.map((d) => strip(d)!);
  }

  async updateApplication(id: string, patch: Partial<Pick<Application, 'status' | 'invite' | 'declineReason'>>, at: Date): Promise<Application | null> {
    const doc = await guarded('application update', () =>
      this.applications.findOneAndUpdate({ _id: id }, { $set: { ...patch, updatedAt: at.toISOString() } }, { returnDocument: 'after' }),
    );
    return strip(doc);
  }

  async erasePerson(personId: string): Promise<void> {
    await guarded('jobs erase', async () => {
      await this.profiles.deleteOne({ _id: personId });
      await this.applications.updateMany(
        { personId },
        { $set: { personId: null, firstName: '', status: 'withdrawn', message: null, messageLang: null, messageTranslated: null, wordsTranslated: {}, shareRightToWork: false, invite: null } },
      );
    });
  }

  async deleteClosedBefore(before: Date): Promise<number> {
    return guarded('jobs retention', async () => {
      const iso = before.toISOString();
      const ids = (
        await this.jobs.find({ $or: [{ status: 'closed', closedAt: { $lt: iso } }, { status: { $ne: 'closed' }, closesAt: { $lt: iso } }] }, { projection: { _id: 1 } }).toArray()
      ).map((d) => d._id);
      if (ids.length === 0) return 0;
      await this.applications.deleteMany({ jobId: { $in: ids } });
      await this.jobs.deleteMany({ _id: { $in: ids } });
      return ids.length;
    });
  }

  private jobDoc(job: Job): JobDoc {
    return { ...job, _id: job.id, lat: job.place?.latitude ?? null, lng: job.place?.longitude ?? null };
  }
}
