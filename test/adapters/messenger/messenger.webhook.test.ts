import nock from 'nock';
import { beforeEach, describe, expect, it } from 'vitest';
import { addressKey } from '../../../core/messages.ts';
import {
  action,
  ADDRESS,
  captureConnector,
  en,
  messageActivity,
  messengerAppsPerTest,
  PAGE_ID,
  post,
  PSID,
  quickReply,
  replyPath,
  type MessengerApp,
} from './messenger.fixtures.ts';

const startApp = messengerAppsPerTest();
let app: MessengerApp;
beforeEach(async () => {
  app = await startApp();
});

/** Brings the person to the consent question (language picked). */
async function toConsent(): Promise<void> {
  await post(app, messageActivity('Hi'));
  await post(app, quickReply('English', 'en'));
}

async function step(): Promise<string | undefined> {
  return (await app.store.conversations.load(addressKey(ADDRESS)))?.value.session?.step;
}

describe('Messenger quick replies', () => {
  it('selects the option by the payload, whatever title text Facebook sends with it', async () => {
    await toConsent();
    const connector = captureConnector();
    // A title that matches no label on its own (Facebook shows at most 20 characters).
    const tap = quickReply('I agr…', 'agree');
    expect((await post(app, tap)).status).toBe(200);
    expect(connector.shown()[0]).toEqual({
      path: replyPath(tap),
      text: en('onboarding:askRole'),
      actions: [action('New in the country', 'newcomer'), action('Local resident', 'resident'), action('NGO staff', 'ngo-staff'), action('Recruiter', 'recruiter')],
    });
    expect(await step()).toBe('role');
  });

  it('selects the option by its title when only the text arrives', async () => {
    await toConsent();
    const connector = captureConnector();
    await post(app, messageActivity('I agree'));
    expect(connector.shown().map((s) => s.text)).toEqual([en('onboarding:askRole')]);
    expect(await step()).toBe('role');
  });

  it('selects the option from an Emulator postBack tap (the value as hidden text)', async () => {
    await post(app, messageActivity('Hi', { channelId: 'emulator' }));
    const connector = captureConnector();
    await post(app, messageActivity('en', { channelId: 'emulator', channelData: { postBack: true } }));
    expect(connector.shown().map((s) => s.text)).toEqual([en('onboarding:privacy')]);
  });

  it('selects the option from a tap that carries the value as `value`', async () => {
    await post(app, messageActivity('Hi', { channelId: 'emulator' }));
    const connector = captureConnector();
    await post(app, messageActivity('', { channelId: 'emulator', value: 'en', channelData: {} }));
    expect(connector.shown().map((s) => s.text)).toEqual([en('onboarding:privacy')]);
  });

  it('says which answer it expects when a payload matches no option', async () => {
    await toConsent();
    const connector = captureConnector();
    await post(app, quickReply('Maybe', 'maybe'));
    expect(connector.shown().map((s) => s.text)).toEqual([en('common:pickOne'), en('onboarding:privacy')]);
    expect(await step()).toBe('privacy');
  });
});

describe('Messenger webhook', () => {
  it('processes a redelivered activity (same id) once', async () => {
    const connector = captureConnector();
    const hello = messageActivity('Hi');
    expect((await post(app, hello)).status).toBe(200);
    expect((await post(app, hello)).status).toBe(200);
    expect(connector.calls.map((c) => c.path)).toEqual([replyPath(hello)]);
    expect(await step()).toBe('language');
  });

  it('acknowledges other activity types and stores nothing', async () => {
    const connector = captureConnector();
    const update = {
      type: 'conversationUpdate',
      id: 'f:1',
      channelId: 'facebook',
      serviceUrl: 'https://facebook.botframework.com/',
      from: { id: PSID },
      recipient: { id: PAGE_ID },
      conversation: { id: `${PSID}-${PAGE_ID}` },
      membersAdded: [{ id: PAGE_ID }],
    };
    for (const activity of [update, { ...update, type: 'typing' }, { ...update, type: 'messageReaction' }]) {
      const res = await post(app, activity);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    }
    expect(connector.calls).toEqual([]);
    expect(await app.store.reach.get(ADDRESS)).toBeNull();
  });

  it('never treats a message of the bot itself as input', async () => {
    const connector = captureConnector();
    const echo = messageActivity('Choose your language', { from: { id: PAGE_ID, name: 'Passerelle' }, recipient: { id: PAGE_ID } });
    expect((await post(app, echo)).status).toBe(200);
    const botRole = messageActivity('Hi', { from: { id: 'another-bot', role: 'bot' } });
    expect((await post(app, botRole)).status).toBe(200);
    expect(connector.calls).toEqual([]);
    expect(await step()).toBeUndefined();
  });

  it('ignores group conversations: one person answers, all would see', async () => {
    const connector = captureConnector();
    await post(app, messageActivity('Hi', { conversation: { id: 'group-1', isGroup: true } }));
    expect(connector.calls).toEqual([]);
    expect(await app.store.reach.get(ADDRESS)).toBeNull();
  });

  it('answers 400 naming the field of a malformed message activity', async () => {
    const { from: _from, ...noSender } = messageActivity('Hi');
    const missing = await post(app, noSender);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'invalid request', issues: [{ field: 'from', message: expect.any(String) }] });

    const badUrl = await post(app, messageActivity('Hi', { serviceUrl: 'ftp://example.org/' }));
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.issues).toEqual([{ field: 'serviceUrl', message: expect.any(String) }]);

    const noType = await post(app, { text: 'Hi' });
    expect(noType.status).toBe(400);
    expect(noType.body.issues).toEqual([{ field: 'type', message: expect.any(String) }]);

    const notJson = await post(app, '{"type":');
    expect(notJson.status).toBe(400);
    expect(await app.store.reach.get(ADDRESS)).toBeNull();
  });

  it('still answers 200 when the connector refuses a reply (the person blocked the page)', async () => {
    nock.cleanAll();
    nock('https://facebook.botframework.com')
      .post(/\/v3\/conversations\/.+\/activities$/)
      .reply(403, { error: { code: 'BotBlocked', message: 'The user has blocked the bot' } });
    expect((await post(app, messageActivity('Hi'))).status).toBe(200);
    expect(nock.isDone()).toBe(true);
    expect(await step()).toBe('language');
  });

  it('answers 500 when the turn cannot run, so that the connector delivers it again', async () => {
    await app.pipeline.drain();
    const res = await post(app, messageActivity('Hi'));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal error' });
  });
});
