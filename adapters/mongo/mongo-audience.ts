import type { Filter } from 'mongodb';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type { ContactDoc } from './mongo-collections.ts';

/**
 * The filter of an audience's subscribed, reachable contacts. `unreachable: null` matches null
 * and absent alike; `tags: {$in}` matches a contact holding any of the tags (a multikey match).
 */
export function audienceFilter(orgId: string, audience: Audience): Filter<ContactDoc> {
  const base: Filter<ContactDoc> = { orgId, subscribed: true, unreachable: null };
  return audience.type === 'all' ? base : { ...base, tags: { $in: [...audience.tags] } };
}
