import type { Collection, Db, ObjectId } from 'mongodb';
import type { Address, ChannelName } from '../../core/messages.ts';
import type { Broadcast, BroadcastTranslation } from '../../core/ports/broadcasts.port.ts';
import type { ContactSource } from '../../core/ports/contacts.port.ts';
import type { DeliveryStatus, Lane, OutboxKind } from '../../core/ports/outbox.port.ts';
import type { Consent, Place, Role, RoleStatus } from '../../core/ports/people.port.ts';
import type { ReceiptStatus } from '../../core/ports/reach.port.ts';

/**
 * One conversation. The session and its pending work are kept as JSON text rather than as BSON
 * documents: they then round-trip exactly (key order, keys with "." or a leading "$", numbers)
 * and are never queried. Documents written before durable turns lack `work` and `wakeAt`
 * (read as no work and no wake-up).
 */
export interface ConversationDoc {
  /** The conversation key (`channel:id`, see addressKey). */
  _id: string;
  version: number;
  /** JSON text of the session, `null` once the conversation ended by erasure. */
  session: string;
  /** JSON text of the effects, outgoing messages, inputs and seen marks. */
  work?: string | null;
  /** When the record next needs attention, under a partial index for `due`. */
  wakeAt?: Date | null;
  updatedAt: Date;
}

/** Who sends on a channel; `_id` is the channel name, so there is one lease per channel. */
export interface ChannelLeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

/** A counter handing out ranges of increasing numbers (the outbox's insertion order). */
export interface CounterDoc {
  _id: string;
  value: number;
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
  /** The person's own channel order; absent until they chose one. */
  channelOrder?: ChannelName[];
  createdAt: string;
  updatedAt: string;
}

/**
 * An organisation; `codeKey` is the lower-cased code under a unique index. The broadcast fields
 * came later, so documents written before them lack them (read as null and `{}`).
 */
