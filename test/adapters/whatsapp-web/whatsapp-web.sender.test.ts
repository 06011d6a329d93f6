import { describe, expect, it } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import { WHATSAPP_WEB_CAPABILITIES, WhatsappWebSender, classifySendError, lookupChatId } from '../../../adapters/whatsapp-web/whatsapp-web.sender.ts';
import { sendRendered } from '../../support/send-rendered.ts';
import { FakeWhatsappWebClient } from '../../fakes/whatsapp-web-client.fake.ts';

const TO = { channel: 'whatsapp-web', id: '33612345678@c.us' } as const;

function setup(ready = true, sendTimeoutMs?: number) {
  const fake = new FakeWhatsappWebClient();
  const deps = { client: fake, isReady: () => ready, sendTimeoutMs };
  return { fake, deps, sender: new WhatsappWebSender(deps) };
}

describe('whatsapp-web sender', () => {
  it('sends text and reports the WhatsApp message id', async () => {
    const { fake, sender } = setup();
    const result = await sender.send(TO, { type: 'text', text: 'Hello' });
    expect(fake.sent).toEqual([{ chatId: '33612345678@c.us', content: 'Hello' }]);
    expect(result).toEqual({ status: 'delivered', platformMessageId: expect.stringMatching(/^true_33612345678@c\.us_3EB0[0-9A-F]{16}$/) });
  });

  it('renders choices and a location request as numbered lists (no buttons, no pin request)', async () => {
    const { fake, sender } = setup();
    expect(WHATSAPP_WEB_CAPABILITIES).toEqual({ maxButtons: 0, maxButtonLabel: 0, maxTextLength: 4096, locationRequest: false });
    await sendRendered(
      sender,
      TO,
      [
        { lang: 'en', message: { type: 'choices', text: 'Do you agree?', choices: [{ id: 'yes', label: 'I agree' }, { id: 'no', label: 'No' }] } },
        { lang: 'en', message: { type: 'location-request', text: 'Where are you?', skip: { id: 'skip', label: 'Skip' } } },
      ],
    );
    expect(fake.sent.map((s) => s.content)).toEqual(['Do you agree?\n\n1. I agree\n2. No', 'Where are you?\n\n1. Skip']);
  });

  it('sends a place as a native pin (a Location with its name), not as text', async () => {
    const { fake, sender } = setup();
    const office = { type: 'location', text: 'Secours Populaire, 12 rue Jangot', latitude: 45.7578137, longitude: 4.8320114 } as const;
    expect((await sender.send(TO, office)).status).toBe('delivered');
    expect((await sender.send(TO, { ...office, text: '' })).status).toBe('delivered');
    const [named, unnamed] = fake.sent.map((s) => s.content);
    expect(named).toBeInstanceOf(wwebjs.Location);
    expect(named).toMatchObject({ latitude: 45.7578137, longitude: 4.8320114, name: 'Secours Populaire, 12 rue Jangot', description: 'Secours Populaire, 12 rue Jangot' });
    expect(unnamed).toBeInstanceOf(wwebjs.Location);
    expect(unnamed).toMatchObject({ latitude: 45.7578137, longitude: 4.8320114, name: undefined, description: '' });
    expect(fake.sent.map((s) => s.chatId)).toEqual([TO.id, TO.id]);
  });

  it('classifies an unknown number as not on WhatsApp', async () => {
    const { fake, sender } = setup();
    fake.sendBehaviour = async () => {
      throw new Error('Evaluation failed: Error: invalid wid');
    };
    expect(await sender.send(TO, { type: 'text', text: 'Hi' })).toEqual({ status: 'unreachable', reason: 'not-on-channel' });

    // No Message back: WhatsApp found no chat; the account check tells why.
    fake.sendBehaviour = async () => undefined;
    expect(await sender.send(TO, { type: 'text', text: 'Hi' })).toEqual({ status: 'unreachable', reason: 'not-on-channel' });
    fake.registered.add('33612345678');
    expect(await sender.send(TO, { type: 'text', text: 'Hi' })).toEqual({ status: 'transient-failure', detail: 'whatsapp web created no message' });
  });

  it('does not send while the client is not ready', async () => {
    const { fake, sender } = setup(false);
    expect(await sender.send(TO, { type: 'text', text: 'Hi' })).toEqual({ status: 'transient-failure', detail: 'whatsapp web client not ready' });
    expect(fake.sent).toEqual([]);
  });

  it('times out a send that never answers', async () => {
    const { fake, sender } = setup(true, 20);
    fake.sendBehaviour = () => new Promise(() => {});
    expect(await sender.send(TO, { type: 'text', text: 'Hi' })).toEqual({ status: 'transient-failure', detail: 'whatsapp web did not answer in time' });
  });

  it('classifies browser and page errors without quoting them', () => {
    const closed = Object.assign(new Error('Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.'), { name: 'ProtocolError' });
    expect(classifySendError(closed)).toEqual({ status: 'transient-failure', detail: 'whatsapp web client disconnected (ProtocolError)' });
    expect(classifySendError(new TypeError("Cannot read properties of null (reading 'evaluate')"))).toEqual({
      status: 'transient-failure',
      detail: 'whatsapp web client disconnected (TypeError)',
    });
    expect(classifySendError(new Error("Evaluation failed: TypeError: Cannot read properties of undefined (reading 'getChat') 33612345678"))).toEqual({
      status: 'permanent-failure',
      detail: 'whatsapp web rejected the message (Error)',
    });
    expect(classifySendError('auth timeout')).toEqual({ status: 'transient-failure', detail: 'whatsapp web failed without an error object' });
  });
});

describe('lookupChatId (imported phone numbers)', () => {
  it('finds the chat id of a WhatsApp number and says when there is none', async () => {
    const { fake, deps } = setup();
    fake.registered.add('33612345678');
    expect(await lookupChatId(deps, '+33 6 12 34 56 78')).toEqual({ status: 'found', chatId: '33612345678@c.us' });
    expect(await lookupChatId(deps, '+33699999999')).toEqual({ status: 'unreachable', reason: 'not-on-channel' });
    expect(await lookupChatId(deps, '0612345678')).toEqual({ status: 'permanent-failure', detail: 'not an E.164 phone number' });
  });

  it('waits for a ready client', async () => {
    const { deps } = setup(false);
    expect(await lookupChatId(deps, '+33612345678')).toEqual({ status: 'transient-failure', detail: 'whatsapp web client not ready' });
  });
});
