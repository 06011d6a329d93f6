import type { Collection } from 'mongodb';
import { ConcurrencyConflictError, ValidationError } from '../../core/errors.ts';
import { addressKey, type Address, type ChannelName } from '../../core/messages.ts';
import type { PeopleStore, Person, PersonPatch } from '../../core/ports/people.port.ts';
import type { MongoCollections, PersonDoc } from './mongo-collections.ts';
import { eraseContacts } from './mongo-contact-erasure.ts';
import { eraseWebchatHistories } from './mongo-webchat-history.ts';
import { duplicateKeyFields, guarded, isDuplicateKey, safeCause, storeFailure } from './mongo-errors.ts';

/** A fresh `{channel, id}` object: `$addToSet` compares embedded documents field by field, in order. */
function identity(address: Address): Address {
  return { channel: address.channel, id: address.id };
}

function toDoc(person: Person): PersonDoc {
  const identities = person.identities.map(identity);
  return {
    _id: person.id,
    role: person.role,
    roleStatus: person.roleStatus,
    lang: person.lang,
    firstName: person.firstName,
    place: person.place,
    consent: person.consent,
    orgId: person.orgId,
    subscribed: person.subscribed,
    identities,
    identityKeys: identities.map(addressKey),
    createdAt: person.createdAt,
    updatedAt: person.updatedAt,
  };
}

