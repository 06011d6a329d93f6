import type { Json } from '../../../core/dialog/json.ts';
import type { EffectContext, EffectHandler } from '../../../core/pipeline/effects.ts';
import { typedHandler } from '../../../core/pipeline/typed-effects.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import { answerOutcome, endRelay } from './relay-endings.ts';
import { firstRelayNews, inboxView } from './relay-inbox.ts';
import { RELAY_EVENTS } from './relay-names.ts';
import { decideRequest, listRelays, viewRelay } from './relay-requests.ts';
import { answerHeld, originalText, sayInRelay } from './relay-talk.ts';
import type { RelayService } from './relay.service.ts';

/** The person behind the turn; relays are for people who signed up. */
async function personOf(context: EffectContext): Promise<Person> {
  const person = context.person ?? (await context.store.people.findByAddress(context.address));
  if (!person) throw new Error('a relay event from someone who has not signed up');
  return person;
}

/** Handlers of the relay dialogs' events (and of `relay.request`, which flows' dialogs emit too). */
export function relayEffects(relays: RelayService): ReadonlyMap<string, EffectHandler> {
  const kit = relays.kit;
  return new Map<string, EffectHandler>([
    typedHandler(RELAY_EVENTS.request, async (p, context): Promise<Json> => {
      const open = p.open === true || p.open === 'yes';
      return relays.request(context.effectId, await personOf(context), { subjectKind: p.subjectKind, subjectId: p.subjectId, toPersonId: p.toPersonId, intro: p.intro ?? null, open, context: p.context ?? null });
    }),
    typedHandler(RELAY_EVENTS.enter, async ({ relayId }, context): Promise<Json> => viewRelay(kit, relayId, await personOf(context))),
    typedHandler(RELAY_EVENTS.say, async (p, context) => {
      if (!p.relayId) return;
      const person = await personOf(context);
      const id = `m:${context.effectId}`;
      if (p.relayed?.type === 'location') {
        // An exact place would tell where the person lives: places are agreed in words.
        await kit.deps.send([kit.row(`${id}:place`, 'notice', context.address, person.lang, kit.t(person.lang, 'noPlaces'))]);
        return;
      }
      const text = p.relayed?.text ?? p.typed;
      if (text) await sayInRelay(kit, id, person, context.address, p.relayId, text);
    }),
    typedHandler(RELAY_EVENTS.decide, async ({ view, decision }, context): Promise<Json> => {
      await decideRequest(kit, view.relayId, await personOf(context), decision === 'accept');
      return { relayId: view.relayId };
    }),
    typedHandler(RELAY_EVENTS.end, async ({ relayId, control }, context) => endRelay(kit, context.effectId, relayId, await personOf(context), control)),
    typedHandler(RELAY_EVENTS.outcome, async ({ outcomeOf, outcome }, context) => answerOutcome(kit, outcomeOf, await personOf(context), outcome)),
    typedHandler(RELAY_EVENTS.original, async ({ relayId }, context): Promise<Json> => {
      const person = await personOf(context);
      const relay = await context.store.relays.get(relayId);
      return { text: relay ? await originalText(kit, relay, person) : kit.t(person.lang, 'noOriginal') };
    }),
    typedHandler(RELAY_EVENTS.list, async (_p, context): Promise<Json> => listRelays(kit, await personOf(context))),
    typedHandler(RELAY_EVENTS.inbox, async ({ signal, relayId }, context): Promise<Json> => inboxView(kit, await personOf(context), signal, relayId ?? null)),
    typedHandler(RELAY_EVENTS.held, async ({ view, send }, context): Promise<Json> => answerHeld(kit, view.messageId, await personOf(context), context.address, send === 'yes')),
    typedHandler(RELAY_EVENTS.news, async ({ news }): Promise<Json> => firstRelayNews(news?.items ?? [])),
  ]);
}
