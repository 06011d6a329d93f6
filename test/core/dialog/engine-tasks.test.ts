import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DialogDef } from '../../../core/dialog/dialog-definition.ts';
import { conversation, say, seen, taskResult, testEnv } from './engine-harness.ts';

// Tasks that fail or whose result was lost, and natural yes/no answers: engine only.

const lookupDialog: DialogDef = {
  id: 'lookup',
  version: 1,
  start: 'name',
  steps: {
    name: { kind: 'ask', prompt: { key: 't:name' }, input: { type: 'text', schema: z.string().trim().min(2), invalid: 'common:pickOne' }, save: 'name', next: 'find' },
    find: { kind: 'task', event: 'people.find', save: 'found', next: 'age' },
    age: { kind: 'ask', prompt: { key: 't:age' }, input: { type: 'text', schema: z.coerce.number().int(), invalid: 'common:pickOne' }, save: 'age', next: 'name' },
  },
};

const searchDialog: DialogDef = {
  id: 'search',
  version: 1,
  start: 'find',
  steps: {
    find: { kind: 'task', event: 'jobs.search', save: 'results', next: 'ask', onError: 'failed' },
    failed: { kind: 'say', text: { key: 't:searchFailed' }, next: 'ask' },
    ask: { kind: 'ask', prompt: { key: 't:question' }, input: { type: 'text', schema: z.string(), invalid: 'common:pickOne' }, next: 'find' },
  },
};

const start = { kind: 'message', content: { type: 'start' } } as const;
const failed = { kind: 'task-failed', reason: 'store-unavailable' } as const;

describe('a task that fails', () => {
  it('takes its error exit when the step has one, with the reason in the data', () => {
    const c = conversation(testEnv([searchDialog]));
    c.send(start);
    expect(seen(c.send(failed))).toEqual(['The search failed.', 'Question?']);
    expect(c.session?.data['results']).toEqual({ error: 'store-unavailable' });
  });

  it('apologises and asks the question asked before the task again', () => {
    const c = conversation(testEnv([lookupDialog]));
    c.send(start);
    expect(c.send(say('Amina')).events).toEqual([{ type: 'people.find', payload: { name: 'Amina' }, awaitsResult: true }]);
    expect(seen(c.send(failed))).toEqual(['Sorry, something went wrong.', 'Name?']);
    expect(c.session).toMatchObject({ step: 'name', attempts: 0 });
  });

  it('apologises and starts the entry dialog when nothing was asked before', () => {
    const entryless: DialogDef = { id: 'first', version: 1, start: 'find', steps: { find: { kind: 'task', event: 'x.find', save: 'x', next: 'go' }, go: { kind: 'goto', dialog: 'lookup' } } };
    const c = conversation(testEnv([entryless, lookupDialog], { entry: (_p, payload) => ({ dialog: payload ? 'first' : 'lookup', data: {} }) }));
    c.send({ kind: 'message', content: { type: 'start', payload: 'code' } });
    expect(c.session?.step).toBe('find');
    expect(seen(c.send(failed))).toEqual(['Sorry, something went wrong.', 'Name?']);
  });

  it('ignores a late failure or result once the step moved on', () => {
    const c = conversation(testEnv([lookupDialog]));
    c.send(start);
    c.send(say('Amina'));
    c.send(taskResult({ id: 'p1' }));
    const stored = c.session;
    expect(c.send(failed)).toEqual({ session: stored, replies: [], events: [], unchanged: true });
    expect(c.send(taskResult({ id: 'p2' }))).toEqual({ session: stored, replies: [], events: [], unchanged: true });
  });
});

describe('a message while a task result is awaited (the result was lost)', () => {
  it('acts on a global command as at the question asked before', () => {
    const c = conversation(testEnv([lookupDialog]));
    c.send(start);
    c.send(say('Amina'));
    const stop = c.send(say('STOP'));
    expect(stop.events).toEqual([{ type: 'person.unsubscribed', payload: {}, awaitsResult: false }]);
    expect(seen(stop)).toEqual(['Unsubscribed.', 'Name?']);
    expect(c.session?.step).toBe('name');
  });

  it('apologises, then answers the message against that question instead of swallowing it', () => {
    const c = conversation(testEnv([lookupDialog]));
    c.send(start);
    c.send(say('Amina'));
    const retry = c.send(say('Amina K.'));
    expect(seen(retry)).toEqual(['Sorry, something went wrong.']);
    expect(retry.events).toEqual([{ type: 'people.find', payload: { name: 'Amina K.' }, awaitsResult: true }]);
    c.send(taskResult({ id: 'p1' }));
    expect(c.session?.step).toBe('age');
    // A message that does not answer the restored question gets its re-prompt.
    c.send(say('33'));
    c.send(say('Bob'));
    expect(seen(c.send(say('x')))).toEqual(['Sorry, something went wrong.', 'Pick one.', 'Name?']);
  });
});

