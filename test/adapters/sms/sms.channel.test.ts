import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../adapters/config.ts';
import { testApp } from '../../support/test-app.ts';
import { TWILIO_ENV } from './twilio.fixtures.ts';

const GATEWAY_ENV = { SMS_GATEWAY_URL: 'http://192.168.1.20:8080', SMS_GATEWAY_USERNAME: 'sms', SMS_GATEWAY_PASSWORD: 'pw-0123456789', SMS_GATEWAY_SIGNING_KEY: 'key-0123456789' };
const apps: { dispose(): Promise<void> }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.dispose();
});
async function statusOf(env: Record<string, string>) {
  const app = await testApp(env);
  apps.push(app);
  return app.channelStatus.find((s) => s.channel === 'sms');
}

describe('the SMS channel at start-up', () => {
  it('stays off, saying why, when no back-end is configured', async () => {
    expect(await statusOf({})).toEqual({ channel: 'sms', enabled: false, reason: 'neither TWILIO_ACCOUNT_SID nor SMS_GATEWAY_URL is set' });
  });

  it('runs on Twilio, or on the Android gateway, and says which (Twilio wins when both are set)', async () => {
    expect(await statusOf(TWILIO_ENV)).toMatchObject({ enabled: true, detail: 'Twilio at api.twilio.com, webhooks /webhooks/twilio/sms and /webhooks/twilio/status' });
    expect(await statusOf(GATEWAY_ENV)).toMatchObject({ enabled: true, detail: 'SMS Gateway for Android at 192.168.1.20:8080, webhook /webhooks/sms-gateway' });
    expect((await statusOf({ ...TWILIO_ENV, ...GATEWAY_ENV })) ).toMatchObject({ enabled: true, detail: expect.stringContaining('Twilio wins') });
  });

  it('refuses a half-configured back-end, naming what is missing and never a value', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'secret-token' })).toThrow(/TWILIO_FROM: is required/);
    expect(() => loadConfig({ SMS_GATEWAY_URL: 'http://10.0.0.2:8080' })).toThrow(/SMS_GATEWAY_SIGNING_KEY: is required/);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'secret-token' })).not.toThrow(/secret-token/);
    expect(() => loadConfig({ SMS_DEFAULT_COUNTRY: 'France' })).toThrow(/SMS_DEFAULT_COUNTRY: must be a country code/);
  });
});
