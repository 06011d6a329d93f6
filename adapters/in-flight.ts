/**
 * Work that runs after the HTTP answer was sent, tracked so that shutdown (and a test) can
 * wait for it to finish.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  /** Starts tracking `work`; it must handle its own errors (a rejection is swallowed here). */
  track(work: Promise<void>): void {
    const tracked = work.catch(() => undefined).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Resolves once nothing is running, including work started while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