export interface OrganisationDoc {
  _id: string;
  name: string;
  code: string;
  codeKey: string;
  lang: string;
  createdAt: string;
  apiKeyHash?: string | null;
  telegramChannelId?: string | null;
  staffChatId?: string | null;
  linkCode?: string | null;
  /** JSON text: glossary terms are field names that may hold "." or start with "$". */
  glossary?: string;
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

/** One paid-for translation; `_id` is the opaque cache key (a hash). */
export interface TranslationDoc {
  _id: string;
  text: string;
  createdAt: Date;
}

/** A contact of one organisation. Personal data: erased with the person or the address. */
export interface ContactDoc {
  _id: string;
  orgId: string;
  personId: string | null;
  firstName: string;
  /** Null when unknown; the unique (orgId, phone) index is partial on strings, so it skips nulls. */
  phone: string | null;
  lang: string;
  channel: ChannelName;
  address: Address | null;
  /** `addressKey(address)`, or null without an address (the partial unique index skips nulls). */
  addressKey: string | null;
  tags: string[];
  source: ContactSource;
  subscribed: boolean;
  unreachable: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A broadcast; `scheduledFor` is `scheduledAt` as a date, for the due query. */
export interface BroadcastDoc {
  _id: string;
  orgId: string;
  text: string;
  sourceLang: string | null;
  audience: Broadcast['audience'];
  origin: Broadcast['origin'];
  status: Broadcast['status'];
  scheduledAt: string;
  scheduledFor: Date;
  createdAt: string;
}

/** How one broadcast reads in one language; `_id` is `broadcastId:lang`. */
export interface BroadcastTranslationDoc {
  _id: string;
  broadcastId: string;
  lang: string;
  translation: BroadcastTranslation;
}

/**
 * One outgoing message: an interactive row (reply, relay, notice, answer, template notice) or
 * one recipient's copy of a broadcast (`_id` is then `broadcastId:contactId`, so it is made
 * once). `seq` is the insertion order the interactive lane keeps per person.
 */
export interface OutboxDoc {
  _id: string;
  /** Allocated from a counter before the insert; see MongoSequence for why not an ObjectId. */
  seq: number;
  kind: OutboxKind;
  lane: Lane;
  broadcastId: string | null;
  orgId: string | null;
  contactId: string | null;
  channel: ChannelName;
  address: Address | null;
  /** `addressKey(address)` or null: the person a row goes to, for ordering, release and erasure. */
  addressKey: string | null;
  lang: string;
  firstName: string;
  /** JSON text of the Reply (interactive rows until settled), exact like sessions; null for broadcasts. */
  payload: string | null;
  inboundAt: Date | null;
  /** The last words to an erased person (absent in rows written before: false). */
  final?: boolean;
  status: DeliveryStatus;
  attempts: number;
  partsSent: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  expiresAt: Date | null;
  /** Set by the claim that leased the row, to read back exactly the rows it won. */
  claimToken: string | null;
  reason: string | null;
  platformMessageId: string | null;
  /** The channel this row fell back from (absent or null: none). */
  fallbackFrom?: ChannelName | null;
  updatedAt: Date;
}

/** One inbox entry; `seq` orders entries written at the same `at` by insertion. */
export interface InboxDoc {
  _id: string;
  orgId: string;
  contactId: string;
  direction: 'in' | 'out';
  broadcastId: string | null;
  text: string;
  lang: string | null;
  translatedText: string | null;
  translatedLang: string | null;
  at: string;
  seq: ObjectId;
}

/** One person's web chat: a counter and the latest entries (each as JSON text, like sessions). */
export interface WebchatHistoryDoc {
  /** The web chat user id. */
  _id: string;
  seq: number;
  entries: { cursor: number; entry: string }[];
}

/** The typed collections the store uses. */
export interface MongoCollections {
  readonly conversations: Collection<ConversationDoc>;
  readonly people: Collection<PersonDoc>;
  readonly organisations: Collection<OrganisationDoc>;
  readonly reach: Collection<ReachDoc>;
  readonly receipts: Collection<ReceiptDoc>;
  readonly translations: Collection<TranslationDoc>;
  readonly contacts: Collection<ContactDoc>;
  readonly broadcasts: Collection<BroadcastDoc>;
  readonly broadcastTranslations: Collection<BroadcastTranslationDoc>;
  readonly outbox: Collection<OutboxDoc>;
  readonly leases: Collection<ChannelLeaseDoc>;
  readonly counters: Collection<CounterDoc>;
  readonly inbox: Collection<InboxDoc>;
  readonly webchatHistory: Collection<WebchatHistoryDoc>;
}

/** Returns the store's collections in `db`. */
export function collectionsOf(db: Db): MongoCollections {
  return {
    conversations: db.collection<ConversationDoc>('conversations'),
    people: db.collection<PersonDoc>('people'),
    organisations: db.collection<OrganisationDoc>('organisations'),
    reach: db.collection<ReachDoc>('reach'),
    receipts: db.collection<ReceiptDoc>('receipts'),
    translations: db.collection<TranslationDoc>('translation_cache'),
    contacts: db.collection<ContactDoc>('contacts'),
    broadcasts: db.collection<BroadcastDoc>('broadcasts'),
    broadcastTranslations: db.collection<BroadcastTranslationDoc>('broadcast_translations'),
    outbox: db.collection<OutboxDoc>('outbox'),
    leases: db.collection<ChannelLeaseDoc>('channel_leases'),
    counters: db.collection<CounterDoc>('counters'),
    inbox: db.collection<InboxDoc>('inbox'),
    webchatHistory: db.collection<WebchatHistoryDoc>('webchat_history'),
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
    // Partial: most conversations have nothing to wake for. `due` repeats the `$type` so the index applies.
    c.conversations.createIndex({ wakeAt: 1, _id: 1 }, { name: 'wake', partialFilterExpression: { wakeAt: { $type: 'date' } } }),
    // Unique only when set: many organisations have no API key, channel or link code yet.
    c.organisations.createIndex({ apiKeyHash: 1 }, { name: 'api_key_unique', unique: true, partialFilterExpression: isString('apiKeyHash') }),
    c.organisations.createIndex(
      { telegramChannelId: 1 },
      { name: 'telegram_channel_unique', unique: true, partialFilterExpression: isString('telegramChannelId') },
    ),
    c.organisations.createIndex({ linkCode: 1 }, { name: 'link_code_unique', unique: true, partialFilterExpression: isString('linkCode') }),
    c.contacts.createIndex({ orgId: 1, phone: 1 }, { name: 'org_phone_unique', unique: true, partialFilterExpression: isString('phone') }),
    c.contacts.createIndex(
      { orgId: 1, addressKey: 1 },
      { name: 'org_address_unique', unique: true, partialFilterExpression: isString('addressKey') },
    ),
    c.contacts.createIndex({ addressKey: 1 }, { name: 'address' }),
    c.contacts.createIndex({ personId: 1 }, { name: 'person' }),
    c.contacts.createIndex({ orgId: 1, _id: 1 }, { name: 'org_id' }),
    c.contacts.createIndex({ orgId: 1, tags: 1 }, { name: 'org_tags' }),
    c.broadcasts.createIndex({ status: 1, scheduledFor: 1, _id: 1 }, { name: 'status_scheduled' }),
    c.broadcasts.createIndex({ orgId: 1, createdAt: -1, _id: -1 }, { name: 'org_created' }),
    c.broadcastTranslations.createIndex({ broadcastId: 1, lang: 1 }, { name: 'broadcast_lang_unique', unique: true }),
    // Pending rows of a lane in insertion order, the due time read from the key (equality, sort, range).
    c.outbox.createIndex({ channel: 1, lane: 1, status: 1, seq: 1, nextAttemptAt: 1 }, { name: 'lane_pending' }),
    c.outbox.createIndex({ channel: 1, lane: 1, status: 1, leaseUntil: 1 }, { name: 'lane_lease' }),
    c.outbox.createIndex({ broadcastId: 1, status: 1 }, { name: 'broadcast_status' }),
    c.outbox.createIndex({ status: 1, broadcastId: 1 }, { name: 'open' }),
    // A person's rows: the order check of the interactive lane, release, reply routing, erasure.
    // (Its name is the one the old deliveries collection gave it: the rename keeps the index.)
    c.outbox.createIndex({ addressKey: 1, status: 1, updatedAt: -1 }, { name: 'address_sent' }),
    c.outbox.createIndex({ status: 1, expiresAt: 1 }, { name: 'held_expiry' }),
    c.outbox.createIndex({ lane: 1, status: 1, updatedAt: 1 }, { name: 'lane_settled' }),
    c.outbox.createIndex({ orgId: 1, status: 1, seq: 1 }, { name: 'org_status' }),
    c.outbox.createIndex({ contactId: 1 }, { name: 'contact' }),
    c.inbox.createIndex({ orgId: 1, at: -1, seq: -1 }, { name: 'org_at' }),
    c.inbox.createIndex({ orgId: 1, contactId: 1, at: -1, seq: -1 }, { name: 'org_contact_at' }),
    c.inbox.createIndex({ contactId: 1 }, { name: 'contact' }),
  ]);
}

/** A partial-index filter: only documents where `field` holds a string (not null, not absent). */
function isString(field: string): Record<string, { $type: 'string' }> {
  return { [field]: { $type: 'string' } };
}
