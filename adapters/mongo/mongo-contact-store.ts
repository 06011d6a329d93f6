import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { addressKey, type Address, type ChannelName } from '../../core/messages.ts';
import type { Audience, Contact, ContactImport, ContactSearch, ContactStore } from '../../core/ports/contacts.port.ts';
import type { ContactDoc, PersonDoc } from './mongo-collections.ts';
import { audienceFilter, audienceLangStage } from './mongo-audience.ts';
import { eraseWebchatHistories } from './mongo-webchat-history.ts';
import { eraseContacts, type ContactCollections } from './mongo-contact-erasure.ts';
import { guarded, isDuplicateKey, storeFailure } from './mongo-errors.ts';

/** Import rows per round trip: one lookup and one ordered bulk write each. */
const IMPORT_CHUNK = 500;

/** A fresh `{channel, id}`: only the two fields, in a fixed order. */
function copyAddress(address: Address | null): Address | null {
  return address ? { channel: address.channel, id: address.id } : null;
}

function toContact(doc: ContactDoc): Contact {
  return {
    id: doc._id,
    orgId: doc.orgId,
    personId: doc.personId,
    firstName: doc.firstName,
    phone: doc.phone,
    lang: doc.lang,
    channel: doc.channel,
    address: copyAddress(doc.address),
    tags: [...doc.tags],
    source: doc.source,
    subscribed: doc.subscribed,
    unreachable: doc.unreachable,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** What an import row sets on its contact, new or known. */
function importedFields(row: ContactImport, updatedAt: string) {
  const address = copyAddress(row.address);
  return {
    firstName: row.firstName,
    lang: row.lang,
    channel: row.channel,
    address,
    addressKey: address ? addressKey(address) : null,
    tags: [...new Set(row.tags)],
    unreachable: null,
    updatedAt,
  };
}

/**
 * Contacts in MongoDB, always scoped by organisation except the by-address actions ("stop" and
 * "forget me" reach every organisation). Unique partial indexes on (orgId, phone) and
 * (orgId, addressKey) keep one contact per phone and per address in an organisation.
 */
export class MongoContactStore implements ContactStore {
  private readonly contacts: Collection<ContactDoc>;

  constructor(
    private readonly collections: ContactCollections,
    private readonly people: Collection<PersonDoc>,
  ) {
    this.contacts = collections.contacts;
  }

  /**
   * Adds or updates imported rows: a row whose phone (or else address) the organisation already
   * has updates that contact. Rows go by chunks: one lookup, then one ordered bulk write.
   */
  async importMany(orgId: string, rows: readonly ContactImport[], ids: () => string, at: Date): Promise<{ created: number; updated: number }> {
    const counts = { created: 0, updated: 0 };
    for (let i = 0; i < rows.length; i += IMPORT_CHUNK) {
      const chunk = rows.slice(i, i + IMPORT_CHUNK);
      let done: { created: number; updated: number };
      try {
        done = await this.importChunk(orgId, chunk, ids, at.toISOString());
      } catch (error) {
        // Another import inserted one of these phones between our lookup and our write. Every
        // write is by id and idempotent, so the chunk is read and written again: what the other
        // import created is now found and updated.
        if (!isDuplicateKey(error)) throw storeFailure('contact import', error);
        done = await guarded('contact import', () => this.importChunk(orgId, chunk, ids, at.toISOString()));
      }
      counts.created += done.created;
      counts.updated += done.updated;
    }
    return counts;
  }

  private async importChunk(orgId: string, rows: readonly ContactImport[], ids: () => string, when: string): Promise<{ created: number; updated: number }> {
    const keys = rows.flatMap((row) => (row.address ? [addressKey(row.address)] : []));
    const known = await this.contacts
      .find({ orgId, $or: [{ phone: { $in: rows.map((row) => row.phone) } }, { addressKey: { $in: keys } }] }, { projection: { phone: 1, addressKey: 1 } })
      .toArray();
    // What the organisation holds, kept up to date as rows are applied, so that a later row of
    // the chunk sees an earlier one (a phone repeated in one file is one contact).
    const byPhone = new Map<string, string>();
    const byKey = new Map<string, string>();
    const keyOf = new Map<string, string | null>();
    for (const doc of known) {
      if (doc.phone !== null) byPhone.set(doc.phone, doc._id);
      if (doc.addressKey !== null) byKey.set(doc.addressKey, doc._id);
      keyOf.set(doc._id, doc.addressKey);
    }
    // Someone who already signed up at an address owns the new contact there: their choices win.
    const owners = new Map<string, string>();
    for (const person of await this.people.find({ identityKeys: { $in: keys } }, { projection: { identityKeys: 1 } }).toArray()) {
      for (const key of person.identityKeys) owners.set(key, person._id);
    }
    const ops: AnyBulkWriteOperation<ContactDoc>[] = [];
    let created = 0;
    let updated = 0;
    for (const row of rows) {
      const fields = importedFields(row, when);
      const found = byPhone.get(row.phone) ?? (fields.addressKey === null ? undefined : byKey.get(fields.addressKey));
      let id: string;
      if (found === undefined) {
        id = ids();
        ops.push({
          insertOne: { document: { _id: id, orgId, personId: (fields.addressKey && owners.get(fields.addressKey)) ?? null, phone: row.phone, source: 'imported', subscribed: true, createdAt: when, ...fields } },
        });
        byPhone.set(row.phone, id);
        created++;
      } else {
        // The phone of a contact found by its address stays as it was (as in SQLite).
        id = found;
        ops.push({ updateOne: { filter: { _id: id }, update: { $set: fields } } });
        const old = keyOf.get(id);
        if (old && byKey.get(old) === id) byKey.delete(old);
        updated++;
      }
      if (fields.addressKey !== null) byKey.set(fields.addressKey, id);
      keyOf.set(id, fields.addressKey);
    }
    if (ops.length > 0) await this.contacts.bulkWrite(ops, { ordered: true });
    return { created, updated };
  }

  /**
   * Adds a person who joined in chat. A contact the organisation already has at that address
   * (imported, or an earlier join) is linked to the person and subscribed again instead.
   */
  async join(
    orgId: string,
    contact: Omit<Contact, 'id' | 'orgId' | 'createdAt' | 'updatedAt' | 'subscribed' | 'unreachable' | 'source'>,
    id: string,
    at: Date,
  ): Promise<Contact> {
    const when = at.toISOString();
    const address = copyAddress(contact.address);
    const key = address ? addressKey(address) : null;
    const link = async (): Promise<Contact | null> => {
      if (key === null) return null;
      const doc = await this.contacts.findOneAndUpdate(
        { orgId, addressKey: key },
        { $set: { personId: contact.personId, firstName: contact.firstName, lang: contact.lang, subscribed: true, updatedAt: when } },
        { returnDocument: 'after' },
      );
      return doc ? toContact(doc) : null;
    };
    const linked = await guarded('contact join', link);
    if (linked) return linked;
    const doc: ContactDoc = {
      _id: id,
      orgId,
      personId: contact.personId,
      firstName: contact.firstName,
      phone: contact.phone,
      lang: contact.lang,
      channel: contact.channel,
      address,
      addressKey: key,
      tags: [...contact.tags],
      source: 'joined',
      subscribed: true,
      unreachable: null,
      createdAt: when,
      updatedAt: when,
    };
    try {
      await this.contacts.insertOne(doc);
      return toContact(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw storeFailure('contact join', error);
      // Two joins at the same address raced (a double tap on "join"): the other one inserted.
      const raced = await guarded('contact join', link);
      if (!raced) throw storeFailure('contact join', error);
      return raced;
    }
  }

  /** A contact of this organisation (null for another organisation's). */
  async get(orgId: string, id: string): Promise<Contact | null> {
    const doc = await guarded('contact get', () => this.contacts.findOne({ _id: id, orgId }));
    return doc ? toContact(doc) : null;
  }

  /** An organisation's contacts in id order, `limit` at a time after the id `after`. */
  async list(orgId: string, options: { readonly limit: number; readonly after?: string }): Promise<Contact[]> {
    if (options.limit <= 0) return [];
    const docs = await guarded('contact list', () =>
      this.contacts
        .find({ orgId, _id: { $gt: options.after ?? '' } })
        .sort({ _id: 1 })
        .limit(options.limit)
        .toArray(),
    );
    return docs.map(toContact);
  }

  /** Contacts of any organisation at this address. */
  async findByAddress(address: Address): Promise<Contact[]> {
    const docs = await guarded('contact lookup', () => this.contacts.find({ addressKey: addressKey(address) }).sort({ _id: 1 }).toArray());
    return docs.map(toContact);
  }

  /** Links the contacts at this address that have no person yet to the person who signed up there. */
  async linkAddress(address: Address, personId: string, at: Date): Promise<number> {
    const result = await guarded('contact link', () =>
      this.contacts.updateMany({ addressKey: addressKey(address), personId: null }, { $set: { personId, updatedAt: at.toISOString() } }),
    );
    return result.modifiedCount;
  }

  /** Unsubscribes every contact at this address; returns how many were subscribed. */
  async unsubscribeAddress(address: Address, at: Date): Promise<number> {
    const result = await guarded('contact unsubscribe', () =>
      this.contacts.updateMany({ addressKey: addressKey(address), subscribed: true }, { $set: { subscribed: false, updatedAt: at.toISOString() } }),
    );
    return result.modifiedCount;
  }

  /** Subscribes again every contact at this address; returns how many were unsubscribed. */
  async resubscribeAddress(address: Address, at: Date): Promise<number> {
    const result = await guarded('contact resubscribe', () =>
      this.contacts.updateMany({ addressKey: addressKey(address), subscribed: false }, { $set: { subscribed: true, updatedAt: at.toISOString() } }),
    );
    return result.modifiedCount;
  }

  /** Deletes every contact at this address, with their outbox rows and inbox entries. */
  async eraseAddress(address: Address): Promise<number> {
    return guarded('contact erase', async () => {
      // A stranger's web chat (someone who never finished onboarding) goes with their contacts.
      if (address.channel === 'webchat') await eraseWebchatHistories(this.collections.webchatHistory, [address.id]);
      return eraseContacts(this.collections, { addressKey: addressKey(address) });
    });
  }

  /** Remembers that a contact cannot be reached. */
  async markUnreachable(id: string, reason: string, at: Date): Promise<void> {
    await guarded('contact unreachable', () => this.contacts.updateOne({ _id: id }, { $set: { unreachable: reason, updatedAt: at.toISOString() } }));
  }

  /** How many subscribed, reachable contacts an audience holds. */
  async countAudience(orgId: string, audience: Audience): Promise<number> {
    // The same people a broadcast materializes: a person who said "stop" is not counted.
    const rows = await guarded('audience count', () =>
      this.contacts.aggregate<{ n: number }>([{ $match: audienceFilter(orgId, audience) }, ...this.subscribedPeopleOnly(), ...audienceLangStage(audience), { $count: 'n' }]).toArray(),
    );
    return rows[0]?.n ?? 0;
  }

  /** Stages keeping contacts without a person or whose person is subscribed, with that person's language. */
  private subscribedPeopleOnly(): Document[] {
    return [
      { $lookup: { from: this.people.collectionName, localField: 'personId', foreignField: '_id', pipeline: [{ $project: { lang: 1, subscribed: 1 } }], as: 'person' } },
      { $match: { $or: [{ person: { $size: 0 } }, { 'person.subscribed': true }] } },
    ];
  }

  /** The languages of an audience with counts; a joined contact reads in their person's current language. */
  async audienceLanguages(orgId: string, audience: Audience, channel?: ChannelName): Promise<Map<string, number>> {
    const rows = await guarded('audience languages', () =>
      this.contacts
        .aggregate<{ _id: string; n: number }>([
          { $match: { ...audienceFilter(orgId, audience), ...(channel ? { channel } : {}) } },
          ...this.subscribedPeopleOnly(),
          ...audienceLangStage(audience),
          { $group: { _id: { $ifNull: [{ $arrayElemAt: ['$person.lang', 0] }, '$lang'] }, n: { $sum: 1 } } },
        ])
        .toArray(),
    );
    return new Map(rows.map((row) => [row._id, row.n]));
  }

  /** The console's search; the person's own name and language win over the imported ones, as in SQLite. */
  async search(orgId: string, { q, tag, lang, channel, limit, offset }: ContactSearch): Promise<{ contacts: Contact[]; total: number }> {
    const escaped = q ? q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : null;
    const pipeline: Document[] = [
      { $match: { orgId, ...(tag ? { tags: tag } : {}), ...(channel ? { channel } : {}) } },
      { $lookup: { from: this.people.collectionName, localField: 'personId', foreignField: '_id', pipeline: [{ $project: { lang: 1, firstName: 1 } }], as: 'person' } },
      { $addFields: { shownName: { $ifNull: [{ $arrayElemAt: ['$person.firstName', 0] }, '$firstName'] }, shownLang: { $ifNull: [{ $arrayElemAt: ['$person.lang', 0] }, '$lang'] } } },
      ...(lang ? [{ $match: { shownLang: lang } }] : []),
      ...(escaped ? [{ $match: { $or: [{ shownName: { $regex: escaped, $options: 'i' } }, { phone: { $regex: escaped } }] } }] : []),
      { $sort: { firstName: 1, _id: 1 } },
      { $facet: { page: [{ $skip: offset }, { $limit: limit }, { $project: { person: 0, shownName: 0, shownLang: 0 } }], total: [{ $count: 'n' }] } },
    ];
    const [result] = await guarded('contact search', () => this.contacts.aggregate<{ page: ContactDoc[]; total: { n: number }[] }>(pipeline).toArray());
    return { contacts: (result?.page ?? []).map(toContact), total: result?.total[0]?.n ?? 0 };
  }

  async setTags(orgId: string, id: string, tags: readonly string[], at: Date): Promise<Contact | null> {
    const doc = await guarded('contact tags', () =>
      this.contacts.findOneAndUpdate({ _id: id, orgId }, { $set: { tags: [...new Set(tags)], updatedAt: at.toISOString() } }, { returnDocument: 'after' }),
    );
    return doc ? toContact(doc) : null;
  }

  async remove(orgId: string, id: string): Promise<boolean> {
    return (await guarded('contact remove', () => eraseContacts(this.collections, { _id: id, orgId }))) === 1;
  }
}
