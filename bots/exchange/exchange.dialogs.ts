import type { ChoiceSpec, DialogDef, StepDef } from '../../core/dialog/dialog-definition.ts';
import { PLACE_DIALOG } from '../common/places/places.dialog.ts';
import { CATEGORY_CHOICES } from './categories.ts';
import { EXCHANGE_EVENTS as E } from './exchange.events.ts';

/** Dialog ids of the exchange. */
export const EXCHANGE_DIALOGS = { hub: 'exchange', post: 'exchange-post', search: 'exchange-search', mine: 'exchange-mine' } as const;

const back: ChoiceSpec = { id: 'back', label: 'exchange:back' };
const skip: ChoiceSpec = { id: 'skip', label: 'exchange:skip' };

/** A free-text answer checked by a task: ok goes on, emoji alone or too long is asked again, kindly. */
function checked(task: string, save: string, ask: string, ok: string): Record<string, StepDef> {
  return {
    [`${ask}Check`]: {
      kind: 'task',
      event: task,
      save,
      next: { switch: `${save}.kind`, cases: { ok, emojiOnly: `${ask}Emoji`, tooLong: `${ask}Long` }, default: ask },
    },
    [`${ask}Emoji`]: { kind: 'say', text: { key: 'exchange:emojiOnly' }, next: ask },
    [`${ask}Long`]: { kind: 'say', text: { key: 'exchange:tooLong' }, next: ask },
  };
}

/** The exchange's own menu: post an offer or a need, search either, or see one's posts. */
export const exchangeHubDialog: DialogDef = {
  id: EXCHANGE_DIALOGS.hub,
  version: 1,
  start: 'hub',
  steps: {
    hub: {
      kind: 'ask',
      prompt: { key: 'exchange:hub' },
      input: {
        type: 'choice',
        choices: [
          { id: 'offer', label: 'exchange:postOffer' },
          { id: 'need', label: 'exchange:postNeed' },
          { id: 'findHelp', label: 'exchange:findHelp' },
          { id: 'findToHelp', label: 'exchange:findToHelp' },
          { id: 'mine', label: 'exchange:myPosts' },
          back,
        ],
      },
      save: 'pick',
      next: { switch: 'pick', cases: { offer: 'offer', need: 'need', findHelp: 'findHelp', findToHelp: 'findToHelp', mine: 'mine' }, default: 'done' },
    },
    offer: { kind: 'set', key: 'kind', value: 'offer', next: 'post' },
    need: { kind: 'set', key: 'kind', value: 'need', next: 'post' },
    post: { kind: 'call', dialog: EXCHANGE_DIALOGS.post, args: ['kind'], next: 'hub' },
    // "Find help" looks through offers; "Find people to help" through needs.
    findHelp: { kind: 'set', key: 'kind', value: 'offer', next: 'search' },
    findToHelp: { kind: 'set', key: 'kind', value: 'need', next: 'search' },
    search: { kind: 'call', dialog: EXCHANGE_DIALOGS.search, args: ['kind'], next: 'hub' },
    mine: { kind: 'call', dialog: EXCHANGE_DIALOGS.mine, next: 'hub' },
    done: { kind: 'end' },
  },
};

