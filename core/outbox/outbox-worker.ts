import { CHANNELS, addressKey, type Address, type ChannelName, type OutboundMessage, type Reply } from '../messages.ts';
import type { ChannelLeases } from '../ports/channel-lease.port.ts';
import type { ChannelSender, SendResult } from '../ports/channel.port.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { DeliveryJob, DeliveryOutcome, Lane, NewOutboxMessage, Outbox } from '../ports/outbox.port.ts';
import type { ReachStore } from '../ports/reach.port.ts';
import { ChannelGate, type GateRates, type Sleep } from './channel-gate.ts';
import { renderForChannel } from './render-for-channel.ts';
import { noTemplates, templateParam, windowOpen, type TemplatePolicy } from './windows.ts';

/** How a broadcast row reads for its recipient, or why it cannot be sent now. */
export type Composition = { readonly message: OutboundMessage } | { readonly outcome: DeliveryOutcome };

/** What the outbox worker is built from. */
export interface OutboxWorkerDeps {
  readonly outbox: Outbox;
  readonly leases: ChannelLeases;
  readonly reach: ReachStore;
  readonly senders: ReadonlyMap<ChannelName, ChannelSender>;
  /** Per channel; channels without an entry send unpaced (the web chat). */
  readonly rates: ReadonlyMap<ChannelName, GateRates>;
  /** Words one broadcast row for its recipient (translation, personalisation). */
  readonly composeBroadcast: (job: DeliveryJob) => Promise<Composition>;
  /** The words of the template notice for a held message ("You have a new message from {{1}}"). */
  readonly noticeFor?: (job: DeliveryJob) => Promise<{ readonly text: string; readonly params: readonly string[] }>;
  /** Told of every final outcome (e.g. to remember a person blocked the bot). */
  readonly onSettled?: (job: DeliveryJob, outcome: DeliveryOutcome, result: SendResult | null) => Promise<void>;
  /**
   * The person's next channel that may take a message their `job.channel` cannot (another of
   * their identities, in their order of preference), or null. Asked once per row: a row that
   * already fell back is never moved again.
   */
  readonly fallback?: (job: DeliveryJob, reason: string) => Promise<Address | null>;
  /** Told once the last words to an erased person are settled (to delete what sending them needed). */
  readonly onLastWords?: (job: DeliveryJob) => Promise<void>;
  readonly templates?: TemplatePolicy;
  readonly clock: Clock;
  readonly logger: Logger;
  /** This process, as a channel lease holder. */
  readonly holder: string;
  /** Pacing's monotonic clock and sleep (real time by default; tests pass virtual ones). */
  readonly pacingNow?: () => number;
  readonly sleep?: Sleep;
  /** Attempts before a transient failure is dead-lettered. */
  readonly maxAttempts?: number;
  /**
   * How long a claimed row stays ours. Why: if this process dies mid-send, another (or the
   * restarted one) takes the row over once the lease runs out.
   */
  readonly leaseMs?: number;
  /** How long one process keeps a channel's sending lease without renewing it. */
  readonly channelLeaseMs?: number;
  /**
   * Channels whose rows the request that made them may hold (the web chat answers with them):
   * such rows are not reclaimed when the lease changes hands, since a live request may own them.
   */
  readonly answersItself?: ReadonlySet<ChannelName>;
  /** Sends in flight per channel and lane; it bounds the copies a kill can duplicate. */
  readonly concurrency?: number;
  /** Idle wait between polls of the interactive lane (a poke wakes it at once). */
  readonly pollMs?: number;
  /** How long a held message waits for the person before it expires. */
  readonly holdMs?: number;
}

/** Why a message may go to another channel of the person instead: this one cannot take it now or ever. */
const FALLBACK_REASONS: ReadonlySet<string> = new Set(['not-on-channel', 'blocked', 'deleted', 'outside-window', 'channel-not-configured', 'channel-down']);

/** Backoff for transient failures: 2 s, 4 s, 8 s ... capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(300_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}


/**
 * The road out: for every channel, claims due outbox rows (the interactive lane ahead of the bulk
 * lane), renders them for the channel, takes a slot of the channel's gate, sends, and records the
 * outcome: retry with backoff, a shared pause after a 429, held while a window is closed (with
 * one template notice where templates are approved), dead after the last attempt. Only the
 * process that holds a channel's lease sends on it, so several processes never add up their rates.
 */
