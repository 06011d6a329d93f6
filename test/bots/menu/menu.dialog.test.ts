import { describe, expect, it } from 'vitest';
import { productEnv } from '../../support/engine-env.ts';
import { conversation, say, seen } from '../../core/dialog/engine-harness.ts';

// The product's menu, engine only: kept notifications, and free text through the router.

const person = { id: 'p1', role: 'newcomer', roleStatus: 'active', firstName: 'Amina', lang: 'en' };
const env = productEnv({ person });
const t = (key: string, params: Record<string, string | number> = {}) => env.text('en', key, params);
const menu = [t('exchange:menuEntry'), t('menu:work'), t('menu:join'), t('menu:language'), t('menu:privacy'), t('menu:help'), t('common:relay.myConversations'), t('channels:menuEntry')];

const chat = () => {
  const c = conversation(env);
  return c.send.bind(c);
};

describe('the menu', () => {
  it('says how many messages came while the person was elsewhere, once', () => {
    const send = chat();
    expect(seen(send({ kind: 'message', content: { type: 'start' } }))).toEqual([t('menu:title'), menu]);
    for (const id of ['s1', 's2', 's2']) expect(send({ kind: 'signal', name: 'exchange.contact', id, payload: {} }).replies).toEqual([]);
    // The relay looks at the news first (a request kept while away is asked about): none here.
    const news = send(say('menu'));
    expect(seen(news)).toEqual(['You have 2 new messages.']);
    expect(news.events).toMatchObject([{ type: 'relay.news', awaitsResult: true }]);
    expect(seen(send({ kind: 'task-result', value: { kind: 'none' } }))).toEqual([t('menu:title'), menu]);
    expect(seen(send(say('menu')))).toEqual([t('menu:title'), menu]);
  });

  it('asks "Who is this for?" when free text may answer several things, then passes it on', () => {
    const send = chat();
    send({ kind: 'message', content: { type: 'start' } });
    expect(send(say('Thank you for the food')).events).toEqual([
      { type: 'common.free-text', payload: { role: 'newcomer', freeText: 'Thank you for the food' }, awaitsResult: true },
    ]);
    const options = [
      { id: 'reply', label: 'Reply to Alpha Aid' },
      { id: 'relay', label: 'Sam' },
    ];
    expect(seen(send({ kind: 'task-result', value: { kind: 'ambiguous', options } }))).toEqual([t('common:whoFor'), ['Reply to Alpha Aid', 'Sam']]);
    expect(seen(send({ kind: 'message', content: { type: 'choice', choiceId: 'someone-else' } }))).toEqual([
      t('common:listChanged'),
      t('common:whoFor'),
      ['Reply to Alpha Aid', 'Sam'],
    ]);
    const picked = send(say('1'));
    expect(picked.events).toMatchObject([{ type: 'common.free-text-to', payload: { freeText: 'Thank you for the food', target: 'reply' }, awaitsResult: true }]);
    const done = send({ kind: 'task-result', value: { kind: 'replied', notice: 'broadcast:replySent', orgName: 'Alpha Aid' } });
    expect(seen(done)).toEqual(['Thank you. Your message was passed to Alpha Aid.', t('menu:title'), menu]);
  });

  it('says what the only destination answered, or that it did not understand', () => {
    const send = chat();
    send({ kind: 'message', content: { type: 'start' } });
    send(say('JOIN nowhere'));
    expect(seen(send({ kind: 'task-result', value: { kind: 'unknown-code', notice: 'broadcast:unknownCode' } }))).toEqual([t('broadcast:unknownCode'), t('menu:title'), menu]);
    send(say('hello'));
    expect(seen(send({ kind: 'task-result', value: { kind: 'none' } }))).toEqual([t('common:pickOne'), t('menu:title'), menu]);
  });
});
