import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

let api: FakeBotApi | undefined;
let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  await api?.close();
});

describe('broadcast pacing', () => {
  it('stays under Telegram flood control: a handful of 429s at most, and every message arrives', async () => {
    // The fake answers 429 (retry_after 1 s) as soon as more than 30 sends land within one second.
    api = await startFakeBotApi({ token: '7000000002:rate-test-token', rateLimit: { perSecond: 30, retryAfter: 1 } });
    app = await testApp({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, RATE_TELEGRAM: '30', DISPATCH_CONCURRENCY: '8' });
    const org = await createOrg(app.store, { code: 'pace', name: 'Pace NGO' });
    const rows = Array.from({ length: 120 }, (_, i) => ({
      firstName: `P${i}`,
      phone: `+3362${String(i).padStart(7, '0')}`,
      lang: 'en',
      channel: 'telegram' as const,
      address: { channel: 'telegram' as const, id: String(200_000 + i) },
      tags: [],
    }));
    await app.store.contacts.importMany(org.id, rows, () => crypto.randomUUID(), new Date());
    const { broadcast } = await app.broadcasts.create({ orgId: org.id, text: 'Hello {{firstName}}', sourceLang: 'en', audience: { type: 'all' }, origin: 'api' });
    await app.broadcasts.tick();
    const started = Date.now();
    while ((await app.store.outbox.openCount(broadcast.id)) > 0) {
      await app.outbox.drain('telegram');
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    console.info(`rate-limit test: 120 messages at 30/s in ${seconds.toFixed(2)} s, ${api.rateLimitedCount} answered 429`);
    expect(api.rateLimitedCount).toBeLessThanOrEqual(3);
    expect(new Set(api.sentMessages().map((m) => m['chat_id'])).size).toBe(120);
    expect(api.sentMessages()).toHaveLength(120);
    expect((await app.store.outbox.stats(broadcast.id)).byStatus).toEqual({ sent: 120 });
  }, 30_000);
});
