import type { OutboundMessage } from '../messages.ts';

/** Who wrote a web chat entry: the person at the page, or the bot (a turn, a broadcast, an answer). */
export type WebchatAuthor = 'person' | 'bot';

/** One message of a web chat conversation, as it is stored. Personal data: erased with the person. */
export interface WebchatEntry {
  readonly author: WebchatAuthor;
  /** The language it is written in (for `lang` and direction); null when unknown. */
  readonly lang: string | null;
  readonly message: OutboundMessage;
  /** The page's id for the person's own message, so that the page can match its echo. */
  readonly clientId: string | null;
  readonly at: string;
}

/** A stored entry with its cursor. */
export interface StoredWebchatEntry extends WebchatEntry {
  /** Increases with every entry of one person, so `after` finds exactly what came later. */
  readonly cursor: number;
}

/** Entries kept per person; older ones are dropped as new ones arrive. */
export const WEBCHAT_HISTORY_KEPT = 200;

/**
 * A web chat conversation kept on the server, so that it follows the person's id across reloads
 * and server processes. Why stored and not in memory: several processes may serve one person
 * (the turn on one, a broadcast on another), and every one of them must see the same history.
 */
export interface WebchatHistory {
  /** Adds one entry; returns its cursor, greater than every earlier cursor of this person. */
  append(userId: string, entry: WebchatEntry): Promise<number>;
  /**
   * Entries oldest first: those after `after` when given (at most `limit`, the oldest of them),
   * else the latest `limit`.
   */
  list(userId: string, options: { readonly after?: number; readonly limit: number }): Promise<StoredWebchatEntry[]>;
  /** Deletes everything kept for this person; returns how many entries went. */
  erase(userId: string): Promise<number>;
  /**
   * Rewrites this person's entries (someone they talked with was erased): `change` returns the
   * entry to keep, changed or not, or null to delete it. Cursors stay. Returns how many changed.
   */
  rewrite(userId: string, change: (entry: WebchatEntry) => WebchatEntry | null): Promise<number>;
}
