import type { DialogDef } from '../../core/dialog/dialog-definition.ts';

/** Opened by the `language` command from anywhere: pick, confirm, and go back where we were. */
export const languageDialog: DialogDef = {
  id: 'language',
  version: 1,
  start: 'pick',
  steps: {
    pick: { kind: 'ask', prompt: { key: 'common:pickLanguage' }, input: { type: 'language' }, save: 'lang', next: 'confirm' },
    confirm: { kind: 'say', text: { key: 'common:languageSet' }, next: 'done' },
    done: { kind: 'end', result: 'lang' },
  },
};

/** Opened by the `forget` command: erasure is real, so it is confirmed first. */
export const forgetDialog: DialogDef = {
  id: 'forget',
  version: 1,
  start: 'confirm',
  steps: {
    confirm: {
      kind: 'ask',
      prompt: { key: 'common:forgetConfirm' },
      input: {
        type: 'choice',
        choices: [
          { id: 'yes', label: 'common:yes', means: 'yes' },
          { id: 'no', label: 'common:no', means: 'no' },
        ],
      },
      save: 'answer',
      next: { switch: 'answer', cases: { yes: 'erase' }, default: 'kept' },
    },
    erase: { kind: 'erase', text: { key: 'common:forgotten' } },
    kept: { kind: 'say', text: { key: 'common:forgetKept' }, next: 'done' },
    done: { kind: 'end' },
  },
};
