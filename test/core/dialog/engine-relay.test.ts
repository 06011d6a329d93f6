import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DialogDef, RelayControl } from '../../../core/dialog/dialog-definition.ts';
import { conversation, hoursLater, say, seen, tap, testEnv } from './engine-harness.ts';

// Golden transcripts of relayed conversations, signals and timers: engine only.

const controls: readonly RelayControl[] = [
  { id: 'end', label: 'common:relayEnd', word: 'common:relayWords.end' },
  { id: 'block', label: 'common:relayBlock', word: 'common:relayWords.block' },
  { id: 'report', label: 'common:relayReport', word: 'common:relayWords.report' },
  { id: 'menu', label: 'common:relayMenu', word: 'common:relayWords.menu' },
];
const DAY = 24 * 3_600_000;

const chatDialog: DialogDef = {
  id: 'chat',
  version: 1,
  start: 'open',
  idleTimeoutMs: 7 * DAY,
  steps: {
    open: {
      kind: 'ask',
      prompt: { key: 't:chat' },
      input: { type: 'relay', event: 'relay.message', controls },
      save: 'control',
      next: { switch: 'control', cases: { menu: 'home' }, default: 'end' },
      on: { 'relay.message': 'incoming' },
      timeout: { afterMs: 3 * DAY, next: 'expired' },
    },
    incoming: { kind: 'say', text: { key: 't:incoming' }, next: 'open' },
    end: { kind: 'emit', event: 'relay.end', next: 'ended' },
    ended: { kind: 'say', text: { key: 't:ended' }, next: 'home' },
    expired: { kind: 'say', text: { key: 't:expired' }, next: 'home' },
    home: { kind: 'goto', dialog: 'home' },
  },
};

const homeDialog: DialogDef = {
  id: 'home',
  version: 1,
  start: 'news',
  steps: {
    news: { kind: 'notifications', save: 'news', next: { switch: 'news.count', cases: { '': 'root' }, default: 'notice' } },
    notice: { kind: 'say', text: { key: 't:news', count: 'news.count' }, next: 'root' },
    root: { kind: 'ask', prompt: { key: 't:home' }, input: { type: 'text', schema: z.string(), invalid: 'common:pickOne' }, next: 'news' },
  },
};

const person = { id: 'p1', role: 'newcomer', roleStatus: 'active', firstName: 'Amina', lang: 'en' };
const chatEnv = (lang = 'en') => testEnv([chatDialog, homeDialog], { person: { ...person, lang }, entry: () => ({ dialog: 'chat', data: { peer: 'Sam' } }) });
const relayed = (text: string) => ({ type: 'relay.message', payload: { peer: 'Sam', relayed: { type: 'text', text } }, awaitsResult: false });
const buttons = ['End', 'Block', 'Report', 'Menu'];
const open = { kind: 'message', content: { type: 'start' } } as const;

describe('relay mode', () => {
  it('passes "2", "stop" and a link on verbatim, and ends at "#end"', () => {
    const c = conversation(chatEnv());
    expect(seen(c.send(open))).toEqual(['You are talking with Sam.\nType: #end  #block  #report  #menu', buttons]);
    for (const text of ['2', 'stop', 'See https://example.org/jobs?id=7&x=1 ', 'help']) {
      const turn = c.send(say(text));
      expect(turn.replies, text).toEqual([]);
      expect(turn.events, text).toEqual([relayed(text)]);
    }
    const ended = c.send(say('#end'));
    expect(seen(ended)).toEqual(['Conversation ended.', 'Home']);
    expect(ended.events).toEqual([{ type: 'relay.end', payload: { peer: 'Sam', control: 'end' }, awaitsResult: false }]);
  });

  it('reads controls typed in another language, and by button; "#stop" is the global command', () => {
    const c = conversation(chatEnv('fr'));
    expect(seen(c.send(open))).toEqual(['Vous parlez avec Sam.\nÉcrivez : #fin  #bloquer  #signaler  #menu', buttons]);
    expect(c.send(say('#stop')).events).toEqual([{ type: 'person.unsubscribed', payload: {}, awaitsResult: false }]);
    expect(c.send(say('#1 priority')).events).toEqual([relayed('#1 priority')]);
    expect(c.send(say('#FIN')).events).toMatchObject([{ type: 'relay.end', payload: { control: 'end' } }]);
    const again = conversation(chatEnv());
    again.send(open);
    expect(seen(again.send(tap('menu')))).toEqual(['Home']);
  });

  it('passes a shared location on, and answers a photo with "text only for now"', () => {
    const c = conversation(chatEnv());
    c.send(open);
    const pin = c.send({ kind: 'message', content: { type: 'location', latitude: 48.85, longitude: 2.35 } });
    // That a place was shared, never where: the event is stored with the session.
    expect(pin.events).toEqual([{ type: 'relay.message', payload: { peer: 'Sam', relayed: { type: 'location' } }, awaitsResult: false }]);
    const photo = c.send({ kind: 'message', content: { type: 'unsupported' } });
    expect(seen(photo)).toEqual(['Text only for now.']);
    expect(photo.events).toEqual([]);
  });

  it('survives a 30-hour silence (its own idle policy), where another dialog starts afresh', () => {
    const c = conversation(chatEnv());
    c.send(open);
    const late = c.send(say('sorry, I was at work'), { now: hoursLater(30) });
    expect(late.replies).toEqual([]);
    expect(late.events).toEqual([relayed('sorry, I was at work')]);

    const home = conversation(testEnv([homeDialog, chatDialog], { person }));
    home.send(open);
    expect(seen(home.send(say('hello again'), { now: hoursLater(30) }))).toEqual(['Welcome back.', 'Home']);
  });
});

