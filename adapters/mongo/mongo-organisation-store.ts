import type { Collection, Filter } from 'mongodb';
import { ValidationError } from '../../core/errors.ts';
import type { Organisation, OrganisationPatch, OrganisationStore } from '../../core/ports/people.port.ts';
import type { OrganisationDoc } from './mongo-collections.ts';
import { duplicateKeyFields, guarded, isDuplicateKey, MongoStoreError, safeCause, storeFailure } from './mongo-errors.ts';

/** Codes are typed by people in any case ("JOIN Entraide"), so they are compared lower-cased. */
function codeKey(code: string): string {
  return code.toLowerCase();
}

/** Which port field a unique index stands for, to name it (never its value) in an error. */
const UNIQUE_FIELDS: Readonly<Record<string, string>> = {
  codeKey: 'code',
  apiKeyHash: 'apiKeyHash',
  telegramChannelId: 'telegramChannelId',
  linkCode: 'linkCode',
};

function parseGlossary(text: string | undefined): Organisation['glossary'] {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Organisation['glossary'];
  } catch {
    // No cause: JSON.parse would quote the text.
  }
  throw new MongoStoreError('A stored organisation glossary is not a JSON object');
}

function toOrganisation(doc: OrganisationDoc): Organisation {
  return {
    id: doc._id,
    name: doc.name,
    code: doc.code,
    lang: doc.lang,
    createdAt: doc.createdAt,
    apiKeyHash: doc.apiKeyHash ?? null,
    telegramChannelId: doc.telegramChannelId ?? null,
    staffChatId: doc.staffChatId ?? null,
    linkCode: doc.linkCode ?? null,
    glossary: parseGlossary(doc.glossary),
  };
}

/** The `$set` of an update: only the fields present in the patch. */
function patchSet(patch: OrganisationPatch): Partial<OrganisationDoc> {
  const set: Partial<OrganisationDoc> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.lang !== undefined) set.lang = patch.lang;
  if (patch.apiKeyHash !== undefined) set.apiKeyHash = patch.apiKeyHash;
  if (patch.telegramChannelId !== undefined) set.telegramChannelId = patch.telegramChannelId;
  if (patch.staffChatId !== undefined) set.staffChatId = patch.staffChatId;
  if (patch.linkCode !== undefined) set.linkCode = patch.linkCode;
  if (patch.glossary !== undefined) set.glossary = JSON.stringify(patch.glossary);
  return set;
}

/** A duplicate-key error as a ValidationError naming the field taken, or a store failure. */
function takenOrFailure(operation: string, error: unknown): Error {
  if (!isDuplicateKey(error)) return storeFailure(operation, error);
  const field = duplicateKeyFields(error).map((f) => UNIQUE_FIELDS[f]).find((f) => f !== undefined) ?? 'id';
  return new ValidationError(`The organisation ${field} is already taken`, [{ path: field, message: 'already taken' }], {
    cause: safeCause(error),
  });
}

/**
 * Organisations (tenants) in MongoDB. Unique indexes keep codes unique in any case, and API key
 * hashes, Telegram channels and link codes unique when set.
 */
export class MongoOrganisationStore implements OrganisationStore {
  constructor(private readonly collection: Collection<OrganisationDoc>) {}

  /** Creates an organisation; rejects with ValidationError when its code, id or another unique value is taken. */
  async create(org: Organisation): Promise<void> {
    try {
      await this.collection.insertOne({
        _id: org.id,
        name: org.name,
        code: org.code,
        codeKey: codeKey(org.code),
        lang: org.lang,
        createdAt: org.createdAt,
        apiKeyHash: org.apiKeyHash,
        telegramChannelId: org.telegramChannelId,
        staffChatId: org.staffChatId,
        linkCode: org.linkCode,
        glossary: JSON.stringify(org.glossary),
      });
    } catch (error) {
      throw takenOrFailure('organisation create', error);
    }
  }

  /** The organisation with this id, or null. */
  async get(id: string): Promise<Organisation | null> {
    return this.findOne('organisation get', { _id: id });
  }

  /** The organisation whose code is `code`, compared case-insensitively, or null. */
  async findByCode(code: string): Promise<Organisation | null> {
    return this.findOne('organisation lookup', { codeKey: codeKey(code) });
  }

  /** Every organisation, oldest first. */
  async list(): Promise<Organisation[]> {
    const docs = await guarded('organisation list', () => this.collection.find().sort({ createdAt: 1, _id: 1 }).toArray());
    return docs.map(toOrganisation);
  }

  /**
   * Applies a patch; returns the organisation as stored, or null if unknown. Rejects with
   * ValidationError when the patch takes another organisation's API key, channel or link code.
   */
  async update(id: string, patch: OrganisationPatch): Promise<Organisation | null> {
    const set = patchSet(patch);
    if (Object.keys(set).length === 0) return this.get(id);
    try {
      const doc = await this.collection.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' });
      return doc ? toOrganisation(doc) : null;
    } catch (error) {
      throw takenOrFailure('organisation update', error);
    }
  }

  /** The organisation whose admin API key hashes to `hash`, or null. */
  async findByApiKeyHash(hash: string): Promise<Organisation | null> {
    return this.findOne('organisation lookup', { apiKeyHash: hash });
  }

  /** The organisation that linked this Telegram channel, or null. */
  async findByTelegramChannel(chatId: string): Promise<Organisation | null> {
    return this.findOne('organisation lookup', { telegramChannelId: chatId });
  }

  /** The organisation waiting for a channel to post this link code, or null. */
  async findByLinkCode(code: string): Promise<Organisation | null> {
    return this.findOne('organisation lookup', { linkCode: code });
  }

  private async findOne(operation: string, filter: Filter<OrganisationDoc>): Promise<Organisation | null> {
    const doc = await guarded(operation, () => this.collection.findOne(filter));
    return doc ? toOrganisation(doc) : null;
  }
}
