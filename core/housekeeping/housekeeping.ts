import type { Clock } from '../ports/clock.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { HousekeepingStore } from '../ports/housekeeping.port.ts';

/** What the housekeeping job is built from. */
export interface HousekeepingDeps {
  readonly store: HousekeepingStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A stranger's conversation idle this long is deleted. */
  readonly strangerTtlMs: number;
  /** How often the job runs (default 10 minutes). */
  readonly intervalMs?: number;
}

/** Rows deleted per store call: a large backlog is cleared in short steps, not one long write. */
const BATCH = 500;

/**
 * Periodic clean-up, started by the app: deletes strangers' conversations that never got past
 * the language picker. Safe with several processes (each delete is a condition on the row).
 */
export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);

  constructor(private readonly deps: HousekeepingDeps) {}

  /** Runs one round now; resolves with how many conversations were deleted. */
  async runOnce(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - this.deps.strangerTtlMs);
    let total = 0;
    for (;;) {
      const n = await this.deps.store.pruneStrangers(before, BATCH);
      total += n;
      if (n < BATCH) break;
    }
    if (total > 0) this.deps.logger.info({ event: 'housekeeping.strangers', deleted: total }, "strangers' idle conversations deleted");
    return total;
  }

  /** Runs a round every interval (never two at once); a failed round is logged and retried next time. */
  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.runOnce()).catch((error: unknown) => {
        this.deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'housekeeping round failed');
        return 0;
      });
    }, this.deps.intervalMs ?? 600_000);
    this.timer.unref();
  }

  /** Stops the job and waits for a round in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
