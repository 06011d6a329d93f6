import type { DialogDef } from '../../core/dialog/dialog-definition.ts';
import type { ChoiceSpec, Otherwise } from '../../core/dialog/dialog-definition.ts';
import { FREE_TEXT_EVENTS } from '../common/free-text-router.ts';
import { RELAY_SIGNAL_NAMES } from '../common/relay/relay-names.ts';

const everyone: readonly ChoiceSpec[] = [
  { id: 'exchange', label: 'exchange:menuEntry' },
  { id: 'work', label: 'menu:work' },
  { id: 'join', label: 'menu:join' },
  { id: 'language', label: 'menu:language' },
  { id: 'privacy', label: 'menu:privacy' },
  { id: 'help', label: 'menu:help' },
  { id: 'conversations', label: 'common:relay.myConversations' },
  { id: 'channels', label: 'channels:menuEntry' },
];

/** Free text at the menu ("JOIN code", a reply to a broadcast, ...) goes to the free-text router. */
const freeText: Otherwise = { save: 'freeText', next: 'free' };
const picked = { switch: 'pick', cases: { exchange: 'exchange', conversations: 'conversations', join: 'join', work: 'work', broadcast: 'compose', language: 'language', privacy: 'privacy', channels: 'channels', help: 'help' }, default: 'start' };

/** A relay signal (a request, a message, an ending) while the person is at the menu: shown at once. */
const relaySignals = Object.fromEntries(RELAY_SIGNAL_NAMES.map((name) => [name, 'relayInbox']));

/** The main menu, where a known person lands; each choice comes back here. */
export const menuDialog: DialogDef = {
  id: 'menu',
  version: 6,
  start: 'start',
  steps: {
    // Signals kept while the person was elsewhere ("You have 2 new messages") come first.
    start: { kind: 'notifications', save: 'news', next: { switch: 'news.count', cases: { '': 'roles' }, default: 'news' } },
    news: { kind: 'say', text: { key: 'menu:news', count: 'news.count' }, next: 'relayNews' },
    // A relay request or ending kept while the person was away is asked about first.
    relayNews: { kind: 'call', dialog: 'relay-news', args: ['news'], next: 'roles' },
    roles: { kind: 'route', next: { switch: 'role', cases: { 'ngo-staff': 'staffRoot' }, default: 'root' } },
    root: { kind: 'ask', prompt: { key: 'menu:title' }, input: { type: 'choice', choices: everyone, otherwise: freeText }, save: 'pick', next: picked, on: relaySignals },
    staffRoot: {
      kind: 'ask',
      prompt: { key: 'menu:title' },
      input: { type: 'choice', choices: [{ id: 'broadcast', label: 'menu:broadcast' }, ...everyone], otherwise: freeText },
      save: 'pick',
      next: picked,
      on: relaySignals,
    },
    free: {
      kind: 'task',
      event: FREE_TEXT_EVENTS.route.name,
      save: 'free',
      next: { switch: 'free.kind', cases: { ambiguous: 'whoFor', none: 'notUnderstood' }, default: 'notice' },
    },
    // Several things it may answer (a broadcast, a relay, an application): the person says which.
    whoFor: { kind: 'ask', prompt: { key: 'common:whoFor' }, input: { type: 'choice', from: 'free.options', choices: [] }, save: 'target', next: 'deliver' },
    deliver: {
      kind: 'task',
      event: FREE_TEXT_EVENTS.deliver.name,
      save: 'free',
      next: { switch: 'free.kind', cases: { ambiguous: 'notUnderstood', none: 'notUnderstood' }, default: 'notice' },
    },
    // Each destination names what to say (joined, unknown code, reply passed on).
    notice: { kind: 'say', text: { key: 'common:pickOne', keyFrom: 'free.notice' }, next: 'start' },
    notUnderstood: { kind: 'say', text: { key: 'common:pickOne' }, next: 'start' },
    relayInbox: { kind: 'call', dialog: 'relay-inbox', args: ['signal'], next: 'start' },
    conversations: { kind: 'call', dialog: 'relay-list', next: 'start' },
    exchange: { kind: 'call', dialog: 'exchange', next: 'start' },
    join: { kind: 'call', dialog: 'join', next: 'start' },
    work: { kind: 'call', dialog: 'jobs', next: 'start' },
    compose: { kind: 'call', dialog: 'compose', next: 'start' },
    language: { kind: 'call', dialog: 'language', next: 'start' },
    privacy: { kind: 'say', text: { key: 'menu:privacyInfo' }, next: 'start' },
    channels: { kind: 'call', dialog: 'channels', next: 'start' },
    help: { kind: 'say', text: { key: 'common:help' }, next: 'start' },
  },
};
