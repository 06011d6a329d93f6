import { describe, expect, it } from 'vitest';
import { measureSms } from '../../../core/text/sms-segments.ts';
import { PICKER, postTwilio, recordTwilio, sms, smsList, texts, twilioAppsPerTest, inboundFields, OUR_NUMBER, PUBLIC_URL, type Outgoing } from './twilio.fixtures.ts';
import { MENU } from './twilio.fixtures.ts';

const startApp = twilioAppsPerTest();

/** What one language's onboarding says by SMS, reply by reply. */
function expectedOnboarding(lang: string, name: string): string[][] {
  const roles = ['onboarding:roleNewcomer', 'onboarding:roleResident', 'onboarding:roleStaff', 'onboarding:roleRecruiter'].map((k) => sms(lang, k));
  const menu = MENU.map((k) => sms(lang, k));
  return [
    [smsList('en', 'common:pickLanguageFirst', PICKER)],
    [smsList(lang, 'onboarding:privacy', [sms(lang, 'onboarding:agree'), sms(lang, 'onboarding:disagree')])],
    [smsList(lang, 'onboarding:askRole', roles)],
    [sms(lang, 'onboarding:askName')],
    [smsList(lang, 'onboarding:askPlace', [sms(lang, 'onboarding:skip')])],
    [sms(lang, 'onboarding:welcome', { firstName: name }), smsList(lang, 'menu:title', menu)],
  ];
}

describe('onboarding by SMS through the Twilio webhook', () => {
  it.each([
    { lang: 'fr', phone: '+33612345678', pick: '8', name: 'Amina', town: 'Lyon', encoding: 'GSM-7' },
    { lang: 'ar', phone: '+33698765432', pick: '١', name: 'أمينة', town: 'ليون', encoding: 'UCS-2' },
  ])('signs a person up in $lang, every reply a compact SMS sent to Twilio, counted in segments', async ({ lang, phone, pick, name, town, encoding }) => {
    const app = await startApp();
    const twilio = recordTwilio();
    const expected = expectedOnboarding(lang, name);
    const answers = ['Bonjour', pick, '1', '1', name, town];
    const table: string[] = [];
    for (const [i, answer] of answers.entries()) {
      const before = twilio.sent.length;
      const res = await texts(app, phone, answer);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<Response></Response>');
      const replies = twilio.sent.slice(before);
      expect(replies.map((r: Outgoing) => r.Body)).toEqual(expected[i]);
      for (const reply of replies) {
        expect(reply).toMatchObject({ To: phone, From: OUR_NUMBER, StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status` });
        const m = measureSms(reply.Body);
        table.push(`${lang} step ${i + 1}: ${m.encoding} ${m.units} units, ${m.segments} segment(s)`);
        // The picker mixes ten scripts; every reply after it is in the person's language only.
        if (i > 0) expect(m.encoding).toBe(encoding);
        expect(m.segments).toBeLessThanOrEqual(i === 0 ? 3 : 2);
      }
    }
    console.log(table.join('\n'));
    const person = await app.store.people.findByAddress({ channel: 'sms', id: phone });
    expect(person).toMatchObject({ lang, firstName: name, role: 'newcomer', subscribed: true, place: { type: 'typed', text: town }, identities: [{ channel: 'sms', id: phone }] });
  });

  it('refuses a wrong or missing signature with 401 and processes nothing', async () => {
    const app = await startApp();
    const twilio = recordTwilio();
    const fields = inboundFields('+33612345678', 'Bonjour');
    expect((await postTwilio(app, '/webhooks/twilio/sms', fields, 'c2lnbmF0dXJlIG9mIG5vYm9keQ==')).status).toBe(401);
    // Signed for another URL (a replay against another endpoint) is wrong too.
    const { twilioSignature } = await import('./twilio.fixtures.ts');
    expect((await postTwilio(app, '/webhooks/twilio/sms', fields, twilioSignature(`${PUBLIC_URL}/elsewhere`, fields))).status).toBe(401);
    // A changed field after signing.
    expect((await postTwilio(app, '/webhooks/twilio/sms', { ...fields, Body: 'STOP' }, twilioSignature(`${PUBLIC_URL}/webhooks/twilio/sms`, fields))).status).toBe(401);
    expect(twilio.calls()).toBe(0);
    expect(await app.store.conversations.load('sms:+33612345678')).toBeNull();
  });

  it('after a 429 from Twilio and a redelivered webhook, each reply arrives exactly once', async () => {
    const app = await startApp();
    const twilio = recordTwilio({ 1: { status: 429, code: 20429 } });
    const fields = inboundFields('+33612345678', 'Bonjour');
    expect((await postTwilio(app, '/webhooks/twilio/sms', fields)).status).toBe(200);
    expect(twilio.sent).toHaveLength(0);
    // Twilio (or a proxy) posts the same message again: recognised by its MessageSid.
    expect((await postTwilio(app, '/webhooks/twilio/sms', fields)).status).toBe(200);
    app.clock.advance(2_000);
    await app.settle();
    expect(twilio.calls()).toBe(2);
    expect(twilio.sent.map((s) => s.Body)).toEqual([smsList('en', 'common:pickLanguageFirst', PICKER)]);
  });

  it('stores status callbacks as receipts, signed like every Twilio request', async () => {
    const app = await startApp();
    recordTwilio();
    const sid = 'SM00000000000000000000000000000abc';
    const fields = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: 'AC0123456789abcdef0123456789abcdef', To: '+33612345678', From: OUR_NUMBER, ApiVersion: '2010-04-01' };
    expect((await postTwilio(app, '/webhooks/twilio/status', fields, 'bm90IGEgc2lnbmF0dXJl')).status).toBe(401);
    expect(await app.store.receipts.get('sms', sid)).toBeNull();
    expect((await postTwilio(app, '/webhooks/twilio/status', { ...fields, MessageStatus: 'sent' })).status).toBe(204);
    expect((await postTwilio(app, '/webhooks/twilio/status', fields)).status).toBe(204);
    expect(await app.store.receipts.get('sms', sid)).toMatchObject({ status: 'delivered' });
    const failed = { ...fields, MessageSid: 'SM00000000000000000000000000000abd', MessageStatus: 'undelivered', ErrorCode: '30003' };
    expect((await postTwilio(app, '/webhooks/twilio/status', failed)).status).toBe(204);
    expect(await app.store.receipts.get('sms', failed.MessageSid)).toMatchObject({ status: 'failed' });
  });
});
