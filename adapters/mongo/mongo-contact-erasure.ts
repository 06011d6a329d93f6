import type { Filter } from 'mongodb';
import type { ContactDoc, MongoCollections } from './mongo-collections.ts';

/** The collections that hold a contact and what names it (a stranger's web chat too). */
export type ContactCollections = Pick<MongoCollections, 'contacts' | 'outbox' | 'inbox' | 'webchatHistory'>;

/**
 * Deletes the contacts matching `filter` with their outbox rows and inbox entries (what SQLite's
 * ON DELETE CASCADE does); returns how many contacts went. Why this order: dependents go first,
 * so that a process dying midway leaves the contacts, and erasing again finishes the job; they
 * go again after the contacts, which narrows (without closing) the window in which a
 * materialize running at the same time writes a row for a contact being erased.
 */
export async function eraseContacts(c: ContactCollections, filter: Filter<ContactDoc>): Promise<number> {
  const ids = (await c.contacts.find(filter, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id);
  if (ids.length === 0) return 0;
  const dependents = async (): Promise<void> => {
    await Promise.all([c.outbox.deleteMany({ contactId: { $in: ids } }), c.inbox.deleteMany({ contactId: { $in: ids } })]);
  };
  await dependents();
  const result = await c.contacts.deleteMany({ _id: { $in: ids } });
  await dependents();
  return result.deletedCount;
}
