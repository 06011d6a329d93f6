import { normalizeAnswer } from '../../core/dialog/normalize-answer.ts';
import type { LocaleResources } from '../../core/i18n/text-renderer.ts';
import type { FreeTextRoute } from '../common/free-text-router.ts';

/** Every language's words for "stop alerts" (`jobs.stopAlertsWords`), folded as typed answers are. */
export function stopAlertWords(resources: LocaleResources): ReadonlySet<string> {
  const words = new Set<string>();
  for (const namespaces of Object.values(resources)) {
    const list = (namespaces['jobs'] as { stopAlertsWords?: unknown } | undefined)?.stopAlertsWords;
    if (Array.isArray(list)) for (const w of list) if (typeof w === 'string') words.add(normalizeAnswer(w));
  }
  return words;
}

/**
 * Where the jobs flow takes free text at the menu: "stop alerts" in any of our languages turns
 * job alerts off, in one message (the alert itself says which words to type).
 */
export function jobsFreeTextRoutes(words: ReadonlySet<string>): FreeTextRoute[] {
  return [
    {
      id: 'job-alerts',
      forStrangers: false,
      claim: async (text) => (words.has(normalizeAnswer(text)) ? { explicit: true, label: 'jobs:alertsOff' } : null),
      deliver: async (_text, context) => {
        const profile = context.person ? await context.store.jobs.getProfile(context.person.id) : null;
        if (profile?.alerts) await context.store.jobs.putProfile({ ...profile, alerts: false, updatedAt: context.clock.now().toISOString() });
        return { kind: 'alerts-off', notice: 'jobs:alertsNowOff' };
      },
    },
  ];
}
