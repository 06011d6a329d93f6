import { describe, expect, it } from 'vitest';
import { ADDRESS, captureConnector, en, messageActivity, messengerAppsPerTest, post, quickReply } from './messenger.fixtures.ts';

const startApp = messengerAppsPerTest();

describe('"forget me" on Messenger', () => {
  it('sends the confirmation that the data is gone, after the erasure removed the reach record', async () => {
    const app = await startApp();
    const connector = captureConnector();
    for (const activity of [messageActivity('Hi'), quickReply('English', 'en'), messageActivity('forget')]) {
      expect((await post(app, activity)).status).toBe(200);
      await app.settle();
    }
    const before = connector.shown().length;
    expect((await post(app, quickReply('Yes', 'yes'))).status).toBe(200);
    // The goodbye leaves through the outbox, after the erasure.
    await app.settle();
    expect(connector.shown().slice(before).map((s) => s.text)).toEqual([en('common:forgotten')]);
    expect(await app.store.reach.get(ADDRESS)).toBeNull();
  });
});
