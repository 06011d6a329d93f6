import type { Clock } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { NewOutboxMessage } from '../../core/ports/outbox.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { preferredAddress } from '../../core/pipeline/freshest-address.ts';
import { categoryKey } from './categories.ts';
import { KEEP_ENDED_MS } from './post-life.ts';
import type { Text } from './post-view.ts';
import { dayOf } from './post-words.ts';

/** What the sweep is built from. */
export interface ExchangeSweepDeps {
  readonly store: Store;
  readonly text: Text;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The road out: rows of the outbox. */
  readonly send: (messages: readonly NewOutboxMessage[]) => Promise<void>;
  /** How often it runs (default a minute). */
  readonly intervalMs?: number;
}

const BATCH = 100;

/**
 * The exchange's clock work, durable by design: the due times are columns of the posts, so a
 * restart loses nothing; each round finds what is due. A reminder is an outbox row whose id
 * names the post and its end, so a round that dies between sending and marking sends it once.
 * Posts ended for a month are deleted with their translations.
 */
export class ExchangeSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ExchangeSweepDeps) {}

  /** One round now: reminders due, then old ended posts; resolves with how many reminders were queued. */
  async runOnce(): Promise<number> {
    const { store, text, clock } = this.deps;
    const now = clock.now();
    let reminded = 0;
    for (;;) {
      const due = await store.exchange.dueReminders(now, BATCH);
      for (const post of due) {
        const person = await store.people.get(post.personId);
        const to = person ? await preferredAddress(person, store) : null;
        if (person && to) {
          const words = text(person.lang, 'exchange:reminder', { category: text(person.lang, categoryKey(post.category)), date: dayOf(post.expiresAt, person.lang) });
          await this.deps.send([{ id: `exchange-reminder:${post.id}:${post.expiresAt}`, kind: 'notice', to, reply: { lang: person.lang, message: { type: 'text', text: words } }, inboundAt: null }]);
          reminded += 1;
        }
        await store.exchange.update(post.id, { remindedAt: now.toISOString() });
      }
      if (due.length < BATCH) break;
    }
    const before = new Date(now.getTime() - KEEP_ENDED_MS);
    while ((await store.exchange.purgeExpired(before, BATCH)) === BATCH);
    if (reminded > 0) this.deps.logger.info({ event: 'exchange.reminders', count: reminded }, 'post reminders queued');
    return reminded;
  }

  /** Runs a round every interval (never two at once); a failed round is logged and tried again next time. */
  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? 60_000);
    this.timer.unref();
  }

  /** Runs a round after the one in progress (tests and start-up). */
  tick(): Promise<void> {
    this.running = this.running
      .then(() => this.runOnce())
      .then(
        () => undefined,
        (error: unknown) => this.deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'exchange sweep failed'),
      );
    return this.running;
  }

  /** Stops the job and waits for a round in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
