import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../core/outbox/pacer.ts';

/** A clock that only moves when the (single) sender sleeps: the schedule is exact and instant. */
function virtualTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    get now() {
      return now;
    },
    slept,
  };
}

describe('pacer', () => {
  it('spaces sends evenly just under the rate', async () => {
    const time = virtualTime();
    const pacer = new Pacer(30, time.clock, time.sleep);
    const at: number[] = [];
    for (let i = 0; i < 60; i++) {
      await pacer.take();
      at.push(time.now);
    }
    expect(at).toHaveLength(60);
    // In any one-second window at most 30 sends: never more than the platform counts.
    const sorted = [...at].sort((a, b) => a - b);
    for (let i = 30; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 30]!).toBeGreaterThan(1000);
  });

  it('holds every sender back after a retry-after', async () => {
    const time = virtualTime();
    const pacer = new Pacer(10, time.clock, time.sleep);
    await pacer.take();
    pacer.pause(5_000);
    await pacer.take();
    expect(time.now).toBe(5_000);
  });
});
