import type { ChoiceSpec, DialogDef, RelayControl } from '../../../core/dialog/dialog-definition.ts';
import { RELAY_CONTROLS } from '../relay-controls.ts';
import { RELAY_SILENCE_MS } from './relay-kit.ts';
import { RELAY_EVENTS, RELAY_SIGNAL_NAMES } from './relay-names.ts';

/** The relay step's controls: the common ones, and "original" (the last message as it was written). */
export const TALK_CONTROLS: readonly RelayControl[] = [...RELAY_CONTROLS, { id: 'original', label: 'common:relay.original', word: 'common:relay.words.original' }];

const outcomeChoices: readonly ChoiceSpec[] = [
  { id: 'yes', label: 'common:relay.outcome.yes', means: 'yes' },
  { id: 'no', label: 'common:relay.outcome.no', means: 'no' },
  { id: 'not-yet', label: 'common:relay.outcome.notYet' },
];

const decision: readonly ChoiceSpec[] = [
  { id: 'accept', label: 'common:relay.accept', means: 'yes' },
  { id: 'decline', label: 'common:relay.decline', means: 'no' },
  { id: 'later', label: 'common:relay.later' },
];

/** "Did you agree on something?" about the relay `outcomeOf`, asked once at its end. */
export const relayOutcomeDialog: DialogDef = {
  id: 'relay-outcome',
  version: 1,
  start: 'ask',
  steps: {
    ask: { kind: 'ask', prompt: { key: 'common:relay.outcome.question' }, input: { type: 'choice', choices: outcomeChoices }, save: 'outcome', next: 'counted' },
    counted: { kind: 'emit', event: RELAY_EVENTS.outcome.name, next: 'thanks' },
    thanks: { kind: 'say', text: { key: 'common:relay.outcome.thanks' }, next: 'done' },
    done: { kind: 'end' },
  },
};

/** Every relay signal goes to the inbox dialog from the steps that receive them. */
function inboxOn(step: string): Record<string, string> {
  return Object.fromEntries(RELAY_SIGNAL_NAMES.map((name) => [name, step]));
}

/**
 * One relay, opened with `relayId`: an incoming request to accept, a wait for the other side,
 * the conversation itself (words relayed as typed, controls to end, block, report), or its end.
 */
export const relayDialog: DialogDef = {
  id: 'relay',
  version: 1,
  start: 'enter',
  // Why days: people answer when they can; the relay itself closes after 14 days of silence.
  idleTimeoutMs: RELAY_SILENCE_MS,
  steps: {
    enter: {
      kind: 'task',
      event: RELAY_EVENTS.enter.name,
      save: 'view',
      next: { switch: 'view.kind', cases: { open: 'unread', incoming: 'decide', outgoing: 'waiting', over: 'over' }, default: 'gone' },
    },
    unread: { kind: 'route', next: { switch: 'view.unread', cases: { '': 'talk' }, default: 'showUnread' } },
    showUnread: { kind: 'say', text: { key: 'common:relay.unread' }, next: 'talk' },
    talk: {
      kind: 'ask',
      prompt: { key: 'common:relay.talk' },
      input: { type: 'relay', event: RELAY_EVENTS.say.name, controls: TALK_CONTROLS },
      save: 'control',
      next: { switch: 'control', cases: { end: 'end', block: 'end', report: 'end', original: 'original' }, default: 'leave' },
      on: inboxOn('inbox'),
    },
    inbox: { kind: 'call', dialog: 'relay-inbox', args: ['signal', 'relayId'], save: 'after', next: { switch: 'after.leave', cases: { yes: 'leave' }, default: 'talk' } },
    original: { kind: 'task', event: RELAY_EVENTS.original.name, save: 'shown', next: 'showOriginal' },
    showOriginal: { kind: 'say', text: { key: 'common:relay.shown' }, next: 'talk' },
    end: { kind: 'emit', event: RELAY_EVENTS.end.name, next: { switch: 'control', cases: { block: 'blocked', report: 'reported' }, default: 'ended' } },
    blocked: { kind: 'say', text: { key: 'common:relay.blocked' }, next: 'leave' },
    reported: { kind: 'say', text: { key: 'common:relay.reported' }, next: 'leave' },
    ended: { kind: 'say', text: { key: 'common:relay.youEnded' }, next: 'outcome' },
    outcome: { kind: 'set', key: 'outcomeOf', from: 'relayId', next: 'askOutcome' },
    askOutcome: { kind: 'call', dialog: relayOutcomeDialog.id, args: ['outcomeOf'], next: 'leave' },
    decide: {
      kind: 'ask',
      prompt: { key: 'common:relay.decide' },
      input: { type: 'choice', choices: decision },
      save: 'decision',
      next: { switch: 'decision', cases: { accept: 'decided', decline: 'decided' }, default: 'leave' },
    },
    decided: { kind: 'task', event: RELAY_EVENTS.decide.name, save: 'view', next: { switch: 'decision', cases: { accept: 'enter' }, default: 'declined' } },
    declined: { kind: 'say', text: { key: 'common:relay.youDeclined' }, next: 'leave' },
    waiting: { kind: 'say', text: { key: 'common:relay.waiting' }, next: 'leave' },
    over: { kind: 'say', text: { key: 'common:relay.over.ended', keyFrom: 'view.notice' }, next: { switch: 'view.ask', cases: { yes: 'outcome' }, default: 'leave' } },
    gone: { kind: 'say', text: { key: 'common:relay.over.left' }, next: 'leave' },
    leave: { kind: 'end' },
  },
};

