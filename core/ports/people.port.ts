import type { Address, ChannelName } from '../messages.ts';

/** Roles a person chooses at onboarding. */
export const ROLES = ['newcomer', 'resident', 'ngo-staff', 'recruiter'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** Staff and recruiter roles wait for an administrator; the others are active at once. */
export type RoleStatus = 'active' | 'pending';

/** Where the person said they are: a shared pin, or a typed town or postcode. */
export type Place =
  | { readonly type: 'pin'; readonly latitude: number; readonly longitude: number }
  | { readonly type: 'typed'; readonly text: string };

/** What the person agreed to, and when (the privacy notice has a version). */
export interface Consent {
  readonly noticeVersion: number;
  readonly givenAt: string;
}

/** A person the product serves. Every field but the id is personal data. */
export interface Person {
  readonly id: string;
  readonly role: Role;
  readonly roleStatus: RoleStatus;
  readonly lang: string;
  readonly firstName: string;
  readonly place: Place | null;
  readonly consent: Consent;
  /** The organisation of a staff member or recruiter (requested until approved). */
  readonly orgId: string | null;
  /** False once the person said "stop": no broadcast reaches them. */
  readonly subscribed: boolean;
  readonly identities: readonly Address[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Fields that can change after onboarding. */
export type PersonPatch = Partial<Pick<Person, 'role' | 'roleStatus' | 'lang' | 'firstName' | 'place' | 'orgId' | 'subscribed'>>;

/** People and their channel identities. */
export interface PeopleStore {
  findByAddress(address: Address): Promise<Person | null>;
  get(id: string): Promise<Person | null>;
  /** Creates a person; fails if one of the identities already belongs to someone. */
  create(person: Person): Promise<void>;
  update(id: string, patch: PersonPatch, at: Date): Promise<Person | null>;
  /** Adds a channel identity to an existing person (the same person on a second channel). */
  addIdentity(id: string, address: Address): Promise<void>;
  /** People whose role waits for approval, oldest first; with `orgId`, only those who asked to act for it. */
  listPending(orgId?: string): Promise<Person[]>;
  /** The channels the person chose to be reached on first, in their order; empty when they never chose. */
  channelOrder(id: string): Promise<ChannelName[]>;
  /** Stores the person's own channel order (replacing the last one); false if the person is unknown. */
  setChannelOrder(id: string, channels: readonly ChannelName[], at: Date): Promise<boolean>;
  /**
   * Erases the person, their identities, conversations and reach records, and every contact,
   * delivery and inbox entry that names them. Returns false if unknown.
   */
  erase(id: string): Promise<boolean>;
}

/** An NGO or employer: the tenant that owns contacts, broadcasts and jobs. */
export interface Organisation {
  readonly id: string;
  readonly name: string;
  /** Short code people type to join ("JOIN code", `/start code`). Unique, lower case. */
  readonly code: string;
  /** Language the staff read replies in. */
  readonly lang: string;
  readonly createdAt: string;
  /** sha256 of the organisation's admin API key (the key itself is shown once, never stored). */
  readonly apiKeyHash: string | null;
  /** The Telegram channel whose posts become broadcasts. */
  readonly telegramChannelId: string | null;
  /** The Telegram chat where staff read replies to broadcasts. */
  readonly staffChatId: string | null;
  /** One-time code that links a Telegram channel when posted in it. */
  readonly linkCode: string | null;
  /** Terms translated one way, per target language: `{ ar: { "asylum": "اللجوء" } }`. */
  readonly glossary: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Organisation fields that change after creation. */
export type OrganisationPatch = Partial<Pick<Organisation, 'name' | 'lang' | 'apiKeyHash' | 'telegramChannelId' | 'staffChatId' | 'linkCode' | 'glossary'>>;

/** Organisations (tenants). */
export interface OrganisationStore {
  create(org: Organisation): Promise<void>;
  get(id: string): Promise<Organisation | null>;
  findByCode(code: string): Promise<Organisation | null>;
  list(): Promise<Organisation[]>;
  update(id: string, patch: OrganisationPatch): Promise<Organisation | null>;
  findByApiKeyHash(hash: string): Promise<Organisation | null>;
  findByTelegramChannel(chatId: string): Promise<Organisation | null>;
  findByLinkCode(code: string): Promise<Organisation | null>;
}
