import { describe, expect, it } from 'vitest';
import type { DialogDef } from '../../../core/dialog/dialog-definition.ts';
import { conversation, testEnv } from './engine-harness.ts';

// A location step may reduce a shared pin before anything is stored: the session never holds the point.
const where: DialogDef = {
  id: 'where',
  version: 1,
  start: 'ask',
  steps: {
    ask: {
      kind: 'ask',
      prompt: { key: 't:title' },
      input: {
        type: 'location',
        skip: { id: 'skip', label: 't:back' },
        invalid: 't:badYear',
        reducePin: (latitude, longitude) => ({ type: 'pin', latitude: Math.round(latitude), longitude: Math.round(longitude) }),
      },
      save: 'place',
      next: 'done',
    },
    done: { kind: 'say', text: { key: 't:home' }, next: 'ask' },
  },
};

describe('a location step with reducePin', () => {
  it('saves what the reduction returns, never the point shared', () => {
    const c = conversation(testEnv([where]));
    c.send({ kind: 'message', content: { type: 'start' } });
    c.send({ kind: 'message', content: { type: 'location', latitude: 48.936181, longitude: 2.357443 } });
    expect(c.session?.data['place']).toEqual({ type: 'pin', latitude: 49, longitude: 2 });
    expect(JSON.stringify(c.session)).not.toContain('48.936181');
  });
});
