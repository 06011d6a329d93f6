import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { Address } from '../../core/messages.ts';
import { preferredAddress } from '../../core/pipeline/freshest-address.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Application, Job } from '../../core/ports/jobs.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { NewOutboxMessage } from '../../core/ports/outbox.port.ts';
import type { Person } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { TranslationService } from '../../core/translation/translation-service.ts';
import { JobsText } from './jobs-text.ts';
import { ALERT_THRESHOLD, MAX_TRAVEL_KM, boxAround, scoreJob } from './matching.ts';

/** What the job board is built from. */
export interface JobBoardDeps {
  readonly store: Store;
  readonly translation: TranslationService;
  readonly text: TextRenderer;
  /** Queues messages in the outbox and wakes its worker. */
  readonly send: (messages: readonly NewOutboxMessage[]) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
}

const DAY_MS = 24 * 3_600_000;

/**
 * What both roads into the jobs flow share (the chat and the admin API): jobs translated once
 * per reader language, alerts to matching candidates, and every word between a recruiter and an
 * applicant as an outbox row in the reader's language. Ids of outbox rows derive from what
 * caused them, so a replayed effect or a retried request sends nothing twice.
 */
export class JobBoard {
  constructor(private readonly deps: JobBoardDeps) {}

  words(lang: string): JobsText {
    return new JobsText(this.deps.text, lang);
  }

  /** The job's title and description in `lang`, translated the first time a reader needs it and stored with the job. */
  async inLanguage(job: Job, lang: string): Promise<{ title: string; description: string }> {
    if (lang === job.sourceLang) return { title: job.title, description: job.description };
    const stored = job.translations[lang];
    if (stored) return stored;
    // Not cached: the job keeps its own translations, and the retention job must leave none behind.
    const result = await this.deps.translation.translateTemplates({ texts: [job.title, job.description], source: job.sourceLang, targets: [lang], glossary: null, cache: false });
    const [title, description] = result.get(lang) ?? [];
    if (title?.kind !== 'translated' || description?.kind !== 'translated') return { title: job.title, description: job.description };
    const translated = { title: title.text, description: description.text };
    await this.deps.store.jobs.updateJob(job.id, { translations: { ...job.translations, [lang]: translated } }, this.deps.clock.now());
    return translated;
  }

  /**
   * Several of a person's own words for one reader, in one request (never cached): by original
   * text; those that could not be translated are left out (shown as written).
   */
  async translateMany(texts: readonly string[], from: string, to: string): Promise<Record<string, string>> {
    const unique = [...new Set(texts.filter((t) => t.trim() !== ''))];
    if (from === to || unique.length === 0) return {};
    const results = (await this.deps.translation.translateTemplates({ texts: unique, source: from, targets: [to], glossary: null, cache: false })).get(to) ?? [];
    const out: Record<string, string> = {};
    results.forEach((r, i) => {
      if (r.kind === 'translated') out[unique[i]!] = r.text;
    });
    return out;
  }

  /** Sends a notice to a person on the channel they chose, else the one they last wrote from. `id` is the outbox row's idempotency key. */
  async tell(person: Person, id: string, text: string): Promise<void> {
    const to: Address | null = await preferredAddress(person, this.deps.store);
    if (!to) return;
    await this.deps.send([{ id, kind: 'notice', to, reply: { lang: person.lang, message: { type: 'text', text } }, inboundAt: null }]);
  }

  /**
   * Alerts for a new job: every visible profile with alerts on that it matches well hears of it,
   * at most once a day (the store takes the day's slot atomically, so two new jobs at once never
   * make two notices). Returns how many were told.
   */
  async alert(job: Job): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const box = job.place && !job.remote ? boxAround(job.place.latitude, job.place.longitude, MAX_TRAVEL_KM) : null;
    const candidates = await store.jobs.alertableProfiles(box);
    const since = new Date(now.getTime() - DAY_MS);
    let told = 0;
    const target = { occupationId: job.occupation.id, skills: job.skills, languages: job.languages, latitude: job.place?.latitude ?? null, longitude: job.place?.longitude ?? null, remote: job.remote };
    for (const profile of candidates) {
      if (profile.lastAlertAt !== null && profile.lastAlertAt > since.toISOString()) continue;
      const match = scoreJob(target, { ...profile, occupationIds: profile.occupationIds });
      if (!match || match.score < ALERT_THRESHOLD) continue;
      const person = await store.people.get(profile.personId);
      if (!person) continue;
      const words = this.words(person.lang);
      const { title } = await this.inLanguage(job, person.lang);
      const stop = (this.deps.text(person.lang, 'jobs:stopAlertsWords', { returnObjects: true }) as unknown as string[])[0] ?? 'stop alerts';
      // Sent before the day's slot is taken: a failure in between leaves the slot free and the
      // retry queues the same row (one id per person and day, so two new jobs at once tell once).
      await this.tell(person, `jobs-alert:${person.id}:${now.toISOString().slice(0, 10)}`, `${words.t('alert', { title, reason: words.reason(match) })}\n${words.t('alertStop', { words: stop.toUpperCase() })}`);
      if (await store.jobs.takeAlertSlot(profile.personId, since, now)) told++;
    }
    this.deps.logger.info({ job: job.id, candidates: candidates.length, told }, 'job alerts sent');
    return told;
  }

  /** Tells the applicant, in their language, what the recruiter decided. */
  async tellApplicant(application: Application, job: Job, key: string): Promise<void> {
    if (!application.personId) return;
    const person = await this.deps.store.people.get(application.personId);
    if (!person) return;
    const org = await this.deps.store.organisations.get(job.orgId);
    const words = this.words(person.lang);
    const { title } = await this.inLanguage(job, person.lang);
    const params: Record<string, string> = { title, employer: org?.name ?? '', at: application.invite?.at ?? '', where: application.invite?.where ?? '' };
    if (application.declineReason) params['reason'] = words.t(`declineReason.${application.declineReason}`);
    await this.tell(person, key, words.t(`told.${application.status}`, params));
  }

  /** How an application reads as a relay's subject ("Cuisinier · Bistro Lumière"); null once it is gone. */
  async applicationHeader(applicationId: string, lang: string): Promise<string | null> {
    const application = await this.deps.store.jobs.getApplication(applicationId);
    const job = application ? await this.deps.store.jobs.getJob(application.jobId) : null;
    if (!job) return null;
    const org = await this.deps.store.organisations.get(job.orgId);
    const { title } = await this.inLanguage(job, lang);
    return org ? `${title} · ${org.name}` : title;
  }

  /** Tells the recruiter who posted the job (if any) that applications are waiting. */
  async tellRecruiter(job: Job, id: string): Promise<void> {
    if (!job.recruiterId) return;
    const recruiter = await this.deps.store.people.get(job.recruiterId);
    if (!recruiter) return;
    const applications = await this.deps.store.jobs.applicationsOfJob(job.id);
    const fresh = applications.filter((a) => a.status === 'applied').length;
    const words = this.words(recruiter.lang);
    const { title } = await this.inLanguage(job, recruiter.lang);
    await this.tell(recruiter, id, words.t('newApplications', { count: fresh, title }));
  }
}