export class OutboxWorker {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly gates = new Map<ChannelName, ChannelGate>();
  private readonly wakers = new Map<string, () => void>();
  /** Counts pokes: a round claims again only when something was queued since its last claim. */
  private pokes = 0;
  /** Each lane's last claim (by `channel/lane`): the pokes counted then, and when (performance.now()). */
  private readonly lastClaim = new Map<string, { readonly pokes: number; readonly at: number }>();
  /**
   * Rows this process inserted already claimed for its own sending (see `dispatch`), per channel,
   * as chains: one person's rows of one write, sent in order.
   */
  private readonly direct = new Map<ChannelName, DeliveryJob[][]>();
  /**
   * Ids of the rows this process holds in memory to send (handed over, queued in a round, in
   * flight) until their outcome is written. Why: a row waiting longer than its lease (a long 429
   * pause, a backlog) is claimable again, and a claim of this very process must not take a second
   * copy of it; the claim renewed the row's lease, the copy in hand goes.
   */
  private readonly inHand = new Set<string>();
  /** Rows handed over by `dispatch` and not yet tried, per channel (see `room`). */
  private readonly backlog = new Map<ChannelName, number>();
  /** Callers of `room` waiting for a channel's backlog to shrink. */
  private readonly roomWaiters = new Map<ChannelName, (() => void)[]>();
  private readonly leaseUntil = new Map<ChannelName, number>();
  /** A channel's lease renewal under way (see `holds`). */
  private readonly renewals = new Map<ChannelName, Promise<boolean>>();
  /**
   * Counts, per channel, the times the lease was lost or newly taken. Why: a round may send only
   * while the lease it started under lasts; held now is not enough, if it was lost meanwhile
   * (another process then reclaimed and sent the rows this round still holds).
   */
  private readonly leaseTerms = new Map<ChannelName, number>();
  /** Channels that can be down, seen up since they last were (their held rows released). */
  private readonly upSeen = new Set<ChannelName>();
  private housekeeping: NodeJS.Timeout | undefined;
  /** Rounds the loops are running now, so that a drain waits for sends already in flight. */
  private readonly active = new Set<Promise<number>>();
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly channelLeaseMs: number;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly holdMs: number;
  private readonly templates: TemplatePolicy;

  constructor(private readonly deps: OutboxWorkerDeps) {
    this.maxAttempts = deps.maxAttempts ?? 5;
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.channelLeaseMs = deps.channelLeaseMs ?? 5_000;
    this.concurrency = deps.concurrency ?? 8;
    this.pollMs = deps.pollMs ?? 250;
    this.holdMs = deps.holdMs ?? 7 * 24 * 3_600_000;
    this.templates = deps.templates ?? noTemplates;
    for (const [channel, rates] of deps.rates) this.gates.set(channel, new ChannelGate(rates, deps.pacingNow, deps.sleep));
  }

  /**
   * Starts two loops per channel, including channels that are off: their rows are settled as
   * unreachable ('channel-not-configured') instead of waiting forever.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const channel of CHANNELS) {
      for (const lane of ['interactive', 'bulk'] as const) this.loops.push(this.loop(channel, lane));
    }
    const expire = (): void => {
      this.deps.outbox.expire(this.deps.clock.now()).catch((error: unknown) => this.deps.logger.warn({ err: errName(error) }, 'held messages not expired'));
    };
    this.housekeeping = setInterval(expire, 60_000);
    this.housekeeping.unref();
  }

  /** Stops claiming, waits for the sends in flight, and gives the channel leases up. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.housekeeping);
    this.poke();
    for (const waiters of this.roomWaiters.values()) for (const wake of waiters.splice(0)) wake();
    await Promise.all(this.loops.splice(0));
    for (const channel of this.leaseUntil.keys()) await this.deps.leases.release(channel, this.deps.holder).catch(() => undefined);
    this.leaseUntil.clear();
  }

  /** Wakes idle loops now (a reply or a broadcast was just queued), of one channel or all. */
  poke(channel?: ChannelName): void {
    this.pokes++;
    for (const [key, wake] of this.wakers) if (!channel || key.startsWith(`${channel}/`)) wake();
  }

  /**
   * Until when a new row of this channel may be inserted claimed for this process's sender
   * (NewOutboxMessage.claimIfFirst), or null: only while this worker runs and holds the channel's
   * sending lease with time to spare, so that a row claimed here is sent from here or, should
   * this process die, taken over by the next holder.
   */
  claimUntil(channel: ChannelName): Date | null {
    if (!this.running || this.deps.answersItself?.has(channel) || !this.deps.senders.has(channel)) return null;
    const now = this.deps.clock.now().getTime();
    if ((this.leaseUntil.get(channel) ?? 0) - now <= this.channelLeaseMs / 3) return null;
    return new Date(now + this.leaseMs);
  }

