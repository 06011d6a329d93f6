/** Whether a post offers something or looks for something. */
export const POST_KINDS = ['offer', 'need'] as const;
/** One of {@link POST_KINDS}. */
export type PostKind = (typeof POST_KINDS)[number];

/** `open` posts show in searches until they expire; `closed` by the poster; `hidden` by moderation. */
export type PostStatus = 'open' | 'closed' | 'hidden';

/**
 * A post of the skill-for-service exchange. Its place is a coarse cell and that cell's centre,
 * never a person's exact point. Everything in it is personal data of the poster: it goes when
 * they are forgotten, with its stored translations.
 */
export interface ExchangePost {
  readonly id: string;
  readonly personId: string;
  readonly kind: PostKind;
  /** A category id of the fixed taxonomy (`plumbing`, `clothes`, ...). */
  readonly category: string;
  /** The poster's own words, or null. */
  readonly description: string | null;
  /** The language the poster wrote in (their conversation language). */
  readonly lang: string;
  /** What is asked or offered in return: free text, or null; see `gift`. */
  readonly inReturn: string | null;
  /** "Nothing, it's a gift". */
  readonly gift: boolean;
  readonly cell: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly status: PostStatus;
  readonly createdAt: string;
  /** When it was posted or last renewed: "how long ago" counts from here. */
  readonly renewedAt: string;
  readonly expiresAt: string;
  /** When the poster is reminded that it ends soon. */
  readonly remindAt: string;
  readonly remindedAt: string | null;
}

/** Fields the poster or a moderator may change. */
export type PostPatch = Partial<Pick<ExchangePost, 'description' | 'lang' | 'inReturn' | 'gift' | 'status' | 'renewedAt' | 'expiresAt' | 'remindAt' | 'remindedAt'>>;

/** A search: open, unexpired posts of one kind near a point, nearest first. */
export interface NearbyQuery {
  readonly latitude: number;
  readonly longitude: number;
  readonly radiusKm: number;
  readonly kind: PostKind;
  /** One category, or every category when null. */
  readonly category: string | null;
  readonly now: Date;
  /** Posts of these people never show (the reader, people blocked either way). */
  readonly excludePersonIds: readonly string[];
  readonly limit: number;
  readonly offset: number;
}

/** One search hit: the post and its distance in kilometres (centre to centre). */
export interface NearbyPost {
  readonly post: ExchangePost;
  readonly km: number;
}

/** Posts of the exchange and their translations. */
export interface ExchangeStore {
  /** Stores a new post; storing the same id again changes nothing (a replayed effect). */
  create(post: ExchangePost): Promise<void>;
  get(id: string): Promise<ExchangePost | null>;
  /** A person's posts that are not hidden, newest first. */
  listByPerson(personId: string): Promise<ExchangePost[]>;
  /** How many open, unexpired posts a person has. */
  countOpen(personId: string, now: Date): Promise<number>;
  /** Changes a post; returns it as stored, or null if unknown. */
  update(id: string, patch: PostPatch): Promise<ExchangePost | null>;
  /** Open, unexpired posts near a point, nearest first (ties: newest first). */
  nearby(query: NearbyQuery): Promise<NearbyPost[]>;
  /** Open posts whose reminder is due and was not sent yet, soonest first. */
  dueReminders(now: Date, limit: number): Promise<ExchangePost[]>;
  /** Deletes posts expired before `before` (with their translations); returns how many. */
  purgeExpired(before: Date, limit: number): Promise<number>;
  /** The stored translations of a post's description, by language, for the languages asked. */
  translations(postId: string, langs: readonly string[]): Promise<Map<string, string>>;
  putTranslation(postId: string, lang: string, text: string, at: Date): Promise<void>;
  /** Posts of the people who are contacts of an organisation, newest first (the NGO's view). */
  listForOrganisation(orgId: string, options: { readonly limit: number }): Promise<ExchangePost[]>;
  /** One post of a person who is a contact of the organisation, else null (another NGO's post is not found). */
  getForOrganisation(orgId: string, id: string): Promise<ExchangePost | null>;
  /** Deletes every post of a person and their translations ("forget me"); returns how many. */
  eraseByPerson(personId: string): Promise<number>;
}

/** Who a person must not meet in the exchange: people they blocked or who blocked them (the relay owns blocks). */
export interface ExchangeBlocks {
  blockedEitherWay(personId: string): Promise<readonly string[]>;
  /** Suspended from the exchange by moderation: their posts do not show. */
  isSuspended(personId: string): Promise<boolean>;
}

/** No blocks and no suspensions (tests of the exchange alone). */
export const noBlocks: ExchangeBlocks = { blockedEitherWay: async () => [], isSuspended: async () => false };
