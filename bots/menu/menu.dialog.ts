import type { DialogDef } from '../../core/dialog/dialog-definition.ts';

/** The main menu, where a known person lands; each choice comes back here. */
export const menuDialog: DialogDef = {
  id: 'menu',
  version: 1,
  start: 'root',
  steps: {
    root: {
      kind: 'ask',
      prompt: { key: 'menu:title' },
      input: {
        type: 'choice',
        choices: [
          { id: 'language', label: 'menu:language' },
          { id: 'privacy', label: 'menu:privacy' },
          { id: 'help', label: 'menu:help' },
        ],
      },
      save: 'pick',
      next: { switch: 'pick', cases: { language: 'language', privacy: 'privacy', help: 'help' }, default: 'root' },
    },
    language: { kind: 'call', dialog: 'language', next: 'root' },
    privacy: { kind: 'say', text: { key: 'menu:privacyInfo' }, next: 'root' },
    help: { kind: 'say', text: { key: 'common:help' }, next: 'root' },
  },
};
