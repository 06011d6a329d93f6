import type { Collection } from 'mongodb';
import { ValidationError } from '../../core/errors.ts';
import type { Organisation, OrganisationStore } from '../../core/ports/people.port.ts';
import type { OrganisationDoc } from './mongo-collections.ts';
import { duplicateKeyFields, guarded, isDuplicateKey, safeCause, storeFailure } from './mongo-errors.ts';

/** Codes are typed by people in any case ("JOIN Entraide"), so they are compared lower-cased. */
function codeKey(code: string): string {
  return code.toLowerCase();
}

function toOrganisation(doc: OrganisationDoc): Organisation {
  return { id: doc._id, name: doc.name, code: doc.code, lang: doc.lang, createdAt: doc.createdAt };
}

/** Organisations (tenants) in MongoDB; the unique `codeKey` index keeps codes unique in any case. */
export class MongoOrganisationStore implements OrganisationStore {
  constructor(private readonly collection: Collection<OrganisationDoc>) {}

  /** Creates an organisation; rejects with ValidationError when its code or id is taken. */
  async create(org: Organisation): Promise<void> {
    try {
      await this.collection.insertOne({
        _id: org.id,
        name: org.name,
        code: org.code,
        codeKey: codeKey(org.code),
        lang: org.lang,
        createdAt: org.createdAt,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw storeFailure('organisation create', error);
      const field = duplicateKeyFields(error).includes('codeKey') ? 'code' : 'id';
      throw new ValidationError(`The organisation ${field} is already taken`, [{ path: field, message: 'already taken' }], {
        cause: safeCause(error),
      });
    }
  }

  /** The organisation with this id, or null. */
  async get(id: string): Promise<Organisation | null> {
    const doc = await guarded('organisation get', () => this.collection.findOne({ _id: id }));
    return doc ? toOrganisation(doc) : null;
  }

  /** The organisation whose code is `code`, compared case-insensitively, or null. */
  async findByCode(code: string): Promise<Organisation | null> {
    const doc = await guarded('organisation lookup', () => this.collection.findOne({ codeKey: codeKey(code) }));
    return doc ? toOrganisation(doc) : null;
  }

  /** Every organisation, oldest first. */
  async list(): Promise<Organisation[]> {
    const docs = await guarded('organisation list', () => this.collection.find().sort({ createdAt: 1, _id: 1 }).toArray());
    return docs.map(toOrganisation);
  }
}
