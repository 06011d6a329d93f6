import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { channelPostHandler } from '../../../bots/broadcast/channel-posts.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { recordingSender } from '../../fakes/recording-sender.ts';
import { createOrg } from '../../support/organisations.ts';
import { manualClock, testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const row = (firstName: string, digits: string) => ({
  firstName,
  phone: `+${digits}`,
  lang: 'en',
  channel: 'whatsapp-cloud' as const,
  address: { channel: 'whatsapp-cloud' as const, id: digits },
  tags: [],
});

async function setup(answer?: Parameters<typeof recordingSender>[1]) {
  const clock = manualClock();
  const wa = recordingSender('whatsapp-cloud', answer);
  app = await testApp({ RATE_WHATSAPP_CLOUD: '10000' }, { senders: [wa], clock });
  const org = await createOrg(app.store, { code: 'gamma', name: 'Gamma Aid' });
  await app.store.contacts.importMany(org.id, [row('Ali', '33611111111'), row('Badr', '33622222222')], () => crypto.randomUUID(), clock.now());
  const run = async () => {
    await app!.broadcasts.tick();
    await app!.outbox.drain('whatsapp-cloud');
    await app!.broadcasts.tick();
  };
  return { clock, wa, org, run };
}

describe('broadcast lifecycle', () => {
  it('sends nothing before the scheduled time', async () => {
    const { clock, wa, org, run } = await setup();
    const res = await request(app!.http)
      .post('/api/broadcasts')
      .set('authorization', `Bearer ${org.apiKey}`)
      .send({ text: 'Tomorrow', scheduleAt: new Date(clock.now().getTime() + 3_600_000).toISOString() });
    expect(res.status).toBe(201);
    await run();
    expect(wa.sent).toEqual([]);
    expect((await app!.store.broadcasts.get(org.id, res.body.id))?.status).toBe('scheduled');
    clock.advance(3_600_000);
    await run();
    expect(wa.sent).toHaveLength(2);
    expect((await app!.store.broadcasts.get(org.id, res.body.id))?.status).toBe('done');
  });

  it('a person who blocked the bot is marked unreachable and skipped by later broadcasts', async () => {
    const { wa, org, run } = await setup((to, _m, n) => (to.id === '33622222222' ? { status: 'unreachable', reason: 'blocked' } : { status: 'delivered', platformMessageId: `m${n}` }));
    const first = await app!.broadcasts.create({ orgId: org.id, text: 'One', sourceLang: 'en', audience: { type: 'all' }, origin: 'api' });
    await run();
    expect((await app!.store.outbox.stats(first.broadcast.id)).byStatus).toEqual({ sent: 1, unreachable: 1 });
    const badr = (await app!.store.contacts.findByAddress({ channel: 'whatsapp-cloud', id: '33622222222' }))[0];
    expect(badr?.unreachable).toBe('blocked');
    const second = await app!.broadcasts.create({ orgId: org.id, text: 'Two', sourceLang: 'en', audience: { type: 'all' }, origin: 'api' });
    expect(second.recipients).toBe(1);
    await run();
    expect((await app!.store.outbox.stats(second.broadcast.id)).total).toBe(1);
    expect(wa.sent.map((s) => s.to.id)).toEqual(['33611111111', '33611111111']);
  });

  it('retries a transient failure with backoff and dead-letters after the last attempt', async () => {
    const { clock, org, run } = await setup((to, _m, n) => (to.id === '33622222222' ? { status: 'transient-failure', detail: 'http 502' } : { status: 'delivered', platformMessageId: `m${n}` }));
    const { broadcast } = await app!.broadcasts.create({ orgId: org.id, text: 'Hi', sourceLang: 'en', audience: { type: 'all' }, origin: 'api' });
    await run();
    expect((await app!.store.outbox.stats(broadcast.id)).byStatus).toEqual({ sent: 1, pending: 1 });
    // Backoff 2 s, 4 s, 8 s, 16 s: the fifth attempt is the last (DISPATCH_MAX_ATTEMPTS 5).
    for (const wait of [2_000, 4_000, 8_000, 16_000]) {
      clock.advance(wait);
      await run();
    }
    expect((await app!.store.outbox.stats(broadcast.id)).byStatus).toEqual({ sent: 1, dead: 1 });
    expect((await app!.store.broadcasts.get(org.id, broadcast.id))?.status).toBe('done');
  });

  it('a Telegram channel linked with a one-time code turns its posts into broadcasts', async () => {
    const { wa, org, run } = await setup();
    const code = (await request(app!.http).post('/api/organisation/telegram/link-code').set('authorization', `Bearer ${org.apiKey}`)).body.code as string;
    const onPost = channelPostHandler({ store: app!.store, broadcasts: app!.broadcasts, clock: app!.clock, logger: silentLogger });
    const post = (chatId: string, text: string) => onPost({ id: `${chatId}:${text.length}`, channel: 'telegram', chatId, text, postedAt: new Date() });

    await post('-1009', 'Before linking: ignored');
    await post('-1009', `link ${code}`);
    expect((await app!.store.organisations.get(org.id))?.telegramChannelId).toBe('-1009');
    await post('-1009', 'Hello {{firstName}}, new opening hours.');
    await post('-1010', 'Another channel: ignored');
    await post('-1011', `link ${code}`);
    expect((await app!.store.organisations.get(org.id))?.telegramChannelId).toBe('-1009');
    await run();
    expect(wa.sent.map((s) => s.message.text.split('\n')[1])).toEqual(['Hello Ali, new opening hours.', 'Hello Badr, new opening hours.']);
    expect((await app!.store.broadcasts.list(org.id, 10)).map((b) => b.origin)).toEqual(['telegram-channel']);
  });
});
