import { describe, expect, it } from 'vitest';
import { ChannelGate } from '../../../core/outbox/channel-gate.ts';
import { peakPerSecond } from '../../support/audiences.ts';

/** Virtual time: it moves only when the gate sleeps, so the schedule is exact and instant. */
function virtualTime() {
  let now = 0;
  return {
    now: () => now,
    // Time moves after the woken senders ran (setImmediate comes after every microtask), so each
    // records the moment it was let through.
    sleep: async (ms: number) => {
      await new Promise((resolve) => setImmediate(resolve));
      now += ms;
    },
    get at() {
      return now;
    },
  };
}

describe('channel gate', () => {
  it('spaces sends of both lanes together under the channel rate, and bulk under its own', async () => {
    const time = virtualTime();
    const gate = new ChannelGate({ perSecond: 30, bulkPerSecond: 20 }, time.now, time.sleep);
    const interactive: number[] = [];
    const bulk: number[] = [];
    await Promise.all([
      ...Array.from({ length: 60 }, () => gate.take('bulk').then(() => bulk.push(time.at))),
      ...Array.from({ length: 20 }, () => gate.take('interactive').then(() => interactive.push(time.at))),
    ]);
    expect(peakPerSecond([...interactive, ...bulk])).toBeLessThanOrEqual(30);
    expect(peakPerSecond(bulk)).toBeLessThanOrEqual(20);
    // The replies went first, although 60 bulk sends were waiting before them.
    expect(Math.max(...interactive)).toBeLessThan(Math.min(...bulk.slice(1)));
  });

  it('lets a reply that arrives during a broadcast through at the next slot, ahead of the bulk queue', async () => {
    const time = virtualTime();
    const gate = new ChannelGate({ perSecond: 10, bulkPerSecond: 8 }, time.now, time.sleep);
    const order: string[] = [];
    const bulk = Array.from({ length: 10 }, (_, i) => gate.take('bulk').then(() => order.push(`b${i}`)));
    await bulk[2];
    const reply = gate.take('interactive').then(() => order.push('reply'));
    await Promise.all([...bulk, reply]);
    expect(order.indexOf('reply')).toBeLessThanOrEqual(order.indexOf('b3') + 1);
  });

  it('holds every sender of the channel back after a retry-after', async () => {
    const time = virtualTime();
    const gate = new ChannelGate({ perSecond: 10, bulkPerSecond: 10 }, time.now, time.sleep);
    await gate.take('bulk');
    gate.pause(5_000);
    await gate.take('interactive');
    expect(time.at).toBeGreaterThanOrEqual(5_000);
  });
});
