import { describe, expect, it } from 'vitest';
import { conversation, say, seen, tap } from '../../../core/dialog/engine-harness.ts';
import { productEnv } from '../../../support/engine-env.ts';

// The relay's dialogs as a flow calls them, engine only (golden transcripts).

const person = { id: 'p1', role: 'newcomer', roleStatus: 'active', firstName: 'Léa', lang: 'en' };
const args = { subjectKind: 'exchange-post', subjectId: 'post-1', toPersonId: 'p2', intro: 'Hello!' };
const env = productEnv({ person, entry: () => ({ dialog: 'relay-request', data: args }) });
const t = (key: string, params: Record<string, unknown> = {}) => env.text('en', key, params as never);
const start = { kind: 'message', content: { type: 'start' } } as const;

describe('relay-request, as a flow calls it', () => {
  it('asks the relay for contact with the flow’s data, and says that the other side was asked', () => {
    const c = conversation(env);
    const asked = c.send(start);
    expect(asked.events).toEqual([{ type: 'relay.request', payload: args, awaitsResult: true }]);
    // (The flow's dialog goes on from here; in this test the entry is relay-request itself.)
    expect(seen(c.send({ kind: 'task-result', value: { kind: 'requested', relayId: 'r1', peer: 'Amina' } }))).toEqual([t('common:relay.requestSent', { sent: { peer: 'Amina' } })]);
  });

  it('goes into the relay when it opened at once, and says why when it cannot', () => {
    const c = conversation(env);
    c.send(start);
    const opened = c.send({ kind: 'task-result', value: { kind: 'opened', relayId: 'r1', peer: 'Amina' } });
    expect(opened.events).toEqual([{ type: 'relay.enter', payload: { relayId: 'r1' }, awaitsResult: true }]);
    const view = { kind: 'open', relayId: 'r1', peer: 'Amina', subject: '🔧 Plumbing' };
    const talk = c.send({ kind: 'task-result', value: view });
    expect(seen(talk)[0]).toBe(`${t('common:relay.talk', { view })}\n${t('common:relayHint', { words: '#end  #block  #report  #menu  #original' })}`);
    // Words typed there go to the relay; "#end" ends it and asks how it went.
    expect(c.send(say('Hello 2')).events).toEqual([{ type: 'relay.say', payload: { relayId: 'r1', view, relayed: { type: 'text', text: 'Hello 2' } }, awaitsResult: false }]);
    const ended = c.send(say('#end'));
    expect(ended.events).toEqual([{ type: 'relay.end', payload: { relayId: 'r1', view, control: 'end' }, awaitsResult: false }]);
    expect(seen(ended)).toEqual([t('common:relay.youEnded'), t('common:relay.outcome.question'), ['Yes', 'No', 'Not yet']]);
    const answered = c.send(tap('not-yet'));
    expect(answered.events[0]).toEqual({ type: 'relay.outcome', payload: { outcomeOf: 'r1', outcome: 'not-yet' }, awaitsResult: false });
    expect(seen(answered)[0]).toBe(t('common:relay.outcome.thanks'));

    const refused = conversation(env);
    refused.send(start);
    expect(seen(refused.send({ kind: 'task-result', value: { kind: 'blocked' } }))[0]).toBe(t('common:relay.cannotContact'));
  });
});