const confirmDialog: DialogDef = {
  id: 'confirm',
  version: 1,
  start: 'ask',
  steps: {
    ask: {
      kind: 'ask',
      prompt: { key: 't:sure' },
      input: {
        type: 'choice',
        choices: [
          { id: 'agree', label: 'common:yes', means: 'yes' },
          { id: 'disagree', label: 'common:no', means: 'no' },
        ],
      },
      save: 'answer',
      next: { switch: 'answer', cases: { agree: 'yes' }, default: 'no' },
    },
    yes: { kind: 'say', text: { key: 't:agreed' }, next: 'ask' },
    no: { kind: 'say', text: { key: 't:refused' }, next: 'ask' },
  },
};

describe('natural answers to a yes/no question', () => {
  it.each([
    ['yes', 'Agreed.'],
    ['Oui !', 'Agreed.'],
    ['так', 'Agreed.'],
    ['نعم', 'Agreed.'],
    ['بله', 'Agreed.'],
    ['OK', 'Agreed.'],
    ['👍', 'Agreed.'],
    ['👍🏽', 'Agreed.'],
    ['evet', 'Agreed.'],
    ['haa', 'Agreed.'],
    ['sí', 'Agreed.'],
    ['እወ', 'Agreed.'],
    ['هو', 'Agreed.'],
    ['no', 'Refused.'],
    ['non', 'Refused.'],
    ['ні', 'Refused.'],
    ['لا', 'Refused.'],
    ['نه', 'Refused.'],
    ['hayır', 'Refused.'],
    ['maya', 'Refused.'],
    ['👎', 'Refused.'],
  ])('reads %s', (answer, outcome) => {
    const c = conversation(testEnv([confirmDialog]));
    c.send(start);
    expect(seen(c.send(say(answer)))[0]).toBe(outcome);
  });

  it('still re-prompts on words that are neither', () => {
    const c = conversation(testEnv([confirmDialog]));
    c.send(start);
    expect(seen(c.send(say('maybe')))).toEqual(['Pick one.', 'Sure?', ['Yes', 'No']]);
    expect(seen(c.send(say('👍👎')))).toEqual(['Pick one.', 'Sure?', ['Yes', 'No']]);
  });
});

describe('sessions stored before these features', () => {
  // The shape stored by the engine before lists, signals and timers: no asked, notifications, timer.
  const old = {
    schema: 1 as const,
    dialog: 'lookup',
    dialogVersion: 1,
    step: 'age',
    data: { name: 'Amina', found: { id: 'p1' } },
    attempts: 0,
    stack: [],
    lang: 'en',
    shown: [],
    updatedAt: '2026-11-28T09:59:00.000Z',
  };

  it('resume as they are: an answer, a signal kept for later, a timer ignored', () => {
    const env = testEnv([lookupDialog]);
    const c = conversation(env, old);
    expect(seen(c.send(say('41')))).toEqual(['Name?']);
    const kept = conversation(env, old).send({ kind: 'signal', name: 'x.news', id: 's1', payload: {} });
    expect(kept.session).toMatchObject({ step: 'age', notifications: [{ id: 's1' }], updatedAt: old.updatedAt });
    expect(conversation(env, old).send({ kind: 'timer', id: 'lookup.age#1' })).toMatchObject({ unchanged: true, session: old });
  });
});

describe('a deep link while a task result is awaited', () => {
  it('opens its flow without an apology', () => {
    const c = conversation(testEnv([lookupDialog, searchDialog], { entry: (_p, payload) => ({ dialog: payload ? 'search' : 'lookup', data: {} }) }));
    c.send(start);
    c.send(say('Amina'));
    const link = c.send({ kind: 'message', content: { type: 'start', payload: 'jobs' } });
    expect(link.replies).toEqual([]);
    expect(link.events).toEqual([{ type: 'jobs.search', payload: { startPayload: 'jobs' }, awaitsResult: true }]);
  });
});
