import type { Clock } from '../ports/clock.port.ts';

/** Waits, so that tests can run paced code without real time passing. */
export type Sleep = (ms: number) => Promise<void>;

/** Real waiting. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spaces sends evenly at `perSecond`, across every concurrent sender of a channel.
 * Why evenly and not a token bucket with a burst: platforms count sends in sliding windows
 * (Telegram: 30/s overall), and a burst followed by refills can exceed the window twice over.
 * Slots are computed from an absolute schedule, so a late timer is caught up, not accumulated.
 */
export class Pacer {
  private nextSlot = 0;
  private readonly interval: number;

  constructor(
    perSecond: number,
    private readonly clock: Clock,
    private readonly sleep: Sleep = realSleep,
  ) {
    if (!(perSecond > 0)) throw new Error('a pacer needs a positive rate');
    // Why the headroom: timer and network jitter bunch sends together, and a platform counting a
    // sliding one-second window refuses the one send too many; 3% slower keeps under it.
    this.interval = (1000 / perSecond) * 1.03;
  }

  /** Resolves when the caller may send. */
  async take(): Promise<void> {
    const now = this.clock.now().getTime();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.interval;
    if (slot > now) await this.sleep(slot - now);
  }

  /** Holds every sender back for `ms` (the platform said "retry after"). */
  pause(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, this.clock.now().getTime() + ms);
  }
}
