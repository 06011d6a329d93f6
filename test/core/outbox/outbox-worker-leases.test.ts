import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../adapters/sqlite/sqlite-store.ts';
import type { Address } from '../../../core/messages.ts';
import { OutboxWorker } from '../../../core/outbox/outbox-worker.ts';
import { systemClock } from '../../../core/ports/clock.port.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import type { SendResult } from '../../../core/ports/channel.port.ts';
import type { NewOutboxMessage } from '../../../core/ports/outbox.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';
import { recordingSender } from '../../fakes/recording-sender.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const to = (id: string): Address => ({ channel: 'telegram', id });
const reply = (id: string, chat: string, text: string, claimIfFirst?: Date): NewOutboxMessage => ({
  id,
  kind: 'reply',
  to: to(chat),
  reply: { lang: 'en', message: { type: 'text', text } },
  inboundAt: null,
  ...(claimIfFirst ? { claimIfFirst } : {}),
});

type Sender = ReturnType<typeof recordingSender>;

function workerFor(store: Store, holder: string, sender: Sender, options: { leaseMs?: number; channelLeaseMs?: number; concurrency?: number }): OutboxWorker {
  return new OutboxWorker({
    outbox: store.outbox,
    leases: store.leases,
    reach: store.reach,
    senders: new Map([['telegram', sender]]),
    rates: new Map([['telegram', { perSecond: 1_000, bulkPerSecond: 1_000 }]]),
    composeBroadcast: () => Promise.reject(new Error('no broadcast in these tests')),
    clock: systemClock,
    logger: silentLogger,
    holder,
    pollMs: 20,
    ...options,
  });
}

const texts = (sender: Sender): string[] => sender.sent.map((s) => `${s.to.id}:${s.message.type === 'text' ? s.message.text : s.message.type}`);

/**
 * Rows in the hands of a sending process (handed over from the write, or claimed) that wait
 * longer than a lease: a long 429 pause, a slow send, a backlog. They must still go out once.
 */
describe('outbox worker: rows that wait past a lease', () => {
  const workers: OutboxWorker[] = [];
  let store: Store | null = null;
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop();
    await store?.close();
    store = null;
  });

  it('a reply handed over while a slow send outlasts its row lease is sent once, not again by the next claim', async () => {
    store = openSqliteStore(':memory:');
    const sender = recordingSender('telegram', async (_to, message, n) => {
      if (message.type === 'text' && message.text === 'slow') await sleep(500);
      return { status: 'delivered', platformMessageId: `m${n}` };
    });
    const worker = workerFor(store, 'p1', sender, { leaseMs: 200, concurrency: 1 });
    workers.push(worker);
    worker.start();
    await sleep(60);
    const handOver = async (row: NewOutboxMessage): Promise<void> => {
      const claimed = await store!.outbox.enqueue([row], new Date());
      expect(claimed).toEqual([row.id]);
      worker.dispatch([row]);
    };

    await handOver(reply('a1', '100', 'slow', worker.claimUntil('telegram')!));
    await sleep(20);
    await handOver(reply('b1', '200', 'hello B', worker.claimUntil('telegram')!));
    await sleep(1_000);

    expect(texts(sender)).toEqual(['100:slow', '200:hello B']);
    expect(await store.outbox.statusOf(['a1', 'b1'])).toEqual(new Map([['a1', 'sent'], ['b1', 'sent']]));
  });

  it('a process that lost the channel lease during a 429 pause sends nothing more: the new holder sends each row once', async () => {
    store = openSqliteStore(':memory:');
    // p1's store connection fails for a moment after the 429, so its lease runs out unrenewed.
    let unreachable = false;
    const leases = store.leases;
    const p1Leases: typeof leases = {
      acquire: (...args) => (unreachable ? Promise.reject(new Error('database is locked')) : leases.acquire(...args)),
      release: (...args) => leases.release(...args),
    };
    let first = true;
    const paused = recordingSender('telegram', (_to, _m, n): SendResult => {
      if (!first) return { status: 'delivered', platformMessageId: `p1-${n}` };
      first = false;
      unreachable = true;
      setTimeout(() => (unreachable = false), 700);
      return { status: 'rate-limited', retryAfterMs: 1_200 };
    });
    const other = recordingSender('telegram');
    await store.outbox.enqueue(['1', '2', '3', '4', '5'].map((n) => reply(`r${n}`, `30${n}`, `news ${n}`)), new Date());
    const p1 = workerFor({ ...store, leases: p1Leases }, 'p1', paused, { channelLeaseMs: 300, concurrency: 1 });
    workers.push(p1);
    p1.start();
    await sleep(100);
    const p2 = workerFor(store, 'p2', other, { channelLeaseMs: 300, concurrency: 1 });
    workers.push(p2);
    p2.start();
    await sleep(2_600);

    expect(paused.sent).toEqual([]);
    expect(texts(other).sort()).toEqual(['301:news 1', '302:news 2', '303:news 3', '304:news 4', '305:news 5']);
    expect(new Set((await store.outbox.statusOf(['r1', 'r2', 'r3', 'r4', 'r5'])).values())).toEqual(new Set(['sent']));
  });

  it('a lease renewal the store refuses while the lease still runs costs no send and no attempt', async () => {
    store = openSqliteStore(':memory:');
    const leases = store.leases;
    let firstAt = 0;
    let refused = 0;
    // Renewals fail for a while after the lease is taken (the store busy), then work again.
    const flaky: typeof leases = {
      acquire: (...args) => {
        const since = firstAt === 0 ? ((firstAt = Date.now()), 0) : Date.now() - firstAt;
        if (since >= 150 && since < 500) {
          refused++;
          return Promise.reject(new Error('database is locked'));
        }
        return leases.acquire(...args);
      },
      release: (...args) => leases.release(...args),
    };
    const sender = recordingSender('telegram', async (_to, _m, n) => {
      await sleep(80);
      return { status: 'delivered', platformMessageId: `m${n}` };
    });
    await store.outbox.enqueue(['1', '2', '3', '4', '5'].map((n) => reply(`r${n}`, `40${n}`, `news ${n}`)), new Date());
    const worker = workerFor({ ...store, leases: flaky }, 'p1', sender, { channelLeaseMs: 600, concurrency: 1 });
    workers.push(worker);
    worker.start();
    await sleep(900);

    expect(refused).toBeGreaterThan(0);
    expect(texts(sender)).toEqual(['401:news 1', '402:news 2', '403:news 3', '404:news 4', '405:news 5']);
    expect(new Set((await store.outbox.statusOf(['r1', 'r2', 'r3', 'r4', 'r5'])).values())).toEqual(new Set(['sent']));
  });
});
