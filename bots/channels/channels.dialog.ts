import type { DialogDef } from '../../core/dialog/dialog-definition.ts';

/** Tasks of the channel-order dialog. */
export const CHANNELS_EVENTS = {
  /** The channels the person is known on, as options labelled in their language. */
  known: 'channels.known',
  /** Stores the picked channel first in the person's own order. */
  prefer: 'channels.prefer',
} as const;

/** "My channels": which of the channels the person is known on we write to first. */
export const channelsDialog: DialogDef = {
  id: 'channels',
  version: 1,
  start: 'known',
  steps: {
    known: { kind: 'task', event: CHANNELS_EVENTS.known, save: 'known', next: { switch: 'known.many', cases: { yes: 'pick' }, default: 'one' } },
    one: { kind: 'say', text: { key: 'channels:onlyOne' }, next: 'done' },
    pick: { kind: 'ask', prompt: { key: 'channels:pick' }, input: { type: 'choice', from: 'known.options', choices: [] }, save: 'channel', next: 'prefer' },
    prefer: { kind: 'task', event: CHANNELS_EVENTS.prefer, save: 'saved', next: 'saved' },
    saved: { kind: 'say', text: { key: 'channels:saved' }, next: 'done' },
    done: { kind: 'end' },
  },
};