/** Posting an offer or a need (`kind` given): category, words, what in return, place, confirm. */
export const exchangePostDialog: DialogDef = {
  id: EXCHANGE_DIALOGS.post,
  version: 1,
  start: 'limit',
  steps: {
    limit: { kind: 'task', event: E.canPost, save: 'can', next: { switch: 'can.ok', cases: { true: 'category' }, default: 'tooMany' } },
    tooMany: { kind: 'say', text: { key: 'exchange:tooMany' }, next: 'done' },
    category: {
      kind: 'ask',
      prompt: { key: 'exchange:pickCategory' },
      input: { type: 'choice', choices: [...CATEGORY_CHOICES, back] },
      save: 'category',
      next: { switch: 'category', cases: { back: 'done' }, default: 'describe' },
    },
    describe: {
      kind: 'ask',
      prompt: { key: 'exchange:askDescription' },
      input: { type: 'choice', choices: [skip], otherwise: { save: 'descriptionRaw', next: 'describeCheck' } },
      save: 'skipped',
      next: 'noDescription',
    },
    noDescription: { kind: 'set', key: 'description', value: { kind: 'none' }, next: 'inReturn' },
    ...checked(E.checkDescription, 'description', 'describe', 'inReturn'),
    inReturn: {
      kind: 'ask',
      prompt: { key: 'exchange:askInReturnOffer', keyFrom: 'can.inReturnKey' },
      input: { type: 'choice', choices: [{ id: 'gift', label: 'exchange:gift' }], otherwise: { save: 'inReturnRaw', next: 'inReturnCheck' } },
      save: 'gift',
      next: 'giftSet',
    },
    giftSet: { kind: 'set', key: 'inReturn', value: { kind: 'gift' }, next: 'place' },
    ...checked(E.checkInReturn, 'inReturn', 'inReturn', 'place'),
    place: { kind: 'call', dialog: PLACE_DIALOG, save: 'place', next: { switch: 'place.type', cases: { '': 'done' }, default: 'preview' } },
    preview: { kind: 'task', event: E.preview, save: 'preview', next: 'confirm' },
    confirm: {
      kind: 'ask',
      prompt: { key: 'exchange:confirm' },
      input: {
        type: 'choice',
        choices: [
          { id: 'publish', label: 'exchange:publish', means: 'yes' },
          { id: 'cancel', label: 'exchange:cancel', means: 'no' },
        ],
      },
      save: 'decision',
      next: { switch: 'decision', cases: { publish: 'publish' }, default: 'cancelled' },
    },
    publish: { kind: 'task', event: E.publish, save: 'published', next: { switch: 'published.ok', cases: { true: 'published' }, default: 'tooMany' } },
    published: { kind: 'say', text: { key: 'exchange:published' }, next: 'done' },
    cancelled: { kind: 'say', text: { key: 'exchange:cancelled' }, next: 'done' },
    done: { kind: 'end' },
  },
};

const RADII: readonly ChoiceSpec[] = [5, 10, 25, 50].map((km) => ({ id: String(km), label: `exchange:km${km}` }));

/** Searching offers or needs (`kind` given): category or all, radius, place, then pages of 5. */
export const exchangeSearchDialog: DialogDef = {
  id: EXCHANGE_DIALOGS.search,
  version: 1,
  start: 'category',
  steps: {
    category: {
      kind: 'ask',
      prompt: { key: 'exchange:searchCategory' },
      input: { type: 'choice', choices: [{ id: 'all', label: 'exchange:allCategories' }, ...CATEGORY_CHOICES, back] },
      save: 'category',
      next: { switch: 'category', cases: { back: 'done' }, default: 'radius' },
    },
    radius: {
      kind: 'ask',
      prompt: { key: 'exchange:pickRadius' },
      input: { type: 'choice', choices: [...RADII, back] },
      save: 'radius',
      next: { switch: 'radius', cases: { back: 'done' }, default: 'place' },
    },
    place: { kind: 'call', dialog: PLACE_DIALOG, save: 'place', next: { switch: 'place.type', cases: { '': 'done' }, default: 'first' } },
    first: { kind: 'set', key: 'page', value: 0, next: 'search' },
    search: { kind: 'task', event: E.search, save: 'results', next: { switch: 'results.count', cases: { '0': 'nothing' }, default: 'list' } },
    list: { kind: 'say', text: { key: 'exchange:results' }, next: 'keepNext' },
    keepNext: { kind: 'set', key: 'nextPage', from: 'results.next', next: 'keepPicks' },
    keepPicks: { kind: 'set', key: 'picks', from: 'results.picks', next: 'forget' },
    // Why: other people's names and words are shown, not kept in this person's stored session.
    forget: { kind: 'set', key: 'results', value: null, next: 'show' },
    show: {
      kind: 'ask',
      prompt: { key: 'exchange:resultsPrompt' },
      input: {
        type: 'choice',
        // "I'm interested in 1", ...: one per result shown, then paging.
        from: 'picks',
        choices: [
          { id: 'more', label: 'exchange:more', when: 'nextPage' },
          { id: 'again', label: 'exchange:newSearch' },
          back,
        ],
      },
      save: 'next',
      next: { switch: 'next', cases: { more: 'more', again: 'category', back: 'done' }, default: 'interest' },
    },
    // Contact through the bot: the poster is asked in their language; no number is ever shown.
    interest: { kind: 'task', event: E.interest, save: 'interest', next: { switch: 'interest.kind', cases: { ok: 'intro' }, default: 'gone' } },
    gone: { kind: 'say', text: { key: 'exchange:gone' }, next: 'show' },
    intro: {
      kind: 'ask',
      prompt: { key: 'exchange:askIntro' },
      input: { type: 'choice', choices: [skip], otherwise: { save: 'intro', next: 'subjectKind' } },
      save: 'skipped',
      next: 'noIntro',
    },
    noIntro: { kind: 'set', key: 'intro', value: null, next: 'subjectKind' },
    subjectKind: { kind: 'set', key: 'subjectKind', from: 'interest.subjectKind', next: 'subjectId' },
    subjectId: { kind: 'set', key: 'subjectId', from: 'interest.subjectId', next: 'toPersonId' },
    toPersonId: { kind: 'set', key: 'toPersonId', from: 'interest.toPersonId', next: 'context' },
    context: { kind: 'set', key: 'context', from: 'interest.context', next: 'ask' },
    ask: { kind: 'call', dialog: 'relay-request', args: ['subjectKind', 'subjectId', 'toPersonId', 'intro', 'context'], save: 'contact', next: 'show' },
    more: { kind: 'set', key: 'page', from: 'nextPage', next: 'search' },
    nothing: { kind: 'say', text: { key: 'exchange:nothing' }, next: 'radius' },
    done: { kind: 'end' },
  },
};

