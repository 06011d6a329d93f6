import { describe, expect, it } from 'vitest';
import { createOrg } from '../../support/organisations.ts';
import { recordTwilio, sms, texts, twilioAppsPerTest, type TwilioApp } from './twilio.fixtures.ts';

const startApp = twilioAppsPerTest();

/** Five people who know only SMS, one per language, each with the carrier keyword of their language. */
const PEOPLE = [
  { phone: '+33611000001', lang: 'fr', pick: '8', stop: 'ARRET', start: 'DÉMARRER' },
  { phone: '+34611000002', lang: 'es', pick: '9', stop: 'Alto', start: 'ALTA' },
  { phone: '+380671000003', lang: 'uk', pick: '4', stop: 'СТОП', start: 'СТАРТ' },
  { phone: '+33611000004', lang: 'ar', pick: '١', stop: 'توقف', start: 'ابدأ' },
  { phone: '+905321000005', lang: 'tr', pick: '7', stop: 'DUR', start: 'BAŞLA' },
];
/** Says STOP as the very first SMS, before any language is known: confirmed in the default language. */
const FIRST_WORD = { phone: '+33611000006', lang: 'fr', stop: 'STOP' };
const STAYS = { phone: '+33611000009', lang: 'fr' };

async function broadcast(app: TwilioApp, orgId: string, text: string): Promise<string> {
  const { broadcast } = await app.broadcasts.create({ orgId, text, sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
  await app.broadcasts.tick();
  while ((await app.store.outbox.openCount(broadcast.id)) > 0) {
    await app.outbox.drain('sms');
    app.clock.advance(5_000);
  }
  return broadcast.id;
}

describe('STOP by SMS in five languages', () => {
  it('unsubscribes at once and confirms; no later broadcast reaches them; START brings the news back', async () => {
    const app = await startApp({ RATE_SMS: '200' });
    const org = await createOrg(app.store, { code: 'secours', name: 'Secours', lang: 'fr' });
    const rows = [...PEOPLE, FIRST_WORD, STAYS].map((p, i) => ({ firstName: `P${i}`, phone: p.phone, lang: p.lang, channel: 'sms' as const, address: { channel: 'sms' as const, id: p.phone }, tags: [] }));
    await app.store.contacts.importMany(org.id, rows, () => crypto.randomUUID(), app.clock.now());
    // The first confirmation meets a 429 from Twilio: it is sent again, once.
    const twilio = recordTwilio({ 1: { status: 429, code: 20429 } });

    // They text the NGO's number, pick their language, and then say STOP at the privacy question.
    for (const p of PEOPLE) {
      await texts(app, p.phone, 'Bonjour');
      await texts(app, p.phone, p.pick);
      const before = twilio.sent.length;
      expect((await texts(app, p.phone, p.stop)).status).toBe(200);
      const replies = twilio.sent.slice(before).map((s) => s.Body);
      expect(replies[0]).toBe(sms(p.lang, 'common:stopped'));
      expect((await app.store.contacts.findByAddress({ channel: 'sms', id: p.phone })).map((c) => c.subscribed)).toEqual([false]);
    }
    expect((await texts(app, FIRST_WORD.phone, FIRST_WORD.stop)).status).toBe(200);
    app.clock.advance(5_000);
    await app.settle();
    expect(twilio.sent.filter((s) => s.To === FIRST_WORD.phone).map((s) => s.Body)[0]).toBe(sms('en', 'common:stopped'));
    expect((await app.store.contacts.findByAddress({ channel: 'sms', id: FIRST_WORD.phone })).map((c) => c.subscribed)).toEqual([false]);
    // The 429 delayed the first person's messages; each confirmation still went exactly once.
    for (const p of PEOPLE) expect(twilio.sent.filter((s) => s.To === p.phone && s.Body === sms(p.lang, 'common:stopped'))).toHaveLength(1);

    const sentBefore = twilio.sent.length;
    expect(twilio.calls()).toBe(twilio.sent.length + 1);
    const first = await broadcast(app, org.id, 'Distribution demain à 10 h.');
    expect(twilio.sent.slice(sentBefore).map((s) => s.To)).toEqual([STAYS.phone]);
    expect((await app.store.outbox.stats(first)).byStatus).toEqual({ sent: 1 });

    // START in two of the languages: those two get the next broadcast, the others still not.
    for (const p of PEOPLE.slice(0, 2)) {
      const before = twilio.sent.length;
      await texts(app, p.phone, p.start);
      expect(twilio.sent.slice(before).map((s) => s.Body)[0]).toBe(sms(p.lang, 'common:started'));
    }
    const again = twilio.sent.length;
    await broadcast(app, org.id, 'Distribution vendredi.');
    expect(new Set(twilio.sent.slice(again).map((s) => s.To))).toEqual(new Set([STAYS.phone, PEOPLE[0]!.phone, PEOPLE[1]!.phone]));
  });

  it('unsubscribes a contact whose STOP went to Twilio only (error 21610), and tries no other channel', async () => {
    const app = await startApp({ RATE_SMS: '200', WHATSAPP_CLOUD_TOKEN: 't', WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1', WHATSAPP_CLOUD_APP_SECRET: 's', WHATSAPP_CLOUD_VERIFY_TOKEN: 'v' });
    const org = await createOrg(app.store, { code: 'secours', name: 'Secours', lang: 'fr' });
    const phone = '+33611000007';
    await app.store.contacts.importMany(org.id, [{ firstName: 'Ali', phone, lang: 'fr', channel: 'sms', address: { channel: 'sms', id: phone }, tags: [] }], () => crypto.randomUUID(), app.clock.now());
    const twilio = recordTwilio({ 1: { status: 400, code: 21610 } });
    const id = await broadcast(app, org.id, 'Distribution demain.');
    expect(twilio.calls()).toBe(1);
    expect((await app.store.outbox.stats(id)).byStatus).toEqual({ unreachable: 1 });
    expect((await app.store.contacts.findByAddress({ channel: 'sms', id: phone })).map((c) => c.subscribed)).toEqual([false]);
  });
});
