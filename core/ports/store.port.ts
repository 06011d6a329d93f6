import type { ConversationStore, InboundLedger } from './conversation-store.port.ts';
import type { OrganisationStore, PeopleStore } from './people.port.ts';
import type { ReachStore, ReceiptStore } from './reach.port.ts';
import type { TranslationCache } from './translator.port.ts';

/**
 * Everything persistent, as one handle that the composition root opens and closes.
 * Each member is a narrow port; adapters (SQLite, MongoDB) implement them all.
 */
export interface Store {
  readonly conversations: ConversationStore;
  readonly ledger: InboundLedger;
  readonly people: PeopleStore;
  readonly organisations: OrganisationStore;
  readonly reach: ReachStore;
  readonly receipts: ReceiptStore;
  readonly translations: TranslationCache;
  /** Resolves when the backing database answers (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