/** "My posts": pick one, then renew, edit its words, or close it. */
export const exchangeMineDialog: DialogDef = {
  id: EXCHANGE_DIALOGS.mine,
  version: 1,
  start: 'list',
  steps: {
    list: { kind: 'task', event: E.mine, save: 'mine', next: { switch: 'mine.count', cases: { '0': 'none' }, default: 'pick' } },
    none: { kind: 'say', text: { key: 'exchange:noPosts' }, next: 'done' },
    pick: {
      kind: 'ask',
      prompt: { key: 'exchange:myPostsList' },
      input: { type: 'choice', from: 'mine.options', choices: [back] },
      save: 'post',
      next: { switch: 'post', cases: { back: 'done' }, default: 'actions' },
    },
    actions: {
      kind: 'ask',
      prompt: { key: 'exchange:postActions' },
      input: {
        type: 'choice',
        choices: [
          { id: 'renew', label: 'exchange:renew' },
          { id: 'edit', label: 'exchange:edit' },
          { id: 'close', label: 'exchange:close' },
          back,
        ],
      },
      save: 'action',
      next: { switch: 'action', cases: { renew: 'renew', edit: 'describe', close: 'close' }, default: 'list' },
    },
    renew: { kind: 'task', event: E.renew, save: 'outcome', next: 'said' },
    close: { kind: 'task', event: E.close, save: 'outcome', next: 'said' },
    describe: {
      kind: 'ask',
      prompt: { key: 'exchange:askDescription' },
      input: { type: 'choice', choices: [back], otherwise: { save: 'descriptionRaw', next: 'describeCheck' } },
      save: 'skipped',
      next: 'list',
    },
    ...checked(E.checkDescription, 'description', 'describe', 'edit'),
    edit: { kind: 'task', event: E.edit, save: 'outcome', next: 'said' },
    said: { kind: 'say', text: { key: 'exchange:saved', keyFrom: 'outcome.notice' }, next: 'list' },
    done: { kind: 'end' },
  },
};

/** Every dialog of the exchange. */
export const EXCHANGE_DIALOG_DEFS: readonly DialogDef[] = [exchangeHubDialog, exchangePostDialog, exchangeSearchDialog, exchangeMineDialog];
