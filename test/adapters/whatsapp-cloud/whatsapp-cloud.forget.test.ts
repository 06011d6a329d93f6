import { describe, expect, it } from 'vitest';
import { buttons, deliverStep, en, recordSends, text, WA_ID, whatsappAppsPerTest } from './whatsapp-cloud.fixtures.ts';

const startApp = whatsappAppsPerTest();

describe('"forget me" on WhatsApp Cloud', () => {
  it('tells the person their data is gone, although the erasure removed the record of their last message', async () => {
    const app = await startApp();
    const sent = recordSends();
    const steps: Record<string, unknown>[] = [
      { type: 'text', text: { body: 'Hi' } },
      { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'en', title: 'English' } } },
    ];
    for (const [i, message] of steps.entries()) await deliverStep(app, sent, i + 1, message);

    expect(await deliverStep(app, sent, 3, { type: 'text', text: { body: 'forget' } })).toEqual([
      buttons(en('common:forgetConfirm'), [
        ['yes', en('common:yes')],
        ['no', en('common:no')],
      ]),
    ]);
    const yes = { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } } };
    expect(await deliverStep(app, sent, 4, yes)).toEqual([text(en('common:forgotten'))]);
    expect(await app.store.reach.get({ channel: 'whatsapp-cloud', id: WA_ID })).toBeNull();
    expect(await app.store.conversations.load(`whatsapp-cloud:${WA_ID}`)).toBeNull();
  });
});
