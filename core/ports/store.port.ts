import type { ChannelLeases } from './channel-lease.port.ts';
import type { ConversationStore } from './conversation-store.port.ts';
import type { OrganisationStore, PeopleStore } from './people.port.ts';
import type { ReachStore, ReceiptStore } from './reach.port.ts';
import type { TranslationCache } from './translator.port.ts';
import type { BroadcastStore } from './broadcasts.port.ts';
import type { ContactStore } from './contacts.port.ts';
import type { InboxStore } from './inbox.port.ts';
import type { Outbox } from './outbox.port.ts';
import type { HousekeepingStore } from './housekeeping.port.ts';
import type { WebchatHistory } from './webchat-history.port.ts';
import type { JobStore } from './jobs.port.ts';
import type { ConsoleStore } from './console.port.ts';
import type { RelayStore } from './relays.port.ts';
import type { ExchangeStore } from './exchange.port.ts';

/**
 * Everything persistent, as one handle that the composition root opens and closes.
 * Each member is a narrow port; adapters (SQLite, MongoDB) implement them all.
 */
export interface Store {
  readonly conversations: ConversationStore;
  readonly people: PeopleStore;
  readonly organisations: OrganisationStore;
  readonly reach: ReachStore;
  readonly receipts: ReceiptStore;
  readonly translations: TranslationCache;
  readonly contacts: ContactStore;
  readonly broadcasts: BroadcastStore;
  readonly outbox: Outbox;
  readonly leases: ChannelLeases;
  readonly inbox: InboxStore;
  /** The web chat's conversations as the page shows them (erased with the person). */
  readonly webchat: WebchatHistory;
  readonly housekeeping: HousekeepingStore;
  /** Jobs, candidates' profiles and applications (the jobs flow). */
  readonly jobs: JobStore;
  /** The web console's accounts, sessions, audit log and named API keys. */
  readonly console: ConsoleStore;
  /** Conversations relayed between two people, their blocks, reports and outcomes. */
  readonly relays: RelayStore;
  /** The exchange's posts (offers and needs) and their translations. */
  readonly exchange: ExchangeStore;
  /**
   * Resolves when the backing database answers and can write (for /readyz); rejects with a
   * StoreUnavailableError (or StoreBusyError) otherwise.
   */
  ping(): Promise<void>;
  /**
   * Called after an erasure ("forget me"): makes the erased data unrecoverable from the files
   * the store keeps, where the database allows it (SQLite: checkpoint and truncate the WAL).
   */
  scrubErased(): Promise<void>;
  close(): Promise<void>;
}