describe('signals', () => {
  it('moves a waiting step that accepts the signal, once per signal id', () => {
    const c = conversation(chatEnv());
    c.send(open);
    const signal = { kind: 'signal', name: 'relay.message', id: 'sig-1', payload: { text: 'Hello Amina' } } as const;
    const accepted = c.send(signal, { now: hoursLater(1) });
    // The controls were shown already: the other side's words come alone.
    expect(seen(accepted)).toEqual(['Sam: Hello Amina']);
    expect(c.session).toMatchObject({ step: 'open', data: { signal: { name: 'relay.message', id: 'sig-1', payload: { text: 'Hello Amina' } } } });
    const again = c.send(signal, { now: hoursLater(2) });
    expect(again).toMatchObject({ replies: [], events: [], unchanged: true });
  });

  it('keeps a signal the step does not expect as a notification, which the menu shows', () => {
    const c = conversation(chatEnv());
    c.send(open);
    const before = c.session!;
    const kept = c.send({ kind: 'signal', name: 'jobs.decision', id: 'sig-2', payload: { decision: 'yes' } }, { now: hoursLater(1) });
    expect(kept.replies).toEqual([]);
    expect(kept.session).toMatchObject({ step: 'open', updatedAt: before.updatedAt, notifications: [{ id: 'sig-2', name: 'jobs.decision', payload: { decision: 'yes' } }] });
    c.send({ kind: 'signal', name: 'exchange.contact', id: 'sig-3', payload: {} }, { now: hoursLater(1) });
    c.send({ kind: 'signal', name: 'exchange.contact', id: 'sig-3', payload: {} }, { now: hoursLater(1) });
    expect(c.session?.notifications?.map((n) => n.id)).toEqual(['sig-2', 'sig-3']);

    expect(seen(c.send(say('#menu'), { now: hoursLater(2) }))).toEqual(['You have 2 new messages.', 'Home']);
    expect(c.session?.notifications).toEqual([]);
    expect(c.session?.data['news']).toMatchObject({ count: 2, items: [{ id: 'sig-2' }, { id: 'sig-3' }] });
    expect(seen(c.send(say('ok'), { now: hoursLater(2) }))).toEqual(['Home']);
  });

  it('keeps a signal as a notification when the conversation has gone idle, even one the step accepts', () => {
    const home = conversation(testEnv([homeDialog, chatDialog], { person }));
    home.send(open);
    const late = home.send({ kind: 'signal', name: 'relay.message', id: 'sig-5', payload: { text: 'hi' } }, { now: hoursLater(13) });
    expect(late.replies).toEqual([]);
    expect(home.session?.notifications?.map((n) => n.id)).toEqual(['sig-5']);
    expect(seen(home.send(say('hello'), { now: hoursLater(14) }))).toEqual(['Welcome back.', 'You have 1 new message.', 'Home']);
  });

  it('opens the entry dialog with the news when there is no conversation yet', () => {
    const c = conversation(testEnv([homeDialog, chatDialog], { person }));
    expect(seen(c.send({ kind: 'signal', name: 'jobs.decision', id: 'sig-9', payload: {} }))).toEqual(['You have 1 new message.', 'Home']);
  });
});

describe('timers', () => {
  it('arms a timer when a step with a timeout waits, and fires it', () => {
    const c = conversation(chatEnv());
    c.send(open);
    expect(c.session?.timer).toEqual({ id: 'chat.open#1', dueAt: '2026-12-01T10:00:00.000Z' });
    // Each message passed on is activity: the silence counts again from it.
    c.send(say('are you there?'), { now: hoursLater(5) });
    expect(c.session?.timer).toEqual({ id: 'chat.open#2', dueAt: '2026-12-01T15:00:00.000Z' });
    const fired = c.send({ kind: 'timer', id: 'chat.open#2' }, { now: hoursLater(77) });
    expect(seen(fired)).toEqual(['Closed after a long silence.', 'Home']);
    expect(c.session).toMatchObject({ dialog: 'home', timer: null });
  });

  it('ignores a stale timer: an older arming, or one of a step already left', () => {
    const c = conversation(chatEnv());
    c.send(open);
    c.send(say('hello?'), { now: hoursLater(1) });
    const stored = c.session;
    expect(c.send({ kind: 'timer', id: 'chat.open#1' }, { now: hoursLater(72) })).toEqual({ session: stored, replies: [], events: [], unchanged: true });
    c.send(say('#end'), { now: hoursLater(2) });
    const left = c.session;
    expect(c.send({ kind: 'timer', id: 'chat.open#2' }, { now: hoursLater(80) })).toEqual({ session: left, replies: [], events: [], unchanged: true });
  });
});
