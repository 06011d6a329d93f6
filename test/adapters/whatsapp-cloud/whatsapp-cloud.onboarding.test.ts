import { describe, expect, it } from 'vitest';
import {
  buttons,
  capturingLogger,
  deliver,
  deliverStep,
  en,
  inbound,
  languagePicker,
  list,
  recordSends,
  text,
  WA_ID,
  wamid,
  whatsappAppsPerTest,
} from './whatsapp-cloud.fixtures.ts';
import { storedPin } from '../../support/places.ts';

const startApp = whatsappAppsPerTest();

describe('WhatsApp Cloud onboarding through POST /webhooks/whatsapp', () => {
  it('signs a person up with text, list, button and location messages and sends exact Graph requests', async () => {
    const logger = capturingLogger();
    const app = await startApp({ logger });
    const sent = recordSends();
    const step = async (n: number, message: Record<string, unknown>) => {
      const replies = await deliverStep(app, sent, n, message);
      app.clock.advance(20_000);
      return replies;
    };

    // Any first message: the language picker, 10 languages, so a list.
    expect(await step(1, { type: 'text', text: { body: 'Hi' } })).toEqual([languagePicker()]);

    // English from the list: the privacy notice with two reply buttons.
    const picked = { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'en', title: 'English' } } };
    expect(await step(2, picked)).toEqual([
      buttons(
        en('onboarding:privacy'),
        [
          ['agree', en('onboarding:agree')],
          ['disagree', en('onboarding:disagree')],
        ],
      ),
    ]);

    // Consent by button: the role question has 4 options, more than 3 reply buttons, so a list.
    const agreed = { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'agree', title: 'I agree' } } };
    expect(await step(3, agreed)).toEqual([
      list(en('onboarding:askRole'), [
        ['newcomer', en('onboarding:roleNewcomer')],
        ['resident', en('onboarding:roleResident')],
        ['ngo-staff', en('onboarding:roleStaff')],
        ['recruiter', en('onboarding:roleRecruiter')],
      ]),
    ]);

    const role = { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'newcomer', title: 'New in the country', description: '' } } };
    expect(await step(4, role)).toEqual([text(en('onboarding:askName'))]);

    // The place question: the text says "share your location", with a Skip reply button.
    expect(await step(5, { type: 'text', text: { body: 'Amina' } })).toEqual([
      buttons(en('onboarding:askPlace'), [['skip', en('onboarding:skip')]]),
    ]);

    const pin = { type: 'location', location: { latitude: 52.5219, longitude: 13.4132, name: 'Alexanderplatz', address: 'Alexanderplatz, Berlin' } };
    expect(await step(6, pin)).toEqual([
      text(en('onboarding:welcome', { firstName: 'Amina' })),
      // Six choices: a list, since reply buttons hold three at most.
      list(en('menu:title'), [
        ['exchange', en('exchange:menuEntry')],
        ['work', en('menu:work')],
        ['join', en('menu:join')],
        ['language', en('menu:language')],
        ['privacy', en('menu:privacy')],
        ['help', en('menu:help')],
        ['conversations', en('common:relay.myConversations')],
        ['channels', en('channels:menuEntry')],
      ]),
    ]);

    const person = await app.store.people.findByAddress({ channel: 'whatsapp-cloud', id: WA_ID });
    expect(person).toMatchObject({
      role: 'newcomer',
      roleStatus: 'active',
      lang: 'en',
      firstName: 'Amina',
      // Kept as the centre of its coarse cell, never the exact point.
      place: storedPin(52.5219, 13.4132),
      consent: { noticeVersion: 1 },
      subscribed: true,
      identities: [{ channel: 'whatsapp-cloud', id: WA_ID }],
    });
    // The logs say what happened without saying who or what they wrote.
    expect(logger.lines.length).toBeGreaterThan(0);
    for (const secret of [WA_ID, 'Amina', '52.5219', 'Alexanderplatz', 'Hi"']) {
      expect(logger.lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });

  it('takes a template quick-reply button as the choice it names', async () => {
    const app = await startApp();
    const sent = recordSends();
    await deliver(app, inbound(app, wamid(1), { type: 'text', text: { body: 'Hello' } }));
    sent.bodies.length = 0;
    await deliver(app, inbound(app, wamid(2), { type: 'button', button: { payload: 'en', text: 'English' } }));
    expect(sent.bodies).toEqual([expect.objectContaining({ interactive: expect.objectContaining({ type: 'button' }) })]);
    const session = await app.store.conversations.load(`whatsapp-cloud:${WA_ID}`);
    expect(session?.value.session?.lang).toBe('en');
  });

  it('answers an image and a voice note with "text only" and the pending question again, and keeps the conversation', async () => {
    const app = await startApp();
    const sent = recordSends();
    await deliver(app, inbound(app, wamid(1), { type: 'text', text: { body: 'Hello' } }));
    sent.bodies.length = 0;
    app.clock.advance(3_600_000);
    const image = { type: 'image', image: { mime_type: 'image/jpeg', sha256: 'abc', id: '1234567890' } };
    const res = await deliver(app, inbound(app, wamid(2), image));
    expect(res.status).toBe(200);
    // No language chosen yet: the sentence in the default language, then the picker again.
    expect(sent.bodies).toEqual([text(en('common:unsupported')), languagePicker()]);
    // The image still counts as the person's last message for the 24 h window, as Meta counts it.
    const reach = await app.store.reach.get({ channel: 'whatsapp-cloud', id: WA_ID });
    expect(reach?.lastInboundAt.getTime()).toBe(Math.floor(app.clock.now().getTime() / 1000) * 1000);
    // Still at the language question, and the image was not counted as a wrong answer.
    const key = `whatsapp-cloud:${WA_ID}`;
    expect((await app.store.conversations.load(key))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'language', attempts: 0, lang: null });

    sent.bodies.length = 0;
    const chose = { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'en', title: 'English' } } };
    await deliver(app, inbound(app, wamid(3), chose));
    const privacy = buttons(en('onboarding:privacy'), [
      ['agree', en('onboarding:agree')],
      ['disagree', en('onboarding:disagree')],
    ]);
    expect(sent.bodies).toEqual([privacy]);

    sent.bodies.length = 0;
    const voice = { type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'def', id: '2345678901', voice: true } };
    expect((await deliver(app, inbound(app, wamid(4), voice))).status).toBe(200);
    expect(sent.bodies).toEqual([text(en('common:unsupported')), privacy]);
    expect((await app.store.conversations.load(key))?.value.session).toMatchObject({ dialog: 'onboarding', step: 'privacy', attempts: 0, lang: 'en' });
  });
});
