import nock from 'nock';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Address } from '../../../core/messages.ts';
import { personWith } from '../store-contract/fixtures.ts';
import { createOrg } from '../../support/organisations.ts';
import { ENV as CLOUD_ENV, GRAPH, MESSAGES_PATH as GRAPH_MESSAGES } from '../whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { recordTwilio, twilioAppsPerTest, type TwilioApp } from './twilio.fixtures.ts';

const startApp = twilioAppsPerTest();
const TEMPLATES = JSON.stringify({ broadcast: { fr: { name: 'news', language: 'fr' } } });

/** A person known on WhatsApp, the web chat (where they last wrote) and SMS, joined to the organisation on WhatsApp. */
async function personOnThreeChannels(app: TwilioApp, orgId: string, phone: string) {
  const wa: Address = { channel: 'whatsapp-cloud', id: phone.slice(1) };
  const web: Address = { channel: 'webchat', id: crypto.randomUUID() };
  const sms: Address = { channel: 'sms', id: phone };
  const person = personWith({ lang: 'fr', firstName: 'Amina', identities: [wa, web, sms] });
  await app.store.people.create(person);
  await app.store.reach.recordInbound(wa, new Date(app.clock.now().getTime() - 60_000), null);
  await app.store.reach.recordInbound(web, app.clock.now(), null);
  await app.store.contacts.join(orgId, { personId: person.id, firstName: 'Amina', phone, lang: 'fr', channel: 'whatsapp-cloud', address: wa, tags: [] }, crypto.randomUUID(), app.clock.now());
  return person;
}

describe('the outbox fallback and the person’s own channel order', () => {
  it('falls back to the channel the person chose, not the one they last wrote from, exactly once through a Twilio 429', async () => {
    const app = await startApp({ ...CLOUD_ENV, WHATSAPP_TEMPLATES: TEMPLATES, RATE_SMS: '1000', RATE_WHATSAPP_CLOUD: '1000' });
    const org = await createOrg(app.store, { code: 'secours', name: 'Secours', lang: 'fr' });
    const chose = await personOnThreeChannels(app, org.id, '+33612345001');
    await personOnThreeChannels(app, org.id, '+33612345002');
    await app.store.people.setChannelOrder(chose.id, ['sms', 'webchat'], app.clock.now());
    // Both numbers left WhatsApp: Meta answers 131026, a reason to try another channel.
    nock(GRAPH)
      .persist()
      .post(GRAPH_MESSAGES)
      .reply(400, { error: { message: '(#131026) Message Undeliverable.', type: 'OAuthException', code: 131026, fbtrace_id: 'A2' } });
    const twilio = recordTwilio({ 1: { status: 429, code: 20429 } });

    const created = await request(app.http).post('/api/broadcasts').set('authorization', `Bearer ${org.apiKey}`).send({ text: 'Distribution demain à 10 h.', sourceLang: 'fr' });
    expect(created.status).toBe(201);
    await app.broadcasts.tick();
    for (let round = 0; (await app.store.outbox.openCount(created.body.id)) > 0; round++) {
      if (round > 50) throw new Error('the broadcast did not finish');
      for (const channel of ['whatsapp-cloud', 'sms', 'webchat'] as const) await app.outbox.drain(channel);
      app.clock.advance(10_000);
    }

    // The one who chose SMS got one SMS; the other got it where they last wrote (the web chat).
    expect(twilio.sent.map((s) => s.To)).toEqual(['+33612345001']);
    const stats = await app.store.outbox.stats(created.body.id);
    expect(stats.byStatus).toEqual({ sent: 2 });
    expect(stats.byFallback).toEqual({ 'whatsapp-cloud>sms': 1, 'whatsapp-cloud>webchat': 1 });
  });
});