  /**
   * Sends rows inserted claimed for this process (see `claimUntil`) without a claim query: the
   * channel's interactive loop takes them ahead of its next claim, each person's rows in order.
   */
  dispatch(rows: readonly NewOutboxMessage[]): void {
    // Stopped meanwhile: the rows stay claimed, and the next holder of the lease reclaims them.
    if (!this.running) return;
    for (const row of rows) {
      const chains = this.direct.get(row.to.channel) ?? [];
      this.direct.set(row.to.channel, chains);
      const last = chains.at(-1);
      const job = jobOf(row);
      this.inHand.add(job.id);
      if (last && addressKey(last[0]!.address!) === addressKey(row.to)) last.push(job);
      else chains.push([job]);
      this.backlog.set(row.to.channel, (this.backlog.get(row.to.channel) ?? 0) + 1);
    }
    for (const channel of new Set(rows.map((r) => r.to.channel))) this.wakers.get(`${channel}/interactive`)?.();
  }

  /**
   * Resolves once the channel's backlog of handed-over rows is below `limit`, or after `maxWaitMs`.
   * Why: a webhook answered while the replies pile up in memory lets the platform send updates
   * faster than the channel takes replies, and every reply then waits behind all the others; a
   * webhook that waits for room passes the pressure back to the platform, which holds the
   * updates (Telegram sends at most max_connections at a time). Bounded, so that a channel
   * paused by a 429 never makes the platform time the webhook out.
   */
  async room(channel: ChannelName, limit = this.concurrency * 16, maxWaitMs = 2_000): Promise<void> {
    if ((this.backlog.get(channel) ?? 0) < limit) return;
    const deadline = Date.now() + maxWaitMs;
    while ((this.backlog.get(channel) ?? 0) >= limit && this.running) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const waiters = this.roomWaiters.get(channel) ?? [];
        this.roomWaiters.set(channel, waiters);
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        // A waiter whose time ran out leaves the list, so that room goes to the live ones.
        const timer = setTimeout(() => {
          const at = waiters.indexOf(wake);
          if (at >= 0) waiters.splice(at, 1);
          resolve();
        }, left);
        waiters.push(wake);
      });
    }
  }

  /** One handed-over row was tried (or dropped with a lease lost): room for one more. */
  private tried(channel: ChannelName, n = 1): void {
    const left = Math.max(0, (this.backlog.get(channel) ?? 0) - n);
    this.backlog.set(channel, left);
    const waiters = this.roomWaiters.get(channel);
    if (waiters && waiters.length > 0) for (const wake of waiters.splice(0, Math.max(1, n))) wake();
  }

  /** Sends everything due on one channel right now, interactive first; returns how many (tests, CLI). */
  async drain(channel: ChannelName): Promise<number> {
    let handled = 0;
    for (;;) {
      const n = (await this.round(channel, 'interactive')) + (await this.round(channel, 'bulk'));
      if (n === 0) return handled;
      handled += n;
    }
  }

  /** Sends every interactive row that is due now on these channels (tests, the CLI). */
  async drainInteractive(channels: readonly ChannelName[]): Promise<void> {
    for (let busy = true; busy; ) {
      busy = this.active.size > 0;
      await Promise.allSettled([...this.active]);
      for (const channel of channels) if ((await this.round(channel, 'interactive')) > 0) busy = true;
    }
  }

  /**
   * Sends these rows now, in order, and returns what was sent, part by part with the channel's id
   * of each: the web chat answers its own request with a turn's replies (its sender stores them
   * in the history the page reads). A channel without a sender (the terminal chat) gets the
   * replies back as they are, recorded as sent, to show them itself. Rows another worker already
   * took are skipped.
   */
  async respond(rows: readonly NewOutboxMessage[], options: { readonly keep: boolean } = { keep: true }): Promise<Reply[]> {
    const replies: Reply[] = [];
    const settled: { id: string; outcome: DeliveryOutcome }[] = [];
    for (const row of rows) {
      // Inserted already claimed (NewOutboxMessage.claimedUntil): this call owns it.
      const job = jobOf(row);
      const id = job.id;
      if (!job.reply) continue;
      const sender = this.deps.senders.get(job.channel);
      if (!sender || !job.address || !options.keep) {
        replies.push(job.reply);
        settled.push({ id, outcome: { status: 'sent', platformMessageId: null } });
        continue;
      }
      const sent: Reply[] = [];
      const { outcome } = await this.deliver(job, sent);
      replies.push(...sent);
      settled.push({ id, outcome });
    }
    await this.deps.outbox.settle(settled, this.deps.clock.now());
    for (const row of rows) if (row.final) await this.deps.onLastWords?.(jobOf(row));
    return replies;
  }

  private async loop(channel: ChannelName, lane: Lane): Promise<void> {
    const idleMs = lane === 'interactive' ? this.pollMs : this.pollMs * 4;
    while (this.running) {
      let handled = 0;
      let failed = false;
      const round = this.round(channel, lane);
      this.active.add(round);
      try {
        handled = await round;
      } catch (error) {
        failed = true;
        this.deps.logger.error({ channel, lane, err: errName(error) }, 'outbox round failed');
      } finally {
        this.active.delete(round);
      }
      // Why wait after a failure even with rows handed over: a store that refuses (busy, full) would spin.
      if ((handled === 0 || failed) && this.running && (failed || !(lane === 'interactive' && this.direct.has(channel)))) {
        await new Promise<void>((resolve) => {
          const key = `${channel}/${lane}`;
          const wake = (): void => {
            clearTimeout(timer);
            this.wakers.delete(key);
            resolve();
          };
          const timer = setTimeout(wake, idleMs);
          this.wakers.set(key, wake);
        });
      }
    }
  }

  /** Whether this process may send on the channel now (renewing its lease when it runs low). */
  private async holds(channel: ChannelName): Promise<boolean> {
    const now = this.deps.clock.now().getTime();
    const until = this.leaseUntil.get(channel) ?? 0;
    if (this.leaseToSpare(channel, now)) return true;
    // Every send asks: the sends waiting together for a renewal share one.
    let renewal = this.renewals.get(channel);
    if (!renewal) {
      renewal = this.renew(channel, now, until).finally(() => this.renewals.delete(channel));
      this.renewals.set(channel, renewal);
    }
    return renewal;
  }

  /** Whether the channel's lease is ours with more than a third of it left: no renewal due yet. */
  private leaseToSpare(channel: ChannelName, now: number): boolean {
    return (this.leaseUntil.get(channel) ?? 0) - now > (this.channelLeaseMs * 2) / 3;
  }

  private async renew(channel: ChannelName, now: number, until: number): Promise<boolean> {
    const granted = await this.deps.leases.acquire(channel, this.deps.holder, new Date(now), new Date(now + this.channelLeaseMs));
    if (!granted || until === 0) this.leaseTerms.set(channel, (this.leaseTerms.get(channel) ?? 0) + 1);
    if (granted && until === 0 && !this.deps.answersItself?.has(channel)) {
      // Newly ours: what the previous holder was sending when it died is due again now, instead
      // of waiting for each row's lease (and holding back the later messages of those people).
      const reclaimed = await this.deps.outbox.reclaim(channel, new Date(now));
      if (reclaimed > 0) this.deps.logger.info({ channel, reclaimed }, 'took over the sending lease: rows in flight are due again');
    }
    if (granted) this.leaseUntil.set(channel, now + this.channelLeaseMs);
    else {
      this.leaseUntil.delete(channel);
      // Claimed under a lease now another's: the new holder reclaimed them and sends them.
      const chains = this.direct.get(channel) ?? [];
      const dropped = chains.reduce((n, chain) => n + chain.length, 0);
      for (const chain of chains) for (const job of chain) this.inHand.delete(job.id);
      this.direct.delete(channel);
      if (dropped > 0) this.tried(channel, dropped);
    }
    return granted;
  }

  /**
   * Claims a lane's due rows and sends them with bounded concurrency, claiming the next batch
   * while the last sends of the current one are in flight, until nothing is due; returns how
   * many rows it handled. Why claim ahead: waiting for a batch's stragglers, its outcomes and the
   * next claim left the gate without a send for a few milliseconds every batch, and a slot
   * unused is a slot lost (at 1,000/s, a tenth of the rate).
   */
  private async round(channel: ChannelName, lane: Lane): Promise<number> {
    if (!(await this.holds(channel))) return 0;
    const term = this.leaseTerms.get(channel) ?? 0;
    await this.releaseIfBack(channel);
    // Chains: one person's rows handed over together go one after the other; claimed rows alone.
    const queue: DeliveryJob[][] = [];
    // When each person of the claimed rows last wrote, read once per claim (windowed channels).
    const lastInbound = new Map<string, Date>();
    const windowed = this.deps.senders.get(channel)?.capabilities.windowMs != null;
    const laneKey = `${channel}/${lane}`;
    let handled = 0;
    let exhausted = false;
    let claiming: Promise<void> | null = null;
    // Set once the channel's lease is seen lost, or lost and taken again: nothing more is sent from this round.
    let lost = false;
    const inTerm = (): boolean => !(lost ||= (this.leaseTerms.get(channel) ?? 0) !== term);
    const renewOrLose = async (): Promise<boolean> => {
      try {
        if (!(await this.holds(channel))) lost = true;
      } catch (error) {
        // A renewal the store refused (busy) leaves the lease ours until it runs out, not longer.
        if ((this.leaseUntil.get(channel) ?? 0) <= this.deps.clock.now().getTime()) lost = true;
        this.deps.logger.warn({ channel, err: errName(error) }, 'channel lease not renewed');
      }
      return inTerm();
    };
    // Asked before every send: answered without a promise while the lease has time to spare.
    const owned = (): boolean | Promise<boolean> => {
      if (!inTerm()) return false;
      return this.leaseToSpare(channel, this.deps.clock.now().getTime()) || renewOrLose();
    };
    // The ids this round took into its hands (see `inHand`) and not yet settled, let go when the round ends.
    const taken = new Set<string>();
    const fromDirect = new WeakSet<DeliveryJob[]>();
    const takeDirect = (): void => {
      const chains = lane === 'interactive' ? this.direct.get(channel) : undefined;
      if (!chains) return;
      this.direct.delete(channel);
      for (const chain of chains) {
        fromDirect.add(chain);
        queue.push(chain);
        handled += chain.length;
        for (const job of chain) taken.add(job.id);
      }
    };
    const claim = (): Promise<void> =>
      (claiming ??= (async () => {
        try {
          if (handled > 0) {
            if (!this.running || !(await owned())) {
              exhausted = true;
              return;
            }
            // Handed over since the round began: taken now, the lease just renewed.
            takeDirect();
          }
          const now = this.deps.clock.now();
          const pokes = this.pokes;
          this.lastClaim.set(laneKey, { pokes, at: performance.now() });
          const limit = this.concurrency * 4;
          const jobs = await this.deps.outbox.claim(channel, lane, now, limit, new Date(now.getTime() + this.leaseMs));
          // Why not claim again after a short batch, unless poked: nothing more was due, and a
          // claim per message sent costs a query per message (rows queued by another process
          // wait for the next round, a poll away).
          if (jobs.length === 0 || (jobs.length < limit && this.pokes === pokes)) exhausted = true;
          // A row already in hand was claimed again (it waited past its lease): only its lease is new.
          const fresh = jobs.filter((job) => !this.inHand.has(job.id));
          if (windowed) {
            const known = await this.deps.reach.lastInboundAt(fresh.flatMap((job) => (job.address ? [job.address] : [])));
            for (const [key, at] of known) lastInbound.set(key, at);
          }
          for (const job of fresh) {
            this.inHand.add(job.id);
            taken.add(job.id);
            queue.push([job]);
          }
          handled += fresh.length;
        } finally {
          claiming = null;
        }
      })());
    takeDirect();
    // Rows handed over directly need no claim; one is still made when something was queued here
    // since, and at least every poll (rows queued by other processes, rows of a dead one).
    const last = this.lastClaim.get(laneKey);
    if (queue.length === 0 || last?.pokes !== this.pokes || performance.now() - last.at >= this.pollMs) await claim();
    else exhausted = true;
    if (queue.length === 0) return 0;
    const claimFailed = (error: unknown): void => {
      exhausted = true;
      this.deps.logger.warn({ channel, lane, err: errName(error) }, 'outbox claim failed; the round ends after the sends in flight');
    };
    const settled: { id: string; outcome: DeliveryOutcome }[] = [];
    const after: (() => Promise<void>)[] = [];
    const flush = async (): Promise<void> => {
      const batch = settled.splice(0);
      if (batch.length > 0) await this.deps.outbox.settle(batch, this.deps.clock.now());
      for (const { id } of batch) {
        // Settled: no longer this round's, whichever round (of another channel, after a fallback) holds it next.
        this.inHand.delete(id);
        taken.delete(id);
      }
      for (const task of after.splice(0)) await task();
    };
    const worker = async (): Promise<void> => {
      for (;;) {
        // The lease is another's: it reclaimed the rows left here and sends them.
        if (lost) return;
        if (queue.length <= this.concurrency && !exhausted) void claim().catch(claimFailed);
        const chain = queue.shift();
        if (!chain) {
          if (exhausted) return;
          await claim().catch(claimFailed);
          continue;
        }
        for (let i = 0; i < chain.length; i++) {
          const job = chain[i]!;
          const { outcome, result } = await this.deliver(job, undefined, windowed && job.address ? (lastInbound.get(addressKey(job.address)) ?? null) : undefined, owned);
          // Not sent, the lease lost while it waited for its slot: neither it nor the rest of its chain is ours.
          if (!outcome) {
            if (fromDirect.has(chain)) this.tried(channel, chain.length - i);
            return;
          }
          settled.push({ id: job.id, outcome });
          if (fromDirect.has(chain)) this.tried(channel);
          if (outcome.status === 'rerouted') after.push(async () => this.poke(outcome.to.channel));
          else if (outcome.status !== 'retry' && outcome.status !== 'held') {
            if (this.deps.onSettled) after.push(() => this.deps.onSettled!(job, outcome, result));
            if (job.final && this.deps.onLastWords) after.push(() => this.deps.onLastWords!(job));
          }
          if (outcome.status !== 'sent' && i + 1 < chain.length) {
            // The person's next rows go back to the store's order, behind this one (a claim takes them).
            const now = this.deps.clock.now();
            for (const rest of chain.slice(i + 1)) settled.push({ id: rest.id, outcome: { status: 'retry', at: now, reason: 'behind an earlier message', countsAsAttempt: false, partsSent: 0 } });
            if (fromDirect.has(chain)) this.tried(channel, chain.length - i - 1);
            after.push(async () => this.poke(channel));
            break;
          }
        }
        // Why batches of `concurrency`: one transaction per batch, and a kill repeats at most the
        // sends in flight plus one batch sent but not yet recorded.
        if (settled.length >= this.concurrency) await flush();
      }
    };
    try {
      // Why allSettled: a worker that failed must not end the round while the others still send.
      const ended = await Promise.allSettled(Array.from({ length: this.concurrency }, worker));
      const failed = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
      if (failed) {
        // What the other workers sent meanwhile is recorded still, so as not to go out again.
        await flush().catch(() => undefined);
        throw failed.reason;
      }
      await flush();
    } finally {
      // A worker that failed (the store refused an outcome), or a lease lost, leaves chains: their
      // rows stay claimed until their lease runs out (or the new holder reclaims them), and they
      // no longer count as waiting here, nor as in hand.
      const left = queue.filter((chain) => fromDirect.has(chain)).reduce((n, chain) => n + chain.length, 0);
      if (left > 0) this.tried(channel, left);
      for (const id of taken) this.inHand.delete(id);
    }
    return handled;
  }

  /**
   * Sends one row; the parts that arrive are added to `sent` when given. `lastInbound` is when
   * the person last wrote as read with the batch (undefined: not read yet).
   */
  private deliver(job: DeliveryJob, sent?: Reply[]): Promise<{ outcome: DeliveryOutcome; result: SendResult | null }>;
  private deliver(
    job: DeliveryJob,
    sent: Reply[] | undefined,
    lastInbound: Date | null | undefined,
    owned: () => boolean | Promise<boolean>,
  ): Promise<{ outcome: DeliveryOutcome | null; result: SendResult | null }>;
  private async deliver(
    job: DeliveryJob,
    sent?: Reply[],
    lastInbound?: Date | null,
    owned?: () => boolean | Promise<boolean>,
  ): Promise<{ outcome: DeliveryOutcome | null; result: SendResult | null }> {
    try {
      const sender = this.deps.senders.get(job.channel);
      if (!sender) return { outcome: (await this.reroute(job, 'channel-not-configured')) ?? { status: 'unreachable', reason: 'channel-not-configured' }, result: null };
      if (!job.address) return { outcome: { status: 'unreachable', reason: 'no-address' }, result: null };
      let message: OutboundMessage;
      if (job.reply) message = job.reply.message;
      else {
        const composition = await this.deps.composeBroadcast(job);
        if ('outcome' in composition) return { outcome: composition.outcome, result: null };
        message = composition.message;
      }
      const down = sender.down?.() ?? null;
      if (down !== null) return { outcome: (await this.reroute(job, 'channel-down')) ?? this.holdForChannel(job, down), result: null };
      const windowMs = sender.capabilities.windowMs ?? null;
      if (windowMs !== null && message.type !== 'template' && !(await this.windowIsOpen(job, windowMs, lastInbound))) {
        const template = job.kind === 'broadcast' && sender.capabilities.templates ? this.templates.broadcast(job.lang) : null;
        if (!template) return { outcome: (await this.reroute(job, 'outside-window')) ?? (await this.hold(job, sender, job.partsSent)), result: null };
        message = { type: 'template', text: message.text, name: template.name, language: template.language, params: [templateParam(message.text)] };
      }
      const sending = await this.send(sender, job, message, sent, owned);
      if (!sending) return { outcome: null, result: null };
      const { result, partsSent } = sending;
      if (result.status === 'unreachable' && result.reason === 'outside-window') return { outcome: (await this.reroute(job, 'outside-window')) ?? (await this.hold(job, sender, partsSent)), result };
      if (result.status === 'unreachable') {
        const rerouted = await this.reroute(job, result.reason);
        // Why no result: the person is not lost to us, so nothing is to be remembered as unreachable.
        if (rerouted) return { outcome: rerouted, result: null };
      }
      return { outcome: this.classify(job, result, partsSent), result };
    } catch (error) {
      this.deps.logger.warn({ channel: job.channel, kind: job.kind, err: errName(error) }, 'delivery attempt failed');
      return { outcome: this.retryOrDead(job, 'exception', job.partsSent), result: null };
    }
  }

  /**
   * Holds a row while its whole channel is down (logged out, banned): it goes once the channel
   * is back (see `released`). Last words are not held: the person is being erased.
   */
  private holdForChannel(job: DeliveryJob, why: string): DeliveryOutcome {
    if (job.final) return { status: 'unreachable', reason: 'channel-down' };
    this.deps.logger.info({ channel: job.channel, kind: job.kind, why }, 'message held until the channel is back');
    return { status: 'held', reason: 'channel-down', expiresAt: new Date(this.deps.clock.now().getTime() + this.holdMs), partsSent: job.partsSent };
  }

  /**
   * Releases what waited for a channel to come back, once per time it is seen up (and once after
   * a start, for rows held before a restart). Only the lease holder's rounds get here.
   */
  private async releaseIfBack(channel: ChannelName): Promise<void> {
    const sender = this.deps.senders.get(channel);
    if (!sender?.down) return;
    if (sender.down() !== null) {
      this.upSeen.delete(channel);
      return;
    }
    if (this.upSeen.has(channel)) return;
    this.upSeen.add(channel);
    const released = await this.deps.outbox.releaseChannel(channel, 'channel-down', this.deps.clock.now());
    if (released > 0) this.deps.logger.info({ channel, released }, 'channel is back: held messages are due again');
  }

  /**
   * The row moved to the person's next channel that can take it, or null (none, or it already
   * fell back once, or it is a template or last words, which belong to their channel).
   */
  private async reroute(job: DeliveryJob, reason: string): Promise<DeliveryOutcome | null> {
    if (!this.deps.fallback || job.fallbackFrom || job.final || job.kind === 'template-notice' || !FALLBACK_REASONS.has(reason)) return null;
    const to = await this.deps.fallback(job, reason);
    if (!to || to.channel === job.channel || !this.deps.senders.has(to.channel)) return null;
    this.deps.logger.info({ channel: job.channel, to: to.channel, kind: job.kind, reason }, 'message falls back to another channel of the person');
    return { status: 'rerouted', to, from: job.channel, reason: `fallback from ${job.channel}: ${reason}` };
  }

  /**
   * Sends the parts not yet sent, each through the gate; stops at the first that does not arrive.
   * Null when `owned` says, after a part's wait for its slot, that the row is no longer ours to
   * send (the channel's lease went to another process while a 429 pause or a backlog held it).
   */
  private async send(
    sender: ChannelSender,
    job: DeliveryJob,
    message: OutboundMessage,
    sent?: Reply[],
    owned?: () => boolean | Promise<boolean>,
  ): Promise<{ result: SendResult; partsSent: number } | null> {
    const gate = this.gates.get(job.channel);
    const parts = renderForChannel(message, sender.capabilities);
    let result: SendResult = { status: 'permanent-failure', detail: 'empty message' };
    for (let i = job.partsSent; i < parts.length; i++) {
      await gate?.take(job.lane);
      if (owned) {
        const ours = owned();
        if (ours !== true && !(await ours)) return null;
      }
      result = await sender.send(job.address!, parts[i]!, { lang: job.reply?.lang ?? job.lang });
      if (result.status === 'rate-limited') gate?.pause(result.retryAfterMs);
      if (result.status !== 'delivered') return { result, partsSent: i };
      sent?.push({ lang: job.reply?.lang ?? job.lang, message: parts[i]!, ...(result.platformMessageId ? { sentAs: result.platformMessageId } : {}) });
    }
    return { result, partsSent: parts.length };
  }

  private async windowIsOpen(job: DeliveryJob, windowMs: number, lastInbound?: Date | null): Promise<boolean> {
    const now = this.deps.clock.now();
    if (lastInbound !== undefined && windowOpen(now, windowMs, job.inboundAt, lastInbound)) return true;
    // Read again before holding: the person may have written since the batch was read, and a
    // message held after their message released the others would wait for the next one.
    const reach = await this.deps.reach.get(job.address!);
    return windowOpen(now, windowMs, job.inboundAt, reach?.lastInboundAt ?? null);
  }

  /**
   * Holds a message until the person writes again, and asks them to, once per absence, with an
   * approved template where there is one for their language.
   */
  private async hold(job: DeliveryJob, sender: ChannelSender, partsSent: number): Promise<DeliveryOutcome> {
    // Why not for last words: holding them would keep an erased person's address until they write.
    if (job.final) return { status: 'unreachable', reason: 'outside-window' };
    const now = this.deps.clock.now();
    const template = sender.capabilities.templates && job.kind !== 'template-notice' ? this.templates.notice(job.lang) : null;
    if (template && this.deps.noticeFor) {
      const reach = await this.deps.reach.get(job.address!);
      const words = await this.deps.noticeFor(job);
      // Why the id names the person's last message: one notice per absence, however many messages wait.
      const absence = reach?.lastInboundAt.getTime() ?? 0;
      await this.deps.outbox.enqueue(
        [
          {
            id: `notice:${addressKey(job.address!)}:${absence}`,
            kind: 'template-notice',
            to: job.address!,
            reply: { lang: job.lang, message: { type: 'template', text: words.text, name: template.name, language: template.language, params: words.params.map((p) => templateParam(p)) } },
            inboundAt: null,
            orgId: job.orgId,
            contactId: job.contactId,
          },
        ],
        now,
      );
      this.poke(job.channel);
    }
    this.deps.logger.info({ channel: job.channel, kind: job.kind, notice: template !== null }, 'message held until the person writes again');
    return { status: 'held', reason: 'outside-window', expiresAt: new Date(now.getTime() + this.holdMs), partsSent };
  }

  private classify(job: DeliveryJob, result: SendResult, partsSent: number): DeliveryOutcome {
    const now = this.deps.clock.now().getTime();
    switch (result.status) {
      case 'delivered':
        return { status: 'sent', platformMessageId: result.platformMessageId ?? null };
      case 'rate-limited':
        return { status: 'retry', at: new Date(now + result.retryAfterMs), reason: 'rate-limited', countsAsAttempt: false, partsSent };
      case 'unreachable':
        return { status: 'unreachable', reason: result.reason };
      case 'transient-failure':
        return this.retryOrDead(job, result.detail, partsSent);
      case 'permanent-failure':
        return { status: 'dead', reason: result.detail };
    }
  }

  private retryOrDead(job: DeliveryJob, reason: string, partsSent: number): DeliveryOutcome {
    const attempts = job.attempts + 1;
    if (attempts >= this.maxAttempts) return { status: 'dead', reason: `gave up after ${attempts} attempts: ${reason}` };
    return { status: 'retry', at: new Date(this.deps.clock.now().getTime() + retryDelayMs(attempts)), reason, countsAsAttempt: true, partsSent };
  }
}

/** A row just enqueued, as a claimed job. */
function jobOf(row: NewOutboxMessage): DeliveryJob {
  return {
    id: row.id,
    kind: row.kind,
    lane: 'interactive',
    broadcastId: null,
    orgId: row.orgId ?? null,
    contactId: row.contactId ?? null,
    channel: row.to.channel,
    address: row.to,
    lang: row.reply.lang,
    firstName: '',
    attempts: 0,
    reply: row.reply,
    partsSent: 0,
    inboundAt: row.inboundAt,
    final: row.final === true,
    fallbackFrom: null,
  };
}

function errName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