function toPerson(doc: PersonDoc): Person {
  return {
    id: doc._id,
    role: doc.role,
    roleStatus: doc.roleStatus,
    lang: doc.lang,
    firstName: doc.firstName,
    place: doc.place,
    consent: { noticeVersion: doc.consent.noticeVersion, givenAt: doc.consent.givenAt },
    orgId: doc.orgId,
    subscribed: doc.subscribed,
    identities: doc.identities.map(identity),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** The `$set` of an update: only the patchable fields, and never an `undefined` (the driver would store null). */
function patchSet(patch: PersonPatch, at: Date): Partial<PersonDoc> {
  const set: Partial<PersonDoc> = { updatedAt: at.toISOString() };
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.roleStatus !== undefined) set.roleStatus = patch.roleStatus;
  if (patch.lang !== undefined) set.lang = patch.lang;
  if (patch.firstName !== undefined) set.firstName = patch.firstName;
  if (patch.place !== undefined) set.place = patch.place;
  if (patch.orgId !== undefined) set.orgId = patch.orgId;
  if (patch.subscribed !== undefined) set.subscribed = patch.subscribed;
  return set;
}

/**
 * People in MongoDB. Identities are embedded in the person and mirrored as `identityKeys` under
 * a unique index, so creating a person with all identities is one atomic insert and no
 * transaction (hence no replica set) is needed.
 */
export class MongoPeopleStore implements PeopleStore {
  private readonly people: Collection<PersonDoc>;

  constructor(
    private readonly collections: Pick<MongoCollections, 'people' | 'conversations' | 'reach' | 'contacts' | 'outbox' | 'inbox' | 'webchatHistory'>,
    /** Erases what other flows keep of the person (their job applications), before the person goes. */
    private readonly eraseAlso: (id: string) => Promise<void> = async () => undefined,
  ) {
    this.people = collections.people;
  }

  /** The person one of whose identities is `address`, or null. */
  async findByAddress(address: Address): Promise<Person | null> {
    const doc = await guarded('person lookup', () => this.people.findOne({ identityKeys: addressKey(address) }));
    return doc ? toPerson(doc) : null;
  }

  /** The person with this id, or null. */
  async get(id: string): Promise<Person | null> {
    const doc = await guarded('person get', () => this.people.findOne({ _id: id }));
    return doc ? toPerson(doc) : null;
  }

  /**
   * Creates a person. Rejects with ConcurrencyConflictError when an identity already belongs to
   * someone (typically two first messages racing to onboard the same person) or the id exists.
   */
  async create(person: Person): Promise<void> {
    // An empty array would index as one "missing" key, and the unique index would then allow
    // only one person without identities; such a person could never be reached anyway.
    if (person.identities.length === 0) {
      throw new ValidationError('A person needs at least one identity', [{ path: 'identities', message: 'is empty' }]);
    }
    try {
      await this.people.insertOne(toDoc(person));
    } catch (error) {
      if (!isDuplicateKey(error)) throw storeFailure('person create', error);
      const what = duplicateKeyFields(error).includes('identityKeys') ? 'The identity of the new person' : 'The person id';
      throw new ConcurrencyConflictError(what, { cause: safeCause(error) });
    }
  }

  /** Applies a patch and sets updatedAt; returns the updated person, or null if unknown. */
  async update(id: string, patch: PersonPatch, at: Date): Promise<Person | null> {
    const doc = await guarded('person update', () =>
      this.people.findOneAndUpdate({ _id: id }, { $set: patchSet(patch, at) }, { returnDocument: 'after' }),
    );
    return doc ? toPerson(doc) : null;
  }

  /**
   * Adds an identity (a no-op if the person already has it). Rejects with
   * ConcurrencyConflictError if it belongs to someone else or the person no longer exists.
   */
  async addIdentity(id: string, address: Address): Promise<void> {
    const added = identity(address);
    let matched: number;
    try {
      const result = await this.people.updateOne(
        { _id: id },
        { $addToSet: { identities: added, identityKeys: addressKey(added) } },
      );
      matched = result.matchedCount;
    } catch (error) {
      if (!isDuplicateKey(error)) throw storeFailure('person add identity', error);
      throw new ConcurrencyConflictError('The identity', { cause: safeCause(error) });
    }
    if (matched === 0) throw new ConcurrencyConflictError('The person');
  }

  /** People whose role waits for approval, oldest first. */
  async listPending(orgId?: string): Promise<Person[]> {
    const docs = await guarded('pending people list', () =>
      this.people.find(orgId === undefined ? { roleStatus: 'pending' } : { roleStatus: 'pending', orgId }).sort({ createdAt: 1, _id: 1 }).toArray(),
    );
    return docs.map(toPerson);
  }

  /** The person's own channel order, or empty when they never chose (or are unknown). */
  async channelOrder(id: string): Promise<ChannelName[]> {
    const doc = await guarded('person channel order', () => this.people.findOne({ _id: id }, { projection: { channelOrder: 1 } }));
    return doc?.channelOrder ? [...doc.channelOrder] : [];
  }

  /** Replaces the person's channel order and sets updatedAt; false if the person is unknown. */
  async setChannelOrder(id: string, channels: readonly ChannelName[], at: Date): Promise<boolean> {
    const result = await guarded('person set channel order', () =>
      this.people.updateOne({ _id: id }, { $set: { channelOrder: [...channels], updatedAt: at.toISOString() } }),
    );
    return result.matchedCount === 1;
  }

  /**
   * Erases the person, their identities (embedded), the conversation, reach record and outbox
   * rows of every identity, and every contact linked to them or at one of their addresses, with
   * the contacts' outbox rows and inbox entries. Those go first: if the process dies midway the person, and so
   * the list of keys, is still there and erasing again finishes the job. Identities added and
   * contacts joined while erasing are caught by a second pass over the deleted document.
   */
  async erase(id: string): Promise<boolean> {
    return guarded('person erase', async () => {
      const found = await this.people.findOne({ _id: id }, { projection: { identityKeys: 1 } });
      if (!found) return false;
      await this.eraseAlso(id);
      await this.forget(id, found.identityKeys);
      const deleted = await this.people.findOneAndDelete({ _id: id }, { projection: { identityKeys: 1 } });
      if (!deleted) return false;
      await this.forget(id, deleted.identityKeys.filter((key) => !found.identityKeys.includes(key)));
      return true;
    });
  }

  /** Deletes the conversations, reach records, outbox rows, contacts and web chats of these address keys, and the person's contacts. */
  private async forget(personId: string, keys: string[]): Promise<void> {
    await Promise.all([
      this.collections.conversations.deleteMany({ _id: { $in: keys } }),
      this.collections.reach.deleteMany({ _id: { $in: keys } }),
      // Messages waiting for them (replies, relays, held answers) name them and hold their words.
      this.collections.outbox.deleteMany({ addressKey: { $in: keys } }),
      eraseContacts(this.collections, { $or: [{ personId }, { addressKey: { $in: keys } }] }),
      eraseWebchatHistories(
        this.collections.webchatHistory,
        keys.filter((key) => key.startsWith('webchat:')).map((key) => key.slice('webchat:'.length)),
      ),
    ]);
  }
}
