import nock from 'nock';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { measureSms } from '../../../core/text/sms-segments.ts';
import { createOrg } from '../../support/organisations.ts';
import { ENV as CLOUD_ENV, GRAPH, MESSAGES_PATH as GRAPH_MESSAGES, wamid } from '../whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { recordTwilio, twilioAppsPerTest, type TwilioApp } from './twilio.fixtures.ts';

const startApp = twilioAppsPerTest();
const LANGS = ['fr', 'ar', 'uk'] as const;
const TEMPLATES = JSON.stringify({ broadcast: Object.fromEntries(LANGS.map((l) => [l, { name: 'news', language: l }])) });

/** 150 contacts on WhatsApp Cloud (every fifth not on WhatsApp at all) and 150 known by SMS only. */
function contacts() {
  return Array.from({ length: 300 }, (_, i) => {
    const phone = `+3361${String(i).padStart(7, '0')}`;
    const channel = i < 150 ? ('whatsapp-cloud' as const) : ('sms' as const);
    return { firstName: `P${i}`, phone, lang: LANGS[i % 3]!, channel, address: channel === 'sms' ? { channel, id: phone } : { channel, id: phone.slice(1) }, tags: [] };
  });
}
const notOnWhatsapp = (waId: string): boolean => Number(waId.slice(-7)) % 5 === 0;

/** Answers Graph sends like Meta: 131026 for numbers not on WhatsApp, one 500 on the first call. */
function graph() {
  const delivered: string[] = [];
  let calls = 0;
  nock(GRAPH)
    .persist()
    .post(GRAPH_MESSAGES)
    .reply((_uri, body) => {
      calls++;
      const to = (body as { to: string }).to;
      if (calls === 1) return [500, { error: { message: 'Service unavailable', type: 'OAuthException', code: 2, fbtrace_id: 'A1' } }];
      if (notOnWhatsapp(to)) return [400, { error: { message: '(#131026) Message Undeliverable.', type: 'OAuthException', code: 131026, fbtrace_id: 'A2' } }];
      delivered.push(to);
      return [200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: wamid(calls) }] }];
    });
  return { delivered, calls: () => calls };
}

async function sendAll(app: TwilioApp, id: string): Promise<void> {
  for (let round = 0; (await app.store.outbox.openCount(id)) > 0; round++) {
    if (round > 200) throw new Error('the broadcast did not finish');
    await app.outbox.drain('whatsapp-cloud');
    await app.outbox.drain('sms');
    app.clock.advance(10_000);
  }
}

describe('a broadcast to 300 contacts, half WhatsApp Cloud and half SMS', () => {
  it('falls back to SMS exactly once for those not on WhatsApp; the SMS estimate before sending is what is sent', async () => {
    const app = await startApp({ ...CLOUD_ENV, WHATSAPP_TEMPLATES: TEMPLATES, RATE_SMS: '1000', RATE_WHATSAPP_CLOUD: '1000', SMS_PRICE_PER_SEGMENT: '0.07', SMS_PRICE_CURRENCY: 'EUR' });
    const org = await createOrg(app.store, { code: 'secours', name: 'Secours', lang: 'fr' });
    await app.store.contacts.importMany(org.id, contacts(), () => crypto.randomUUID(), app.clock.now());
    const wa = graph();
    // Twilio throttles once (429 code 20429) and fails once (503): both retried, nothing doubled.
    const twilio = recordTwilio({ 3: { status: 429, code: 20429 }, 40: { status: 503, code: 20503 } });
    const text = 'Distribution de colis demain à 10 h, place de la République. Apportez un sac.';

    const estimate = await request(app.http).post('/api/broadcasts/sms-estimate').set('authorization', `Bearer ${org.apiKey}`).send({ text, sourceLang: 'fr' });
    expect(estimate.status).toBe(200);
    console.log('estimate', JSON.stringify(estimate.body.languages.map((l: Record<string, unknown>) => ({ ...l, text: undefined }))), JSON.stringify(estimate.body.total));
    expect(estimate.body.total.recipients).toBe(150);
    const byLang = new Map<string, { segmentsEach: number; segments: number }>(estimate.body.languages.map((l: { lang: string; segmentsEach: number; segments: number }) => [l.lang, l]));
    expect(estimate.body.total.cost).toBeCloseTo(estimate.body.total.segments * 0.07, 6);

    const created = await request(app.http).post('/api/broadcasts').set('authorization', `Bearer ${org.apiKey}`).send({ text, sourceLang: 'fr' });
    expect(created.status).toBe(201);
    await app.broadcasts.tick();
    await sendAll(app, created.body.id);

    const smsOnly = new Set(contacts().slice(150).map((c) => c.phone));
    const fellBack = new Set(contacts().slice(0, 150).filter((c) => notOnWhatsapp(c.address.id)).map((c) => c.phone));
    expect(fellBack.size).toBe(30);
    // Exactly once each: every SMS-only contact and every fallback got one SMS; nobody else did.
    const perPhone = new Map<string, number>();
    for (const s of twilio.sent) perPhone.set(s.To, (perPhone.get(s.To) ?? 0) + 1);
    expect([...perPhone.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(perPhone.keys())).toEqual(new Set([...smsOnly, ...fellBack]));
    // The 120 on WhatsApp got one WhatsApp message each; the 30 were tried once there, then SMS.
    expect(wa.delivered).toHaveLength(120);
    expect(new Set(wa.delivered).size).toBe(120);
    expect(wa.calls()).toBe(120 + 30 + 1);

    // The estimate is what the SMS-only contacts were sent, segment for segment, per language.
    const langOf = new Map(contacts().map((c) => [c.phone, c.lang]));
    const sentSegments = new Map<string, number>();
    for (const s of twilio.sent.filter((s) => smsOnly.has(s.To))) sentSegments.set(langOf.get(s.To)!, (sentSegments.get(langOf.get(s.To)!) ?? 0) + measureSms(s.Body).segments);
    for (const lang of LANGS) expect(sentSegments.get(lang)).toBe(byLang.get(lang)!.segments);
    // And each fallback copy has the same segments as the estimate's copy in its language.
    for (const s of twilio.sent.filter((s) => fellBack.has(s.To))) expect(measureSms(s.Body).segments).toBe(byLang.get(langOf.get(s.To)!)!.segmentsEach);

    // The delivery record says which rows fell back, and from where.
    const stats = await app.store.outbox.stats(created.body.id);
    expect(stats.byStatus).toEqual({ sent: 300 });
    expect(stats.byFallback).toEqual({ 'whatsapp-cloud>sms': 30 });
    expect(stats.byChannel).toEqual({ 'whatsapp-cloud': { sent: 120 }, sms: { sent: 180 } });
    const status = await request(app.http).get(`/api/broadcasts/${created.body.id}`).set('authorization', `Bearer ${org.apiKey}`);
    expect(status.status).toBe(200);
  });
});
