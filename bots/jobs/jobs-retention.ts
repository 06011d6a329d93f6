import type { Clock } from '../../core/ports/clock.port.ts';
import type { JobStore } from '../../core/ports/jobs.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';

/** The relay subject kind of a job application (as registered in the composition root). */
const JOB_APPLICATION_SUBJECT = 'job-application';

/** What the retention job is built from. */
export interface JobsRetentionDeps {
  readonly store: Pick<JobStore, 'deleteClosedBefore' | 'getApplication'>;
  /** The relay's hook: relays about applications that no longer exist go with them. */
  readonly relays?: { deleteOrphans(kind: string, exists: (id: string) => Promise<boolean>): Promise<number> };
  readonly clock: Clock;
  readonly logger: Logger;
  /** Closed jobs (and jobs past their closing date) are deleted with their applications after this long. */
  readonly keepMs: number;
  /** How often the job runs (default one hour). */
  readonly intervalMs?: number;
}

/**
 * Deletes closed jobs and their applications once the retention period has passed (6 months by
 * default, `JOBS_RETENTION_DAYS`): applicants' words do not outlive the job by more than that.
 * Safe with several processes: each round deletes what is due, a second finds nothing.
 */
export class JobsRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);

  constructor(private readonly deps: JobsRetentionDeps) {}

  /** Runs one round now; resolves with how many jobs were deleted. */
  async runOnce(): Promise<number> {
    const deleted = await this.deps.store.deleteClosedBefore(new Date(this.deps.clock.now().getTime() - this.deps.keepMs));
    if (deleted > 0) this.deps.logger.info({ event: 'jobs.retention', deleted }, 'closed jobs deleted after the retention period');
    // Every round, not only after a deletion: a round that failed after deleting jobs left their relays.
    const relays = (await this.deps.relays?.deleteOrphans(JOB_APPLICATION_SUBJECT, async (id) => (await this.deps.store.getApplication(id)) !== null)) ?? 0;
    if (relays > 0) this.deps.logger.info({ event: 'jobs.retention.relays', deleted: relays }, "deleted applications' relays deleted");
    return deleted;
  }

  /** Runs a round every interval (never two at once); a failed round is logged and retried next time. */
  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.runOnce()).catch((error: unknown) => {
        this.deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'jobs retention round failed');
        return 0;
      });
    }, this.deps.intervalMs ?? 3_600_000);
    this.timer.unref();
  }

  /** Stops the job and waits for a round in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
