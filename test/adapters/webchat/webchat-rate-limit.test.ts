import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import { testApp } from '../../support/test-app.ts';

const t = createTextRenderer(loadLocales());
let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

describe('web chat rate limit', () => {
  it('answers 429 in the language the page asks for once one client sends too many messages, and stores nothing more', async () => {
    app = await testApp({ WEBCHAT_RATE_PER_MINUTE: '5' });
    for (let i = 0; i < 5; i++) {
      const res = await request(app.http).post('/api/webchat/messages').send({ userId: `flood-user-${i}-xxxx`, start: true });
      expect(res.status).toBe(200);
    }
    const refused = await request(app.http).post('/api/webchat/messages').set('accept-language', 'ar').send({ userId: 'flood-user-6-xxxx', start: true });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'too many requests', lang: 'ar', dir: 'rtl', message: t('ar', 'common:tooFast') });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await app.store.conversations.load('webchat:flood-user-6-xxxx')).toBeNull();

    const english = await request(app.http).post('/api/webchat/messages').set('accept-language', 'xx, de;q=0.5').send({ userId: 'flood-user-7-xxxx', start: true });
    expect(english.body.message).toBe(t('en', 'common:tooFast'));
    // Health probes are never limited.
    expect((await request(app.http).get('/healthz')).status).toBe(200);
  });
});
