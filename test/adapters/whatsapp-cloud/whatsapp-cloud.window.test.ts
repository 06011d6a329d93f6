import nock from 'nock';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { templateParam, windowOpen } from '../../../core/outbox/windows.ts';
import { createOrg } from '../../support/organisations.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { deliver, ENV, inbound, recordSends, wamid, WA_ID, type WhatsappApp } from './whatsapp-cloud.fixtures.ts';
import { WhatsappCloudChannel } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.channel.ts';

const HOUR = 3_600_000;
const TEMPLATES = JSON.stringify({ notice: { ar: { name: 'new_message', language: 'ar' } }, broadcast: {} });
const person = { channel: 'whatsapp-cloud', id: WA_ID } as const;

let app: WhatsappApp | undefined;
afterEach(async () => {
  nock.cleanAll();
  await app?.dispose();
  app = undefined;
});

async function start(env: Record<string, string> = {}) {
  const clock = manualClock();
  const product = await testApp({ ...ENV, WHATSAPP_TEMPLATES: TEMPLATES, ...env }, { clock });
  const channel = product.channels.find((c): c is WhatsappCloudChannel => c instanceof WhatsappCloudChannel)!;
  app = Object.assign(product, { clock, channel });
  const org = await createOrg(app.store, { code: 'alpha', name: 'Alpha Aid' });
  await app.store.contacts.importMany(org.id, [{ firstName: 'Amal', phone: `+${WA_ID}`, lang: 'ar', channel: 'whatsapp-cloud', address: person, tags: [] }], () => 'c-amal', clock.now());
  return { app, org };
}

const answerText = '✉️ Alpha Aid:\nLe rendez-vous est demain à 10 h.';

describe('a WhatsApp Cloud person outside the 24-hour window', () => {
  it('holds the message, sends one template notice, and delivers the message once when the person writes back', async () => {
    const { app, org } = await start();
    // Amal last wrote 25 hours ago: the window is closed.
    await app.store.reach.recordInbound(person, new Date(app.clock.now().getTime() - 25 * HOUR), null);
    const sent = recordSends();

    const answered = await request(app.http).post('/api/contacts/c-amal/messages').set('authorization', `Bearer ${org.apiKey}`).send({ text: 'Le rendez-vous est demain à 10 h.' });
    expect(answered.status).toBe(202);
    await app.settle();

    // Not the text (Meta would refuse it, 131047): the approved template in her language.
    expect(sent.bodies).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: WA_ID,
        type: 'template',
        template: { name: 'new_message', language: { code: 'ar' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Alpha Aid' }] }] },
      },
    ]);
    // The NGO sees the message waiting, with why and until when.
    expect(await app.store.outbox.held(org.id, 10)).toEqual([
      { id: answered.body.delivery.id, kind: 'answer', channel: 'whatsapp-cloud', contactId: 'c-amal', broadcastId: null, reason: 'outside-window', expiresAt: new Date(app.clock.now().getTime() + 7 * 24 * HOUR).toISOString() },
    ]);

    // A second message for her while she is away waits behind the first (her messages keep their
    // order), and no second notice goes out.
    const second = await request(app.http).post('/api/contacts/c-amal/messages').set('authorization', `Bearer ${org.apiKey}`).send({ text: 'Apportez vos papiers.' });
    await app.settle();
    expect(sent.bodies).toHaveLength(1);
    expect(await app.store.outbox.statusOf([second.body.delivery.id])).toEqual(new Map([[second.body.delivery.id, 'pending']]));

    // She writes back: the window opens, the held messages go first, in order, then the reply to her message.
    app.clock.advance(HOUR);
    expect((await deliver(app, inbound(app, wamid(1), { type: 'text', text: { body: 'مرحبا' } }))).status).toBe(200);
    const texts = sent.bodies.slice(1).map((b) => (b as { text?: { body: string } }).text?.body ?? (b as { type: string }).type);
    expect(texts.slice(0, 2)).toEqual([answerText, '✉️ Alpha Aid:\nApportez vos papiers.']);
    expect(texts.filter((t) => t === answerText)).toHaveLength(1);
    expect(await app.store.outbox.held(org.id, 10)).toEqual([]);

    // Nothing is sent twice when the worker runs again.
    const count = sent.bodies.length;
    await app.settle();
    expect(sent.bodies).toHaveLength(count);
  });

  it('holds a message Meta refuses with 131047 (re-engagement), and without a template waits for the person', async () => {
    const { app, org } = await start({ WHATSAPP_TEMPLATES: '{}' });
    await app.store.reach.recordInbound(person, app.clock.now(), null);
    nock('https://graph.facebook.com')
      .post(/\/messages$/)
      .reply(400, { error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047, fbtrace_id: 'A1' } });
    await request(app.http).post('/api/contacts/c-amal/messages').set('authorization', `Bearer ${org.apiKey}`).send({ text: 'Bonjour' });
    await app.settle();
    expect(nock.isDone()).toBe(true);
    expect(await app.store.outbox.held(org.id, 10)).toMatchObject([{ kind: 'answer', reason: 'outside-window' }]);
  });

  it('expires a held message after the hold time, and the NGO sees it expired', async () => {
    const { app, org } = await start({ WHATSAPP_TEMPLATES: '{}', OUTBOX_HOLD_DAYS: '2' });
    await app.store.reach.recordInbound(person, new Date(app.clock.now().getTime() - 30 * HOUR), null);
    const answered = await request(app.http).post('/api/contacts/c-amal/messages').set('authorization', `Bearer ${org.apiKey}`).send({ text: 'Bonjour' });
    await app.settle();
    expect(await app.store.outbox.statusOf([answered.body.delivery.id])).toEqual(new Map([[answered.body.delivery.id, 'held']]));
    app.clock.advance(49 * HOUR);
    expect(await app.store.outbox.expire(app.clock.now())).toBe(1);
    expect(await app.store.outbox.statusOf([answered.body.delivery.id])).toEqual(new Map([[answered.body.delivery.id, 'expired']]));
    expect(await app.store.outbox.held(org.id, 10)).toEqual([]);
  });
});

describe('windows and template parameters', () => {
  it('counts the window from the latest time the person wrote', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(windowOpen(now, 24 * HOUR, new Date('2026-11-30T12:00:01Z'), null)).toBe(true);
    expect(windowOpen(now, 24 * HOUR, new Date('2026-11-30T12:00:00Z'), null)).toBe(false);
    expect(windowOpen(now, 24 * HOUR, null, null)).toBe(false);
    expect(windowOpen(now, 24 * HOUR, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T11:00:00Z'))).toBe(true);
  });

  it('flattens new lines and long runs of spaces, and cuts at the parameter limit at a word', () => {
    expect(templateParam('📢 Alpha Aid\nDistribution demain.\n\nRépondez ici.')).toBe('📢 Alpha Aid · Distribution demain. · Répondez ici.');
    expect(templateParam('a     b\tc')).toBe('a b · c');
    const long = templateParam('mot '.repeat(400), 1024);
    expect([...long].length).toBeLessThanOrEqual(1024);
    expect(long.endsWith('mot…')).toBe(true);
  });
});
