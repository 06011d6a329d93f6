import type { Collection, Db } from 'mongodb';
import type { Address } from '../../core/messages.ts';
import type { Consent, Place, Role, RoleStatus } from '../../core/ports/people.port.ts';
import type { ReceiptStatus } from '../../core/ports/reach.port.ts';

/**
 * One conversation. The session is kept as JSON text rather than as a BSON document: it then
 * round-trips exactly (key order, keys with "." or a leading "$", numbers) and is never queried.
 */
export interface ConversationDoc {
  /** The conversation key (`channel:id`, see addressKey). */
  _id: string;
  version: number;
  session: string;
  updatedAt: Date;
}

/** One processed inbound message; `_id` is a sha256 hex, so the record names nobody. */
export interface LedgerDoc {
  _id: string;
  /** A BSON date, so a TTL index can be put on it should pruning ever move to the server. */
  at: Date;
}

/** A person, with identities embedded so that creating one is a single atomic insert. */
export interface PersonDoc {
  _id: string;
  role: Role;
  roleStatus: RoleStatus;
  lang: string;
  firstName: string;
  place: Place | null;
  consent: Consent;
  orgId: string | null;
  subscribed: boolean;
  identities: Address[];
  /**
   * `addressKey` of each identity, under a unique multikey index: that index is what makes an
   * identity belong to one person only (across documents), and what findByAddress reads.
   */
  identityKeys: string[];
  createdAt: string;
  updatedAt: string;
}

/** An organisation; `codeKey` is the lower-cased code under a unique index. */
export interface OrganisationDoc {
  _id: string;
  name: string;
  code: string;
  codeKey: string;
  lang: string;
  createdAt: string;
}

/** What a channel keeps to reach one address later. Personal data: erased with the person. */
export interface ReachDoc {
  /** The address key (`channel:id`, see addressKey), like the conversation it goes with. */
  _id: string;
  lastInboundAt: Date;
  /** The channel's reference as JSON text (exact round trip, like sessions), or null. */
  reference: string | null;
}

/** The latest delivery state of one message we sent. */
export interface ReceiptDoc {
  /** `channel:platformMessageId` (channel names hold no colon, so the key is unambiguous). */
  _id: string;
  status: ReceiptStatus;
  /** Order of the states, so an update can refuse to go backwards in its filter. */
  rank: number;
  at: Date;
}

/** The typed collections the store uses. */
export interface MongoCollections {
  readonly conversations: Collection<ConversationDoc>;
  readonly ledger: Collection<LedgerDoc>;
  readonly people: Collection<PersonDoc>;
  readonly organisations: Collection<OrganisationDoc>;
  readonly reach: Collection<ReachDoc>;
  readonly receipts: Collection<ReceiptDoc>;
}

/** Returns the store's collections in `db`. */
export function collectionsOf(db: Db): MongoCollections {
  return {
    conversations: db.collection<ConversationDoc>('conversations'),
    ledger: db.collection<LedgerDoc>('inbound_ledger'),
    people: db.collection<PersonDoc>('people'),
    organisations: db.collection<OrganisationDoc>('organisations'),
    reach: db.collection<ReachDoc>('reach'),
    receipts: db.collection<ReceiptDoc>('receipts'),
  };
}

/**
 * Creates the indexes the store relies on. createIndex is idempotent for an identical
 * definition, so every start-up runs it; uniqueness is enforced here, not in application code,
 * because two server processes may write at once.
 */
export async function ensureIndexes(c: MongoCollections): Promise<void> {
  await Promise.all([
    c.people.createIndex({ identityKeys: 1 }, { name: 'identity_unique', unique: true }),
    c.people.createIndex({ roleStatus: 1, createdAt: 1, _id: 1 }, { name: 'role_status_created' }),
    c.organisations.createIndex({ codeKey: 1 }, { name: 'code_unique', unique: true }),
    c.ledger.createIndex({ at: 1 }, { name: 'at' }),
  ]);
}
