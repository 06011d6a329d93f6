import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/ports/store.port.ts';
import { audienceContract } from './store-contract/audience.contract.ts';
import { broadcastsContract } from './store-contract/broadcasts.contract.ts';
import { contactsContract } from './store-contract/contacts.contract.ts';
import { conversationsContract } from './store-contract/conversations.contract.ts';
import { erasureContract } from './store-contract/erasure.contract.ts';
import { exchangeContract } from './store-contract/exchange.contract.ts';
import { sessionFor, uid } from './store-contract/fixtures.ts';
import { housekeepingContract } from './store-contract/housekeeping.contract.ts';
import { jobsContract } from './store-contract/jobs.contract.ts';
import { inboxContract } from './store-contract/inbox.contract.ts';
import { organisationsContract } from './store-contract/organisations.contract.ts';
import { outboxClaimContract } from './store-contract/outbox-claim.contract.ts';
import { outboxContract } from './store-contract/outbox.contract.ts';
import { outboxSettleContract } from './store-contract/outbox-settle.contract.ts';
import { peopleContract } from './store-contract/people.contract.ts';
import { reachContract, receiptsContract } from './store-contract/reach.contract.ts';
import { translationsContract } from './store-contract/translations.contract.ts';
import { webchatHistoryContract } from './store-contract/webchat-history.contract.ts';
import { relaysContract } from './store-contract/relays.contract.ts';
import { consoleContract } from './store-contract/console.contract.ts';

/**
 * The behaviour every Store adapter must have; each adapter's test file calls this with a way
 * to open it. Every test makes its own ids, so the suite may run against a shared database.
 */
export function storeContract(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let opened: Store | undefined;
    const store = (): Store => {
      if (!opened) throw new Error('the store did not open');
      return opened;
    };

    beforeAll(async () => {
      opened = await open();
    });

    afterAll(async () => {
      await opened?.close();
      await cleanup?.();
    });

    conversationsContract(store);
    peopleContract(store);
    organisationsContract(store);
    reachContract(store);
    receiptsContract(store);
    translationsContract(store);
    contactsContract(store);
    audienceContract(store);
    broadcastsContract(store);
    outboxContract(store);
    outboxClaimContract(store);
    outboxSettleContract(store);
    inboxContract(store);
    erasureContract(store);
    webchatHistoryContract(store);
    housekeepingContract(store);
    relaysContract(store);
    exchangeContract(store);
    jobsContract(store);
    consoleContract(store);

    describe('lifecycle', () => {
      it('ping resolves while the store is open', async () => {
        await expect(store().ping()).resolves.toBeUndefined();
      });

      it('a second handle sees the first one’s writes, and close resolves', async () => {
        const second = await open();
        try {
          const key = `telegram:${uid()}`;
          await store().conversations.save(key, { session: sessionFor('shared'), effects: [], outgoing: [], inputs: [], seen: [] }, null, null);
          expect(await second.conversations.load(key)).toEqual({ value: { session: sessionFor('shared'), effects: [], outgoing: [], inputs: [], seen: [] }, version: 1 });
          await expect(second.ping()).resolves.toBeUndefined();
        } finally {
          await expect(second.close()).resolves.toBeUndefined();
        }
      });
    });
  });
}