/**
 * What a relay signal says where the person is (the menu, or another relay): a request to
 * accept, a message to open, an ending and "Did it work out?", a held message to confirm.
 * Returns `{leave: 'yes'}` when the relay the person was reading is over.
 */
export const relayInboxDialog: DialogDef = {
  id: 'relay-inbox',
  version: 1,
  start: 'read',
  steps: {
    read: {
      kind: 'task',
      event: RELAY_EVENTS.inbox.name,
      save: 'view',
      next: { switch: 'view.kind', cases: { request: 'request', message: 'message', ended: 'ended', held: 'held' }, default: 'stay' },
    },
    request: {
      kind: 'ask',
      prompt: { key: 'common:relay.view' },
      input: { type: 'choice', choices: decision, otherwise: { save: 'typed', next: 'pass' } },
      save: 'decision',
      next: { switch: 'decision', cases: { accept: 'decide', decline: 'decide' }, default: 'stay' },
    },
    decide: { kind: 'task', event: RELAY_EVENTS.decide.name, save: 'decided', next: { switch: 'decision', cases: { accept: 'open' }, default: 'declined' } },
    declined: { kind: 'say', text: { key: 'common:relay.youDeclined' }, next: 'stay' },
    message: {
      kind: 'ask',
      prompt: { key: 'common:relay.view' },
      input: { type: 'choice', choices: [{ id: 'open', label: 'common:relay.open', means: 'yes' }, { id: 'later', label: 'common:relay.later' }], otherwise: { save: 'typed', next: 'pass' } },
      save: 'pick',
      next: { switch: 'pick', cases: { open: 'open' }, default: 'stay' },
    },
    // Words typed at the notice were meant for the relay the person is reading: they go there.
    pass: { kind: 'emit', event: RELAY_EVENTS.say.name, next: 'stay' },
    open: { kind: 'set', key: 'relayId', from: 'view.relayId', next: 'go' },
    go: { kind: 'goto', dialog: 'relay', args: ['relayId'] },
    ended: { kind: 'say', text: { key: 'common:relay.view' }, next: { switch: 'view.ask', cases: { yes: 'outcome' }, default: 'after' } },
    outcome: { kind: 'set', key: 'outcomeOf', from: 'view.relayId', next: 'askOutcome' },
    askOutcome: { kind: 'call', dialog: relayOutcomeDialog.id, args: ['outcomeOf'], next: 'after' },
    after: { kind: 'route', next: { switch: 'view.here', cases: { yes: 'leaving' }, default: 'stay' } },
    held: {
      kind: 'ask',
      prompt: { key: 'common:relay.view' },
      input: { type: 'choice', choices: [{ id: 'yes', label: 'common:relay.sendAnyway', means: 'yes' }, { id: 'no', label: 'common:relay.dontSend', means: 'no' }] },
      save: 'send',
      next: 'heldAnswer',
    },
    heldAnswer: { kind: 'emit', event: RELAY_EVENTS.held.name, next: { switch: 'send', cases: { yes: 'sent' }, default: 'notSent' } },
    sent: { kind: 'say', text: { key: 'common:relay.sent' }, next: 'stay' },
    notSent: { kind: 'say', text: { key: 'common:relay.notSent' }, next: 'stay' },
    leaving: { kind: 'set', key: 'result', value: { leave: 'yes' }, next: 'done' },
    stay: { kind: 'set', key: 'result', value: { leave: 'no' }, next: 'done' },
    done: { kind: 'end', result: 'result' },
  },
};

