import type { Application } from '../../core/ports/jobs.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { JobsText } from './jobs-text.ts';

/**
 * An application as a recruiter reads it: a short CV in the recruiter's language, the first
 * name only, the motivation machine-translated (the original kept apart), and the right-to-work
 * answer only when the applicant chose to share it for this application. A forgotten or
 * withdrawn applicant reads as withdrawn, with nothing of them.
 */
export async function applicationView(store: Pick<Store, 'jobs'>, words: JobsText, application: Application): Promise<{ text: string; original: string; translated: boolean }> {
  const profile = application.personId ? await store.jobs.getProfile(application.personId) : null;
  if (!application.personId || application.status === 'withdrawn' || !profile) return { text: words.t('applicantWithdrew'), original: '', translated: false };
  const lines = [words.cv(application.firstName, profile, { rightToWork: application.shareRightToWork, words: application.wordsTranslated ?? {} }), words.t('cvStatus', { status: words.status(application) })];
  if (application.message) lines.push(words.t('cvMotivation', { text: application.messageTranslated ?? application.message }));
  return { text: lines.join('\n'), original: application.message ?? '', translated: application.messageTranslated !== null };
}
