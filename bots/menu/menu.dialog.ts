import type { DialogDef } from '../../core/dialog/dialog-definition.ts';
import type { ChoiceSpec, Otherwise } from '../../core/dialog/dialog-definition.ts';
import { BROADCAST_EVENTS } from '../broadcast/broadcast.dialogs.ts';

const everyone: readonly ChoiceSpec[] = [
  { id: 'join', label: 'menu:join' },
  { id: 'language', label: 'menu:language' },
  { id: 'privacy', label: 'menu:privacy' },
  { id: 'help', label: 'menu:help' },
];

/** Free text at the menu may be "JOIN code" or a reply to a broadcast: it goes to the effects. */
const freeText: Otherwise = { save: 'freeText', next: 'free' };
const picked = { switch: 'pick', cases: { join: 'join', broadcast: 'compose', language: 'language', privacy: 'privacy', help: 'help' }, default: 'start' };

/** The main menu, where a known person lands; each choice comes back here. */
export const menuDialog: DialogDef = {
  id: 'menu',
  version: 2,
  start: 'start',
  steps: {
    start: { kind: 'route', next: { switch: 'role', cases: { 'ngo-staff': 'staffRoot' }, default: 'root' } },
    root: { kind: 'ask', prompt: { key: 'menu:title' }, input: { type: 'choice', choices: everyone, otherwise: freeText }, save: 'pick', next: picked },
    staffRoot: {
      kind: 'ask',
      prompt: { key: 'menu:title' },
      input: { type: 'choice', choices: [{ id: 'broadcast', label: 'menu:broadcast' }, ...everyone], otherwise: freeText },
      save: 'pick',
      next: picked,
    },
    free: {
      kind: 'task',
      event: BROADCAST_EVENTS.freeText,
      save: 'free',
      next: { switch: 'free.kind', cases: { joined: 'joined', 'no-news': 'noNews', 'unknown-code': 'unknownCode', replied: 'replied' }, default: 'notUnderstood' },
    },
    joined: { kind: 'say', text: { key: 'broadcast:joined' }, next: 'start' },
    noNews: { kind: 'say', text: { key: 'broadcast:joinNoNews' }, next: 'start' },
    unknownCode: { kind: 'say', text: { key: 'broadcast:unknownCode' }, next: 'start' },
    replied: { kind: 'say', text: { key: 'broadcast:replySent' }, next: 'start' },
    notUnderstood: { kind: 'say', text: { key: 'common:pickOne' }, next: 'start' },
    join: { kind: 'call', dialog: 'join', next: 'start' },
    compose: { kind: 'call', dialog: 'compose', next: 'start' },
    language: { kind: 'call', dialog: 'language', next: 'start' },
    privacy: { kind: 'say', text: { key: 'menu:privacyInfo' }, next: 'start' },
    help: { kind: 'say', text: { key: 'common:help' }, next: 'start' },
  },
};
