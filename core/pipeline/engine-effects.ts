import { z } from 'zod';
import { ENGINE_EVENTS } from '../dialog/engine-env.ts';
import { addressKey } from '../messages.ts';
import type { EffectHandler } from './effects.ts';

const languagePayload = z.object({ lang: z.string().min(2).max(8) });

/** Handlers for the events the engine itself emits (global commands). */
export const engineEffects: ReadonlyMap<string, EffectHandler> = new Map<string, EffectHandler>([
  [
    ENGINE_EVENTS.languageChanged,
    async (event, { person, store, clock }) => {
      if (person) await store.people.update(person.id, { lang: languagePayload.parse(event.payload).lang }, clock.now());
    },
  ],
  [
    ENGINE_EVENTS.unsubscribed,
    async (_event, { person, address, store, clock }) => {
      // "stop" means no broadcast from any organisation reaches this person, on any of their channels.
      const now = clock.now();
      if (person) await store.people.update(person.id, { subscribed: false }, now);
      for (const at of person ? [address, ...person.identities] : [address]) await store.contacts.unsubscribeAddress(at, now);
    },
  ],
  [
    ENGINE_EVENTS.resubscribed,
    async (_event, { person, address, store, clock }) => {
      // "start" undoes "stop" everywhere "stop" reached.
      const now = clock.now();
      if (person) await store.people.update(person.id, { subscribed: true }, now);
      for (const at of person ? [address, ...person.identities] : [address]) await store.contacts.resubscribeAddress(at, now);
    },
  ],
  [
    ENGINE_EVENTS.erase,
    async (_event, { person, address, store, logger }) => {
      // The conversation itself is deleted by the pipeline; this erases the person everywhere.
      // Why the reach record of this address comes back: the goodbye still has to reach them
      // (Messenger needs its conversation reference, WhatsApp its window); the outbox deletes it
      // once that last message is sent or given up (a `final` row, see OutboxWorker).
      const reach = await store.reach.get(address);
      await store.conversations.delete(addressKey(address));
      await store.reach.forget(address);
      await store.contacts.eraseAddress(address);
      await store.outbox.eraseAddress(address);
      // Their posts and the posts' translations (SQLite also cascades them from the person).
      if (person) await store.exchange.eraseByPerson(person.id);
      if (person) await store.people.erase(person.id);
      // Deleted rows must not stay readable in the database's files either.
      await store.scrubErased();
      if (reach) await store.reach.recordInbound(address, reach.lastInboundAt, reach.reference);
      logger.info({ event: 'person.erased' }, 'a person was erased on request');
    },
  ],
]);
