/**
 * Conversations relayed between two people (an exchange post, a job application): who talks
 * with whom about what, their recent words, blocks, reports and suspensions, and how the
 * conversations turned out. Person ids only: addresses never enter this store.
 */

/**
 * Where a relay stands. `requested`: waiting for the receiver to accept; `open`: messages flow;
 * `declined`, `ended` (by one side), `closed` (silence), `left` (one side was erased): over.
 */
export type RelayStatus = 'requested' | 'open' | 'declined' | 'ended' | 'closed' | 'left';

/** The statuses in which nothing flows any more. */
export const RELAY_OVER: readonly RelayStatus[] = ['declined', 'ended', 'closed', 'left'];

/** What a relay is about, as the flow that opened it names it. */
export interface RelaySubject {
  /** 'exchange-post', 'job-application', ... */
  readonly kind: string;
  readonly id: string;
}

/** One relayed conversation between a requester and a receiver. */
export interface Relay {
  readonly id: string;
  readonly subject: RelaySubject;
  /** Null once that person was erased (the relay then reads `left` for the other side). */
  readonly requesterId: string | null;
  readonly receiverId: string | null;
  readonly status: RelayStatus;
  /** The requester's first words, shown with the request (null when none). */
  readonly intro: string | null;
  /** A flow's own words about the pair, e.g. a rounded distance key and params (never a place). */
  readonly context: Readonly<Record<string, string | number>> | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Last relayed message (or the request): the 14-day silence counts from it. */
  readonly lastMessageAt: string;
  /** When the relay closes if nothing more is said. */
  readonly closesAt: string;
  /** Who ended, blocked or reported (null otherwise). */
  readonly endedBy: string | null;
  /** What each side last saw: messages after it are unread. */
  readonly requesterSeenAt: string;
  readonly receiverSeenAt: string;
  /** "Did it work out?" already answered by each side. */
  readonly requesterAnswered: boolean;
  readonly receiverAnswered: boolean;
}

/** Fields a transition may change. */
export type RelayPatch = Partial<
  Pick<Relay, 'status' | 'lastMessageAt' | 'closesAt' | 'endedBy' | 'requesterSeenAt' | 'receiverSeenAt' | 'requesterAnswered' | 'receiverAnswered'>
>;

/** One person's words in a relay, as written, and as the other side read them. */
export interface RelayMessage {
  /** Derived from the effect that relayed it: relaying it again adds nothing. */
  readonly id: string;
  readonly relayId: string;
  readonly fromPersonId: string;
  readonly text: string;
  readonly lang: string;
  /** What the reader got (translation or the original with a note); null while held or not yet sent. */
  readonly shownText: string | null;
  readonly shownLang: string | null;
  /** Held until the writer confirms (a phone number, an e-mail address, a link). */
  readonly held: boolean;
  readonly at: string;
}

/** A report to moderators, with the last messages of the relay in both languages. */
export interface RelayReport {
  readonly id: string;
  readonly relayId: string;
  readonly subject: RelaySubject;
  /** The organisation whose queue it is in; null for the operator's. */
  readonly orgId: string | null;
  readonly reporterId: string;
  readonly reportedId: string;
  readonly evidence: readonly RelayMessage[];
  readonly status: 'open' | 'dismissed' | 'suspended';
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A person kept out of relays (and the exchange) by moderation. */
export interface Suspension {
  readonly personId: string;
  readonly orgId: string | null;
  readonly reportId: string | null;
  readonly at: string;
}

/** The answers to "Did you agree on something?" for one subject (or a whole kind). */
export interface OutcomeCounts {
  readonly yes: number;
  readonly no: number;
  readonly notYet: number;
}

/** One answer to "Did you agree on something?". */
export type OutcomeAnswer = 'yes' | 'no' | 'not-yet';

/** The store of relays. Every write is idempotent by its id or conditional on a status. */
export interface RelayStore {
  /** Creates a relay; an id already present is left as it is. Returns the stored relay. */
  create(relay: Relay): Promise<Relay>;
  get(id: string): Promise<Relay | null>;
  /**
   * Changes a relay only while its status is one of `from` (a decision taken twice, or raced
   * by the silence sweep, applies once). Returns the changed relay, or null when it did not apply.
   */
  transition(id: string, from: readonly RelayStatus[], patch: RelayPatch, at: Date): Promise<Relay | null>;
  /** A person's relays, the most recently active first. */
  listFor(personId: string, limit: number): Promise<Relay[]>;
  /** A relay between these two about this subject that is requested or open, if any. */
  findLive(a: string, b: string, subject: RelaySubject): Promise<Relay | null>;
  /** Open or requested relays whose `closesAt` has passed, oldest first. */
  dueToClose(now: Date, limit: number): Promise<Relay[]>;

