import { DIALOGS } from '../../../../bots/bots.ts';
import { gazetteer } from '../../../../bots/common/places/gazetteer.ts';
import { placeEffects } from '../../../../bots/common/places/places.effects.ts';
import { dialogRegistry, type DialogDef } from '../../../../core/dialog/dialog-definition.ts';
import type { PersonView } from '../../../../core/dialog/engine-env.ts';
import type { EngineInput } from '../../../../core/dialog/engine-env.ts';
import type { EffectContext } from '../../../../core/pipeline/effects.ts';
import { systemClock } from '../../../../core/ports/clock.port.ts';
import { silentLogger } from '../../../../core/ports/logger.port.ts';
import type { Person, Place } from '../../../../core/ports/people.port.ts';
import type { Store } from '../../../../core/ports/store.port.ts';
import type { TurnResult } from '../../../../core/dialog/engine.ts';
import { conversation } from '../../../core/dialog/engine-harness.ts';
import { productEnv } from '../../../support/engine-env.ts';

/** A flow that asks for a place and says what it got: the sub-dialog as a flow uses it. */
const asker: DialogDef = {
  id: 'asker',
  version: 1,
  start: 'where',
  steps: {
    where: { kind: 'call', dialog: 'place', save: 'place', next: 'after' },
    after: { kind: 'ask', prompt: { key: 'common:pickOne' }, input: { type: 'choice', choices: [{ id: 'again', label: 'common:yes' }] }, save: 'x', next: 'where' },
  },
};

/** What the person reads: each text, then the labels of its buttons (a location prompt's skip too). */
export function seen(result: TurnResult): (string | string[])[] {
  return result.replies.flatMap((r) => {
    const m = r.message;
    if (m.type === 'choices') return [m.text, m.choices.map((c) => c.label)];
    if (m.type === 'location-request') return [m.text, m.skip ? [m.skip.label] : []];
    return [m.text];
  });
}

/** A person as onboarding stored them. */
export function person(lang: string, place: Place | null): Person {
  return {
    id: 'p1',
    role: 'resident',
    roleStatus: 'active',
    lang,
    firstName: 'Léa',
    place,
    consent: { noticeVersion: 1, givenAt: '2026-11-01T00:00:00Z' },
    orgId: null,
    subscribed: true,
    identities: [{ channel: 'messenger', id: 'psid-1' }],
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
  };
}

/**
 * Drives the place sub-dialog with the real dialogs, strings and gazetteer, running each task
 * the dialog waits for as the pipeline would. Returns what the person reads after each input.
 */
export function placeChat(who: Person | null) {
  const view: PersonView | null = who && { id: who.id, role: who.role, roleStatus: who.roleStatus, firstName: who.firstName, lang: who.lang };
  const env = productEnv({ dialogs: dialogRegistry([...DIALOGS, asker]), person: view, entry: () => ({ dialog: 'asker', data: {} }) });
  const c = conversation(env);
  const effects = placeEffects({ gazetteer, defaultLang: 'en' });
  const context = {
    address: { channel: 'messenger', id: 'psid-1' },
    person: who,
    effectId: 'e1',
    store: {} as Store,
    clock: systemClock,
    ids: { newId: () => 'id' },
    logger: silentLogger,
    send: async () => {},
    signal: async () => {},
  } satisfies EffectContext;
  return {
    get session() {
      return c.session;
    },
    async send(input: EngineInput): Promise<(string | string[])[]> {
      let result = c.send(input);
      const out = seen(result);
      for (;;) {
        const task = result.events.find((e) => e.awaitsResult);
        if (!task) return out;
        const value = await effects.get(task.type)!(task, context);
        result = c.send({ kind: 'task-result', value: value ?? null });
        out.push(...seen(result));
      }
    },
  };
}
