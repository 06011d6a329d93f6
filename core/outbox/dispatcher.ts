import { CHANNELS, type ChannelName, type OutboundMessage } from '../messages.ts';
import type { ChannelSender, SendResult } from '../ports/channel.port.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { DeliveryJob, DeliveryOutcome, Outbox } from '../ports/outbox.port.ts';
import { renderForChannel } from '../pipeline/render-for-channel.ts';
import { Pacer, realSleep, type Sleep } from './pacer.ts';

/** How one job reads, or why it cannot be sent now. */
export type Composition = { readonly message: OutboundMessage } | { readonly outcome: DeliveryOutcome };

/** What the dispatcher is built from. */
export interface DispatcherDeps {
  readonly outbox: Outbox;
  readonly senders: ReadonlyMap<ChannelName, ChannelSender>;
  /** Messages per second per channel (platform limits by default). */
  readonly rates: ReadonlyMap<ChannelName, number>;
  /** Words one job for its recipient (translation, personalisation). */
  readonly compose: (job: DeliveryJob) => Promise<Composition>;
  /** Told of every final outcome (e.g. to remember a person blocked the bot). */
  readonly onSettled?: (job: DeliveryJob, outcome: DeliveryOutcome, result: SendResult | null) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sleep?: Sleep;
  /** Attempts before a transient failure is dead-lettered. */
  readonly maxAttempts?: number;
  /**
   * How long a claimed delivery stays ours. Why: if this process dies mid-send, another (or
   * the restarted one) takes the delivery over once the lease runs out.
   */
  readonly leaseMs?: number;
  /** Sends in flight per channel; it bounds the copies a kill can duplicate. */
  readonly concurrency?: number;
  /** Idle wait between polls when nothing is due. */
  readonly pollMs?: number;
}

/** Backoff for transient failures: 2 s, 4 s, 8 s ... capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends the outbox: per channel, claims due deliveries, paces them at the channel's rate,
 * retries transient failures with backoff, honours retry-after, and records every outcome.
 * One recipient's failure never stops the others.
 */
export class Dispatcher {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly pacers = new Map<ChannelName, Pacer>();
  private readonly wakers = new Set<() => void>();
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly sleep: Sleep;

  constructor(private readonly deps: DispatcherDeps) {
    this.maxAttempts = deps.maxAttempts ?? 5;
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.concurrency = deps.concurrency ?? 8;
    this.pollMs = deps.pollMs ?? 1_000;
    this.sleep = deps.sleep ?? realSleep;
    for (const [channel, rate] of deps.rates) this.pacers.set(channel, new Pacer(rate, deps.clock, this.sleep));
  }

  /**
   * Starts one loop per channel, including channels that are off: their deliveries are settled
   * as unreachable ('channel-not-configured') instead of waiting forever.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const channel of CHANNELS) this.loops.push(this.loop(channel));
  }

  /** Stops claiming and waits for the sends in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await Promise.all(this.loops.splice(0));
  }

  /** Wakes idle loops now (a broadcast just became ready). */
  poke(): void {
    for (const wake of this.wakers) wake();
  }

  /** Sends everything due on one channel right now, then returns how many were handled (tests, CLI). */
  async drain(channel: ChannelName): Promise<number> {
    let handled = 0;
    for (;;) {
      const n = await this.round(channel);
      if (n === 0) return handled;
      handled += n;
    }
  }

  private async loop(channel: ChannelName): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.round(channel);
      } catch (error) {
        this.deps.logger.error({ channel, err: error instanceof Error ? error.name : 'unknown' }, 'dispatch round failed');
      }
      if (handled === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            clearTimeout(timer);
            this.wakers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, this.pollMs);
          this.wakers.add(wake);
        });
      }
    }
  }

  /** Claims one batch and sends it with bounded concurrency; returns the batch size. */
  private async round(channel: ChannelName): Promise<number> {
    const now = this.deps.clock.now();
    const batch = Math.max(this.concurrency * 4, 16);
    const jobs = await this.deps.outbox.claim(channel, now, batch, new Date(now.getTime() + this.leaseMs));
    if (jobs.length === 0) return 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) await this.deliver(jobs[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, jobs.length) }, worker));
    return jobs.length;
  }

  private async deliver(job: DeliveryJob): Promise<void> {
    let outcome: DeliveryOutcome;
    let result: SendResult | null = null;
    try {
      const sender = this.deps.senders.get(job.channel);
      if (!sender) outcome = { status: 'unreachable', reason: 'channel-not-configured' };
      else if (!job.address) outcome = { status: 'unreachable', reason: 'no-address' };
      else {
        const composition = await this.deps.compose(job);
        if ('outcome' in composition) outcome = composition.outcome;
        else {
          result = await this.send(sender, job, composition.message);
          outcome = this.classify(job, result);
        }
      }
    } catch (error) {
      this.deps.logger.warn({ channel: job.channel, err: error instanceof Error ? error.name : 'unknown' }, 'delivery attempt failed');
      outcome = this.retryOrDead(job, 'exception');
    }
    const at = this.deps.clock.now();
    await this.deps.outbox.settle(job.id, outcome, at);
    if (outcome.status !== 'retry') await this.deps.onSettled?.(job, outcome, result);
  }

  private async send(sender: ChannelSender, job: DeliveryJob, message: OutboundMessage): Promise<SendResult> {
    const pacer = this.pacers.get(job.channel);
    let last: SendResult = { status: 'permanent-failure', detail: 'empty message' };
    for (const part of renderForChannel(message, sender.capabilities)) {
      await pacer?.take();
      last = await sender.send(job.address!, part);
      if (last.status === 'rate-limited') pacer?.pause(last.retryAfterMs);
      if (last.status !== 'delivered') return last;
    }
    return last;
  }

  private classify(job: DeliveryJob, result: SendResult): DeliveryOutcome {
    const now = this.deps.clock.now().getTime();
    switch (result.status) {
      case 'delivered':
        return { status: 'sent', platformMessageId: result.platformMessageId ?? null };
      case 'rate-limited':
        return { status: 'retry', at: new Date(now + result.retryAfterMs), reason: 'rate-limited', countsAsAttempt: false };
      case 'unreachable':
        return { status: 'unreachable', reason: result.reason };
      case 'transient-failure':
        return this.retryOrDead(job, result.detail);
      case 'permanent-failure':
        return { status: 'dead', reason: result.detail };
    }
  }

  private retryOrDead(job: DeliveryJob, reason: string): DeliveryOutcome {
    const attempts = job.attempts + 1;
    if (attempts >= this.maxAttempts) return { status: 'dead', reason: `gave up after ${attempts} attempts: ${reason}` };
    return { status: 'retry', at: new Date(this.deps.clock.now().getTime() + retryDelayMs(attempts)), reason, countsAsAttempt: true };
  }
}
