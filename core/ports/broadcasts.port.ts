import type { Audience } from './contacts.port.ts';

/** Where a broadcast was written. */
export type BroadcastOrigin = 'api' | 'telegram-channel' | 'staff-chat' | 'console';

/** A broadcast's life: scheduled -> sending (deliveries made) -> done; or cancelled. */
export type BroadcastStatus = 'scheduled' | 'sending' | 'done' | 'cancelled';

/** One message from an organisation to an audience. */
export interface Broadcast {
  readonly id: string;
  readonly orgId: string;
  readonly text: string;
  /** Our language code, or null to detect it. */
  readonly sourceLang: string | null;
  readonly audience: Audience;
  readonly origin: BroadcastOrigin;
  readonly status: BroadcastStatus;
  /** Nothing is sent before this time. */
  readonly scheduledAt: string;
  readonly createdAt: string;
}

/** How a broadcast reads in one language. */
export type BroadcastTranslation =
  | { readonly kind: 'translated'; readonly text: string; readonly by: string }
  | { readonly kind: 'source'; readonly text: string; readonly reason: 'same-language' | 'unsupported' | 'no-translator' | 'gave-up' };

/** Broadcasts and their per-language texts. */
export interface BroadcastStore {
  /**
   * Records a broadcast; `translations` (texts a person reviewed and edited) are stored with it,
   * before it can be found due, so no machine translation of those languages is ever made or sent.
   */
  create(broadcast: Broadcast, translations?: ReadonlyMap<string, BroadcastTranslation>): Promise<void>;
  /** A broadcast of this organisation (null for another organisation's). */
  get(orgId: string, id: string): Promise<Broadcast | null>;
  list(orgId: string, limit: number): Promise<Broadcast[]>;
  /** Scheduled broadcasts whose time has come, oldest first. */
  due(now: Date, limit: number): Promise<Broadcast[]>;
  /** Broadcasts in a status, oldest first (to finish the ones still sending). */
  inStatus(status: BroadcastStatus, limit: number): Promise<Broadcast[]>;
  /** Moves a broadcast on; returns false when it was not in `from` (another process did it). */
  transition(id: string, from: BroadcastStatus, to: BroadcastStatus): Promise<boolean>;
  saveTranslation(id: string, lang: string, translation: BroadcastTranslation): Promise<void>;
  translations(id: string): Promise<Map<string, BroadcastTranslation>>;
}
