import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, testApp } from '../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

describe('housekeeping started by the app', () => {
  it("deletes a stranger's conversation an hour after it stopped at the language picker, and keeps the others", async () => {
    const clock = manualClock();
    app = await testApp({}, { clock, housekeepingMs: 20 });
    const post = (userId: string, body: object) => request(app!.http).post('/api/webchat/messages').send({ userId, ...body });
    await post('stranger-never-chose', { start: true });
    await post('visitor-who-chose', { start: true });
    await post('visitor-who-chose', { text: 'English' });
    await app.start();

    clock.advance(59 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await app.store.conversations.load('webchat:stranger-never-chose')).not.toBeNull();

    clock.advance(2 * 60_000);
    for (let i = 0; i < 100 && (await app.store.conversations.load('webchat:stranger-never-chose')); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await app.store.conversations.load('webchat:stranger-never-chose')).toBeNull();
    expect(await app.store.reach.get({ channel: 'webchat', id: 'stranger-never-chose' })).toBeNull();
    expect(await app.store.conversations.load('webchat:visitor-who-chose')).not.toBeNull();
    // Coming back later is a fresh start, as for anyone: nothing was lost.
    const again = await post('stranger-never-chose', { start: true });
    expect(again.status).toBe(200);
    expect(again.body.replies).toHaveLength(1);
  });
});
