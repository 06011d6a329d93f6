import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testApp } from '../../support/test-app.ts';

// Golden transcript through the web chat: "My channels" with one channel, then with three,
// a store failure while saving, and the choice typed as a number.

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const userId = 'web-channels-1';
type Reply = [text: string, choices: string[]];
async function say(body: object): Promise<Reply[]> {
  const res = await request(app!.http).post('/api/webchat/messages').send({ userId, ...body });
  expect(res.status).toBe(200);
  return (res.body as { replies: { text: string; choices?: { label: string }[] }[] }).replies.map((r) => [r.text, (r.choices ?? []).map((c) => c.label)]);
}

const MENU: Reply = ['Menu: what would you like to do?', ['🤝 Exchange', 'Work', 'Join an organisation', 'Change language', 'My data', 'Help', 'My conversations', 'My channels']];

describe('My channels', () => {
  it('says a person known on one channel is known on one; with several, stores the one they pick first', async () => {
    app = await testApp();
    for (const body of [{ start: true }, { text: 'English' }, { choiceId: 'agree' }, { choiceId: 'newcomer' }, { text: 'Amina' }]) await say(body);
    expect((await say({ choiceId: 'skip' })).at(-1)).toEqual(MENU);

    expect(await say({ choiceId: 'channels' })).toEqual([['You are known here on one channel only: Web chat.', []], MENU]);

    const person = (await app.store.people.findByAddress({ channel: 'webchat', id: userId }))!;
    await app.store.people.addIdentity(person.id, { channel: 'sms', id: '+33612340001' });
    await app.store.people.addIdentity(person.id, { channel: 'telegram', id: '5550001' });
    const pick: Reply = ['Which channel should I use first to reach you?', ['Web chat', 'SMS', 'Telegram']];
    const replies = await say({ text: 'My channels' });
    expect(replies).toEqual([pick]);
    // Nobody's ids on screen: channel names only.
    expect(JSON.stringify(replies)).not.toMatch(/33612340001|5550001/);

    // The store fails once while saving: an apology and the question again; nothing stored.
    const setOrder = vi.spyOn(app.store.people, 'setChannelOrder').mockRejectedValueOnce(new Error('disk I/O error'));
    expect(await say({ text: '2' })).toEqual([['Sorry, something went wrong on my side. Please try again in a moment.', []], pick]);
    expect(await app.store.people.channelOrder(person.id)).toEqual([]);

    expect(await say({ text: '2' })).toEqual([['Done. I will write to you on SMS first.', []], MENU]);
    expect(setOrder).toHaveBeenCalledTimes(2);
    expect(await app.store.people.channelOrder(person.id)).toEqual(['sms', 'webchat', 'telegram']);

    // Picked again later: the new first channel, the others keep their order.
    await say({ choiceId: 'channels' });
    expect(await say({ choiceId: 'telegram' })).toEqual([['Done. I will write to you on Telegram first.', []], MENU]);
    expect(await app.store.people.channelOrder(person.id)).toEqual(['telegram', 'sms', 'webchat']);
  });
});