/** "My conversations": the person's relays, the most recent first; picking one opens it. */
export const relayListDialog: DialogDef = {
  id: 'relay-list',
  version: 1,
  start: 'load',
  steps: {
    load: { kind: 'task', event: RELAY_EVENTS.list.name, save: 'list', next: { switch: 'list.count', cases: { '0': 'none' }, default: 'pick' } },
    none: { kind: 'say', text: { key: 'common:relay.noConversations' }, next: 'done' },
    pick: {
      kind: 'ask',
      prompt: { key: 'common:relay.listTitle' },
      input: { type: 'choice', from: 'list.options', choices: [{ id: 'back', label: 'common:relay.back' }] },
      save: 'relayId',
      next: { switch: 'relayId', cases: { back: 'done' }, default: 'open' },
    },
    open: { kind: 'goto', dialog: 'relay', args: ['relayId'] },
    done: { kind: 'end' },
  },
};

/**
 * What a flow calls to ask for contact (args: subjectKind, subjectId, toPersonId, intro?,
 * open?, context?): the request goes, or the relay opens at once; `sent.kind` is the outcome
 * (see RequestOutcome) for a flow that wants to branch on it.
 */
export const relayRequestDialog: DialogDef = {
  id: 'relay-request',
  version: 1,
  start: 'send',
  steps: {
    send: {
      kind: 'task',
      event: RELAY_EVENTS.request.name,
      save: 'sent',
      next: { switch: 'sent.kind', cases: { requested: 'requested', opened: 'open', exists: 'open', blocked: 'refused', suspended: 'suspended' }, default: 'gone' },
      onError: 'failed',
    },
    requested: { kind: 'say', text: { key: 'common:relay.requestSent' }, next: 'done' },
    open: { kind: 'set', key: 'relayId', from: 'sent.relayId', next: 'go' },
    go: { kind: 'goto', dialog: 'relay', args: ['relayId'] },
    refused: { kind: 'say', text: { key: 'common:relay.cannotContact' }, next: 'done' },
    suspended: { kind: 'say', text: { key: 'common:relay.suspended' }, next: 'done' },
    gone: { kind: 'say', text: { key: 'common:relay.over.left' }, next: 'done' },
    failed: { kind: 'say', text: { key: 'common:error' }, next: 'done' },
    done: { kind: 'end', result: 'sent' },
  },
};

/** From the menu's news: the first relay notification kept while the person was away, shown. */
export const relayNewsDialog: DialogDef = {
  id: 'relay-news',
  version: 1,
  start: 'find',
  steps: {
    find: { kind: 'task', event: RELAY_EVENTS.news.name, save: 'item', next: { switch: 'item.kind', cases: { signal: 'pick' }, default: 'done' } },
    pick: { kind: 'set', key: 'signal', from: 'item.signal', next: 'show' },
    show: { kind: 'call', dialog: 'relay-inbox', args: ['signal'], next: 'done' },
    done: { kind: 'end' },
  },
};

/** The relay's dialogs, for the registry. */
export const RELAY_DIALOGS: readonly DialogDef[] = [relayDialog, relayOutcomeDialog, relayInboxDialog, relayListDialog, relayRequestDialog, relayNewsDialog];
