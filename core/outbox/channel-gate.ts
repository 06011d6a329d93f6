import type { Lane } from '../ports/outbox.port.ts';

/** Slots a late timer may catch up at once: a tiny burst, well inside a platform's one-second window. */
const CATCH_UP = 2;

/**
 * The shortest sleep on a fast channel (slots closer than FAST_INTERVAL_MS). Why: at 1,000
 * sends/s a wake-up per send costs more CPU than the send; waking every few milliseconds and
 * letting the slots due meanwhile go together keeps the rate (a platform counts sends per
 * second, not per millisecond) for a fraction of the wake-ups. Slower channels keep one send
 * per wake-up: fewer sends in flight together when a 429 comes.
 */
const GRANULARITY_MS = 10;
const FAST_INTERVAL_MS = 2;

/** How late a slot may be taken on a fast channel (see the constructor). */
const CATCH_UP_MS = 20;

/** Waits, so that tests can run paced code without real time passing. */
export type Sleep = (ms: number) => Promise<void>;

/** Real waiting. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a gate lets through. */
export interface GateRates {
  /** Sends per second on the channel, both lanes together: the platform's limit for the bot. */
  readonly perSecond: number;
  /** Bulk sends per second, below `perSecond` so that replies always find room. */
  readonly bulkPerSecond: number;
}

/**
 * One gate per channel owns its rate: every send, of either lane, takes a slot from it.
 * Slots are spaced evenly, not handed out in bursts (platforms count sends in sliding windows:
 * Telegram 30/s overall, and a burst followed by refills can exceed a window twice over). A
 * waiting interactive send always gets the next slot before any waiting bulk send, and bulk
 * sends also keep to their own, lower rate. After a 429 the whole channel pauses once, for
 * every sender (grammY's autoRetry does this once, for every call).
 */
export class ChannelGate {
  private readonly interval: number;
  private readonly bulkInterval: number;
  private readonly lagMs: number;
  private readonly minSleepMs: number;
  private readonly bulkLagMs: number;
  private nextSlot = 0;
  private nextBulkSlot = 0;
  private readonly waiting: Record<Lane, (() => void)[]> = { interactive: [], bulk: [] };
  private pumping = false;

  /**
   * `now` is a monotonic millisecond clock (real time by default): pacing is about the seconds a
   * platform counts, not the business clock a test may freeze or move by hours.
   */
  constructor(
    rates: GateRates,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: Sleep = realSleep,
  ) {
    if (!(rates.perSecond > 0) || !(rates.bulkPerSecond > 0)) throw new Error('a gate needs positive rates');
    // Why the headroom: timer and network jitter bunch sends together, and a platform counting a
    // sliding one-second window refuses the one send too many; 3% slower keeps under it.
    this.interval = (1000 / rates.perSecond) * 1.03;
    this.bulkInterval = Math.max(this.interval, (1000 / rates.bulkPerSecond) * 1.03);
    // Slots slept through by the granularity, or by a timer woken late on a busy machine, are
    // due at the wake-up, not lost. Why 20 ms at most: a burst of that many slots stays inside
    // the 3% headroom of any one-second window at 1,000/s.
    const fast = this.interval < FAST_INTERVAL_MS;
    this.minSleepMs = fast ? GRANULARITY_MS : 0;
    this.lagMs = fast ? Math.max(this.interval * CATCH_UP, CATCH_UP_MS) : this.interval * CATCH_UP;
    this.bulkLagMs = fast ? Math.max(this.bulkInterval * CATCH_UP, CATCH_UP_MS) : this.bulkInterval * CATCH_UP;
  }

  /** Resolves when the caller may send one message of `lane`. */
  take(lane: Lane): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting[lane].push(resolve);
      void this.pump();
    });
  }

  /** Holds every sender of the channel back for `ms` (the platform said "retry after"). */
  pause(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, this.now() + ms);
  }

  /** Sends waiting for a slot, per lane (for tests and metrics). */
  get queued(): Readonly<Record<Lane, number>> {
    return { interactive: this.waiting.interactive.length, bulk: this.waiting.bulk.length };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const lane: Lane | null = this.waiting.interactive.length > 0 ? 'interactive' : this.waiting.bulk.length > 0 ? 'bulk' : null;
        if (!lane) return;
        const now = this.now();
        // Why from the schedule and not from now: a timer wakes a little late every time, and
        // counting from the wake-up would lose that lateness at each slot (at 1,000/s, half the
        // rate). Slots missed by lateness are caught up, at most CATCH_UP of them (or those of
        // CATCH_UP_MS) at once.
        const slot = Math.max(this.nextSlot, now - this.lagMs);
        const bulkSlot = Math.max(this.nextBulkSlot, now - this.bulkLagMs);
        const at = lane === 'interactive' ? slot : Math.max(slot, bulkSlot);
        if (at > now) {
          // Why at most one interval: an interactive send that arrives meanwhile must not wait
          // for a bulk slot that lies further ahead.
          await this.sleep(Math.max(Math.min(at - now, this.interval), this.minSleepMs));
          continue;
        }
        this.nextSlot = Math.max(slot, at) + this.interval;
        if (lane === 'bulk') this.nextBulkSlot = at + this.bulkInterval;
        this.waiting[lane].shift()!();
      }
    } finally {
      this.pumping = false;
    }
  }
}
