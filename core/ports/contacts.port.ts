import type { Address, ChannelName } from '../messages.ts';

/** How a contact came to an organisation. */
export type ContactSource = 'joined' | 'imported';

/**
 * Someone an organisation may broadcast to: a person who joined it in chat, or a row the NGO
 * imported (first name, phone, language, channel, tags). Personal data throughout.
 */
export interface Contact {
  readonly id: string;
  readonly orgId: string;
  /** The person behind the contact, once known (joined in chat). */
  readonly personId: string | null;
  readonly firstName: string;
  /** E.164 phone number, for imported contacts. */
  readonly phone: string | null;
  readonly lang: string;
  readonly channel: ChannelName;
  /** Where to write to them; null when the channel cannot be reached by phone (Telegram, Messenger). */
  readonly address: Address | null;
  readonly tags: readonly string[];
  readonly source: ContactSource;
  /** False after "stop": skipped by every later broadcast of this organisation. */
  readonly subscribed: boolean;
  /** Why the last delivery could not reach them for good (blocked, not on the channel), if so. */
  readonly unreachable: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One valid row of an NGO's contact import. */
export interface ContactImport {
  readonly firstName: string;
  readonly phone: string;
  readonly lang: string;
  readonly channel: ChannelName;
  readonly address: Address | null;
  readonly tags: readonly string[];
}

/** Narrows an audience to some languages (the person's own, once known) and some channels; absent means all. */
export interface AudienceFilters {
  readonly langs?: readonly string[];
  readonly channels?: readonly ChannelName[];
}

/** Which contacts of an organisation a broadcast goes to. */
export type Audience = ({ readonly type: 'all' } | { readonly type: 'tags'; readonly tags: readonly string[] }) & AudienceFilters;

/** What the console's contact list looks for: a name or phone fragment, a tag, a language, a channel. */
export interface ContactSearch {
  readonly q?: string;
  readonly tag?: string;
  readonly lang?: string;
  readonly channel?: ChannelName;
  readonly limit: number;
  readonly offset: number;
}

/** Contacts, always scoped by organisation: one NGO never sees another's. */
export interface ContactStore {
  /** Adds or updates imported rows; a phone already known to the organisation is updated, not duplicated. */
  importMany(orgId: string, rows: readonly ContactImport[], ids: () => string, at: Date): Promise<{ created: number; updated: number }>;
  /** Adds a person who joined in chat (idempotent per organisation and address). */
  join(orgId: string, contact: Omit<Contact, 'id' | 'orgId' | 'createdAt' | 'updatedAt' | 'subscribed' | 'unreachable' | 'source'>, id: string, at: Date): Promise<Contact>;
  get(orgId: string, id: string): Promise<Contact | null>;
  list(orgId: string, options: { readonly limit: number; readonly after?: string }): Promise<Contact[]>;
  /** Contacts of any organisation reached at this address (for "stop" and replies). */
  findByAddress(address: Address): Promise<Contact[]>;
  /**
   * Links every contact at this address that has no person yet (imported rows) to the person
   * who signed up there, in any organisation: from then on the person's own language and name
   * win over the imported ones. Returns how many were linked.
   */
  linkAddress(address: Address, personId: string, at: Date): Promise<number>;
  /** Unsubscribes every contact at this address; returns how many. */
  unsubscribeAddress(address: Address, at: Date): Promise<number>;
  /** Subscribes again every contact at this address (START after STOP); returns how many. */
  resubscribeAddress(address: Address, at: Date): Promise<number>;
  /** Deletes every contact at this address ("forget me" from someone who never finished onboarding). */
  eraseAddress(address: Address): Promise<number>;
  /** Remembers that a contact cannot be reached (blocked, not on the channel). */
  markUnreachable(id: string, reason: string, at: Date): Promise<void>;
  /** How many subscribed, reachable contacts an audience holds. */
  countAudience(orgId: string, audience: Audience): Promise<number>;
  /** The languages of an audience, with counts (one translation per language); of one channel's contacts when given. */
  audienceLanguages(orgId: string, audience: Audience, channel?: ChannelName): Promise<Map<string, number>>;
  /** Contacts matching a search, by first name then id, with the number of matches. */
  search(orgId: string, search: ContactSearch): Promise<{ readonly contacts: Contact[]; readonly total: number }>;
  /** Replaces a contact's tags; null for another organisation's contact. */
  setTags(orgId: string, id: string, tags: readonly string[], at: Date): Promise<Contact | null>;
  /** Deletes one contact (with its deliveries and inbox entries); false if unknown in this organisation. */
  remove(orgId: string, id: string): Promise<boolean>;
}
