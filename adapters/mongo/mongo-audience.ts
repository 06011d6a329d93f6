import type { Document, Filter } from 'mongodb';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type { ContactDoc } from './mongo-collections.ts';

/**
 * The filter of an audience's subscribed, reachable contacts. `unreachable: null` matches null
 * and absent alike; `tags: {$in}` matches a contact holding any of the tags (a multikey match).
 */
export function audienceFilter(orgId: string, audience: Audience): Filter<ContactDoc> {
  const base: Filter<ContactDoc> = { orgId, subscribed: true, unreachable: null, ...(audience.channels ? { channel: { $in: [...audience.channels] } } : {}) };
  return audience.type === 'all' ? base : { ...base, tags: { $in: [...audience.tags] } };
}

/**
 * The stage keeping an audience's languages, placed after the `person` lookup: the person's own
 * language wins over the imported one, as in the rows a broadcast makes. Empty without a filter.
 */
export function audienceLangStage(audience: Audience): Document[] {
  if (!audience.langs) return [];
  return [{ $match: { $expr: { $in: [{ $ifNull: [{ $arrayElemAt: ['$person.lang', 0] }, '$lang'] }, [...audience.langs]] } } }];
}
