import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { BOT_API_ERRORS, startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { telegramUpdates } from '../../fakes/telegram-updates.ts';
import { en, SECRET, telegramApp } from './telegram-harness.ts';

let api: FakeBotApi | undefined;
let app: Awaited<ReturnType<typeof telegramApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  await api?.close();
  app = undefined;
});

const u = telegramUpdates();
const post = (update: Record<string, unknown>) => request(app!.http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(update);
const textsTo = (chat: number): string[] => api!.sentMessages().filter((m) => m['chat_id'] === chat).map((m) => String(m['text']));

// The process holding Telegram's sending lease hands a turn's replies to its sender as it stores
// them (no claim query); these tests fail the send and check that nothing is lost or reordered.
describe('Telegram replies sent straight from the turn', () => {
  it('a new person\'s hello is stored in one write and answered once; a 429 on it delays the reply, never drops it', async () => {
    api = await startFakeBotApi();
    app = await telegramApp(api, 'webhook');
    await app.start();
    const person = { id: 4_100_001, firstName: 'Amina' };
    api.failNext('sendMessage', BOT_API_ERRORS.tooManyRequests(1));

    expect((await post(u.text(person, 'hello'))).status).toBe(200);
    await api.until(() => textsTo(person.id).length >= 1, 10_000, 'the reply');
    expect(textsTo(person.id)).toEqual([expect.stringContaining(en('common:pickLanguageFirst').split('\n')[0]!)]);
    // Answered from reads (no broadcast to reply to): the turn and its reply in a single write.
    expect((await app.store.conversations.load(`telegram:${person.id}`))?.version).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo(person.id)).toHaveLength(1);
  });

  it('a turn with two replies whose first is refused: the second waits behind it, and both arrive once, in order', async () => {
    api = await startFakeBotApi();
    app = await telegramApp(api, 'webhook');
    await app.start();
    const person = { id: 4_100_002, firstName: 'Amina' };
    for (const [i, text] of ['/start', 'English', '1', '1', 'Amina'].entries()) {
      expect((await post(i === 0 ? u.start(person) : u.text(person, text))).status).toBe(200);
      await api.until(() => textsTo(person.id).length >= i + 1, 10_000, `reply ${i + 1}`);
    }
    // Skipping the place ends onboarding: a welcome and the menu, in one turn.
    api.failNext('sendMessage', BOT_API_ERRORS.tooManyRequests(1));
    expect((await post(u.text(person, 'skip'))).status).toBe(200);
    await api.until(() => textsTo(person.id).length >= 7, 10_000, 'welcome and menu');
    await new Promise((r) => setTimeout(r, 300));
    const last = textsTo(person.id).slice(5);
    expect(last).toHaveLength(2);
    expect(last[0]).toContain('Amina');
    expect(last[1]).toBe(en('menu:title'));
    const refused = api.callsTo('sendMessage').filter((c) => c.status === 429);
    expect(refused).toHaveLength(1);
  });
});
