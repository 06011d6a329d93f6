import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from '../../support/test-app.ts';
import { APP_SECRET, ENV, TOKEN, VERIFY_TOKEN } from './whatsapp-cloud.fixtures.ts';

type App = Awaited<ReturnType<typeof testApp>>;
let app: App | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

describe('WhatsApp Cloud channel factory', () => {
  it('stays off without credentials, says why, and serves no webhook', async () => {
    app = await testApp();
    expect(app.channelStatus.find((s) => s.channel === 'whatsapp-cloud')).toEqual({
      channel: 'whatsapp-cloud',
      enabled: false,
      reason: 'WHATSAPP_CLOUD_TOKEN, WHATSAPP_CLOUD_PHONE_NUMBER_ID, WHATSAPP_CLOUD_APP_SECRET, WHATSAPP_CLOUD_VERIFY_TOKEN not set',
    });
    expect(app.channels.some((c) => c.channel === 'whatsapp-cloud')).toBe(false);
    expect((await request(app.http).post('/webhooks/whatsapp').send({})).status).toBe(404);
  });

  it('starts with all four variables and never shows a secret in its status', async () => {
    app = await testApp(ENV);
    const status = app.channelStatus.find((s) => s.channel === 'whatsapp-cloud');
    expect(status).toEqual({ channel: 'whatsapp-cloud', enabled: true, detail: 'Cloud API at graph.facebook.com, webhook /webhooks/whatsapp' });
    for (const secret of [TOKEN, APP_SECRET, VERIFY_TOKEN]) expect(JSON.stringify(status)).not.toContain(secret);
  });
});