  /** Adds a message; an id already present is left as it is. Keeps the latest `keep` per relay. */
  addMessage(message: RelayMessage, keep: number): Promise<void>;
  /**
   * Marks a held or not yet sent message (no `shownText`) as sent at `at` with what the reader
   * got, after every message sent so far (it is the latest now); returns it, or null if it was sent.
   */
  releaseMessage(id: string, shownText: string, shownLang: string, at: Date): Promise<RelayMessage | null>;
  /** Deletes a held message (the writer chose not to send it); true when it was there. */
  discardMessage(id: string): Promise<boolean>;
  getMessage(id: string): Promise<RelayMessage | null>;
  /** The latest `limit` messages of a relay that were sent (not held, not pending), in the order they were sent. */
  messages(relayId: string, limit: number): Promise<RelayMessage[]>;

  block(blockerId: string, blockedId: string, at: Date): Promise<void>;
  /** Whether either of the two blocked the other. */
  isBlockedEitherWay(a: string, b: string): Promise<boolean>;
  /** Everyone this person blocked or was blocked by (search hides them both ways). */
  blockedEitherWay(personId: string): Promise<string[]>;

  /** Files a report; an id already present is left as it is. */
  addReport(report: RelayReport): Promise<void>;
  /** Reports in one queue (an organisation's, or the operator's for null), newest first. */
  reports(orgId: string | null, status: RelayReport['status'] | null, limit: number): Promise<RelayReport[]>;
  /** A report, only if it is in that queue. */
  getReport(orgId: string | null, id: string): Promise<RelayReport | null>;
  /** Changes a report's status, only while it is open; returns it, or null. */
  settleReport(orgId: string | null, id: string, status: 'dismissed' | 'suspended', at: Date): Promise<RelayReport | null>;

  suspend(suspension: Suspension): Promise<void>;
  isSuspended(personId: string): Promise<boolean>;

  /** Marks "Did it work out?" answered by one side; false when it already was (count it once). */
  markAnswered(relayId: string, side: 'requester' | 'receiver', at: Date): Promise<boolean>;
  /** Adds one answer to a subject's counts (no person is named in the counts). */
  countOutcome(subject: RelaySubject, answer: OutcomeAnswer): Promise<void>;
  /** Counts for one subject, or for every subject of a kind when `id` is absent. */
  outcomes(kind: string, id?: string): Promise<OutcomeCounts>;

  /**
   * Erases a person from relays: their messages, the reports they made, their blocks and
   * suspension; each relay they were in is kept for the other side as `left`, without them.
   * Returns the relays they were in (as they were before), so the other sides can be told.
   */
  erasePerson(personId: string, at: Date): Promise<Relay[]>;

  /**
   * Retention: deletes up to `limit` relays that are over (declined, ended, closed, left) with
   * nothing said or done in them since before `before`, with their messages. Returns how many.
   */
  deleteOverBefore(before: Date, limit: number): Promise<number>;
  /** Deletes held messages written before `before` that the writer never confirmed; returns how many. */
  dropHeldBefore(before: Date): Promise<number>;
  /** The distinct subject ids of a kind's relays, in id order after `after` (paging for retention). */
  subjectIds(kind: string, after: string, limit: number): Promise<string[]>;
  /** Deletes every relay about these subjects, with their messages (the subjects are gone); returns how many. */
  deleteBySubjects(kind: string, ids: readonly string[]): Promise<number>;
}
