import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { measureSms } from '../../../core/text/sms-segments.ts';
import { startFakeSmsGateway, type FakeSmsGateway } from '../../fakes/android-sms-gateway.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { PICKER, sms, smsList } from './twilio.fixtures.ts';
import { MENU } from './twilio.fixtures.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The product with the gateway back-end, listening on loopback so the fake phone can post to it. */
async function gatewayApp() {
  const phone = await startFakeSmsGateway();
  const clock = manualClock();
  const env = { SMS_GATEWAY_URL: phone.url, SMS_GATEWAY_USERNAME: phone.username, SMS_GATEWAY_PASSWORD: phone.password, SMS_GATEWAY_SIGNING_KEY: phone.signingKey, SMS_DEFAULT_COUNTRY: 'FR', RATE_SMS: '50' };
  const app = Object.assign(await testApp(env, { clock }), { clock });
  const server: Server = app.http.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  cleanups.push(() => phone.close(), () => app.dispose(), () => new Promise<void>((resolve) => server.close(() => resolve())));
  const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/sms-gateway`;
  return { app, phone, webhook };
}

/** One SMS from a person through the phone; resolves once the replies left. */
async function texts(t: { app: Awaited<ReturnType<typeof gatewayApp>>['app']; phone: FakeSmsGateway; webhook: string }, from: string, text: string, id?: string) {
  const res = await t.phone.receive(t.webhook, from, text, id ? { id } : {});
  await t.app.settle();
  t.app.clock.advance(20_000);
  return res.status;
}

describe('onboarding by SMS through an Android phone running SMS Gateway for Android', () => {
  it.each([
    { lang: 'fr', from: '06 12 34 56 78', e164: '+33612345678', pick: 'Français', name: 'Amina', town: 'Lyon' },
    { lang: 'ar', from: '+33698765432', e164: '+33698765432', pick: '1', name: 'أمينة', town: 'ليون' },
  ])('signs a person up in $lang; the phone sends each reply once despite a 503 and a dropped connection', async ({ lang, from, e164, pick, name, town }) => {
    const t = await gatewayApp();
    const roles = ['onboarding:roleNewcomer', 'onboarding:roleResident', 'onboarding:roleStaff', 'onboarding:roleRecruiter'].map((k) => sms(lang, k));
    const menu = MENU.map((k) => sms(lang, k));
    const expected = [
      smsList('en', 'common:pickLanguageFirst', PICKER),
      smsList(lang, 'onboarding:privacy', [sms(lang, 'onboarding:agree'), sms(lang, 'onboarding:disagree')]),
      smsList(lang, 'onboarding:askRole', roles),
      sms(lang, 'onboarding:askName'),
      smsList(lang, 'onboarding:askPlace', [sms(lang, 'onboarding:skip')]),
      sms(lang, 'onboarding:welcome', { firstName: name }),
      smsList(lang, 'menu:title', menu),
    ];
    expect(await texts(t, from, 'Salut')).toBe(204);
    // The phone answers 503 once, then drops a connection: both replies are retried, not lost.
    t.phone.failNext(503);
    expect(await texts(t, from, pick)).toBe(204);
    t.app.clock.advance(5_000);
    await t.app.settle();
    t.phone.dropNext();
    expect(await texts(t, from, '1')).toBe(204);
    t.app.clock.advance(5_000);
    await t.app.settle();
    // The app posts the same event again (it retries until it gets a 2xx): one turn only.
    expect(await texts(t, from, '1', 'ev-role')).toBe(204);
    expect(await texts(t, from, '1', 'ev-role')).toBe(204);
    expect(await texts(t, from, name)).toBe(204);
    expect(await texts(t, from, town)).toBe(204);
    expect(t.phone.sent.map((s) => s.text)).toEqual(expected);
    expect(new Set(t.phone.sent.map((s) => s.to))).toEqual(new Set([e164]));
    console.log(t.phone.sent.map((s, i) => `${lang} reply ${i + 1}: ${measureSms(s.text).encoding} ${measureSms(s.text).segments} segment(s)`).join('\n'));
    for (const s of t.phone.sent) expect(measureSms(s.text).segments).toBeLessThanOrEqual(2);
    expect(await t.app.store.people.findByAddress({ channel: 'sms', id: e164 })).toMatchObject({ lang, firstName: name, role: 'newcomer' });
  });

  it('refuses an event signed with another key, or replayed with an old timestamp, with 401', async () => {
    const t = await gatewayApp();
    const wrong = await t.phone.receive(t.webhook, '+33612345678', 'Bonjour', { key: 'not-the-key' });
    expect(wrong.status).toBe(401);
    const body = JSON.stringify({ event: 'sms:received', id: 'x', payload: { message: 'Bonjour', phoneNumber: '+33612345678' } });
    const { gatewaySignature } = await import('../../fakes/android-sms-gateway.ts');
    const old = await fetch(t.webhook, { method: 'POST', headers: { 'content-type': 'application/json', ...gatewaySignature(body, t.phone.signingKey, new Date(Date.now() - 3_600_000)) }, body });
    expect(old.status).toBe(401);
    await t.app.settle();
    expect(t.phone.requests()).toBe(0);
    expect(await t.app.store.conversations.load('sms:+33612345678')).toBeNull();
  });

  it('stores the phone’s delivery reports as receipts', async () => {
    const t = await gatewayApp();
    await texts(t, '+33612345678', 'Bonjour');
    const id = t.phone.sent[0]!.id;
    expect((await t.phone.report(t.webhook, 'sms:sent', id, '+33612345678')).status).toBe(204);
    expect((await t.phone.report(t.webhook, 'sms:delivered', id, '+33612345678')).status).toBe(204);
    expect(await t.app.store.receipts.get('sms', id)).toMatchObject({ status: 'delivered' });
  });
});
