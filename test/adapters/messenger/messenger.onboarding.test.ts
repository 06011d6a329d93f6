import { beforeEach, describe, expect, it } from 'vitest';
import {
  action,
  ADDRESS,
  captureConnector,
  en,
  CONVERSATION_ID,
  messageActivity,
  messengerAppsPerTest,
  PAGE_ID,
  post,
  PSID,
  quickReply,
  replyPath,
  SERVICE_URL,
  type MessengerApp,
} from './messenger.fixtures.ts';

const LANGUAGE_PICKER = [
  action('العربية', 'ar'),
  action('فارسی / دری', 'fa'),
  action('پښتو', 'ps'),
  action('Українська', 'uk'),
  action('ትግርኛ', 'ti'),
  action('Soomaali', 'so'),
  action('Türkçe', 'tr'),
  action('Français', 'fr'),
  action('Español', 'es'),
  action('English', 'en'),
];
const startApp = messengerAppsPerTest();
let app: MessengerApp;
beforeEach(async () => {
  app = await startApp();
});

describe('Messenger onboarding through the Bot Connector (English)', () => {
  it('signs a person up from the first message to the menu, with a typed town', async () => {
    const connector = captureConnector();

    const hello = messageActivity('Hi');
    expect((await post(app, hello)).status).toBe(200);
    // The whole first reply, as the connector receives it: sent from the outbox with the stored
    // conversation reference, which keeps ids only (never the person's name).
    expect(connector.calls[0]).toEqual({
      path: replyPath(hello),
      authorization: undefined,
      body: {
        type: 'message',
        serviceUrl: SERVICE_URL,
        channelId: 'facebook',
        from: { id: PAGE_ID },
        recipient: { id: PSID },
        conversation: { id: CONVERSATION_ID },
        inputHint: 'acceptingInput',
        text: en('common:pickLanguageFirst'),
        suggestedActions: { actions: LANGUAGE_PICKER },
      },
    });

    const english = quickReply('English', 'en');
    const agree = quickReply('I agree', 'agree');
    const role = messageActivity('Local resident');
    const name = messageActivity('Amina');
    const town = messageActivity('Lyon');
    for (const activity of [english, agree, role, name, town]) expect((await post(app, activity)).status).toBe(200);

    expect(connector.shown().slice(1)).toEqual([
      { path: replyPath(english), text: en('onboarding:privacy'), actions: [action('I agree', 'agree'), action('No', 'disagree')] },
      {
        path: replyPath(agree),
        text: en('onboarding:askRole'),
        actions: [action('New in the country', 'newcomer'), action('Local resident', 'resident'), action('NGO staff', 'ngo-staff'), action('Recruiter', 'recruiter')],
      },
      { path: replyPath(role), text: en('onboarding:askName') },
      // No location pin on Messenger: the question asks for a typed town, with Skip.
      { path: replyPath(name), text: en('onboarding:askPlace'), actions: [action('Skip', 'skip')] },
      { path: replyPath(town), text: en('onboarding:welcome', { firstName: 'Amina' }) },
      {
        path: replyPath(town),
        text: en('menu:title'),
        actions: [action('🤝 Exchange', 'exchange'), action('Work', 'work'), action('Join an organisation', 'join'), action('Change language', 'language'), action('My data', 'privacy'), action('Help', 'help'), action('My conversations', 'conversations'), action('My channels', 'channels')],
      },
    ]);

    const person = await app.store.people.findByAddress(ADDRESS);
    expect(person).toMatchObject({
      role: 'resident',
      roleStatus: 'active',
      lang: 'en',
      firstName: 'Amina',
      place: { type: 'typed', text: 'Lyon' },
      identities: [ADDRESS],
    });
    // The reference kept for later sends holds ids and the service URL, no display names.
    expect(await app.store.reach.get(ADDRESS)).toEqual({
      lastInboundAt: app.clock.now(),
      reference: {
        channelId: 'facebook',
        serviceUrl: SERVICE_URL,
        conversation: { id: CONVERSATION_ID },
        user: { id: PSID },
        bot: { id: PAGE_ID },
      },
    });
  });
});
