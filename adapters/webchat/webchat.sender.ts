import { EventEmitter } from 'node:events';
import type { Address, OutboundMessage } from '../../core/messages.ts';
import type { ChannelCapabilities, ChannelSender, SendResult } from '../../core/ports/channel.port.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { WebchatEntry } from '../../core/ports/webchat-history.port.ts';

/** What the web chat can show: up to 10 buttons, a location button, long texts. */
export const WEBCHAT_CAPABILITIES: ChannelCapabilities = { maxButtons: 10, maxButtonLabel: 40, maxTextLength: 4000, locationRequest: true };

/**
 * Wakes this process's open event streams when an entry is added for a person. Why only a
 * hint: another process may add the entry, so streams also read the store at a short interval.
 */
export class WebchatSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly streams = new Set<AbortController>();

  /** Registers an open stream; `endAll` aborts it. Returns the function that unregisters it. */
  track(stream: AbortController): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  /**
   * Ends every open stream (at shutdown, so that the server need not wait for open pages: each
   * browser reconnects, to another process or after the restart, from its Last-Event-ID).
   */
  endAll(): void {
    for (const stream of this.streams) stream.abort();
  }

  /** Tells this process's streams for the person that something new is stored. */
  notify(userId: string): void {
    this.emitter.emit(userId);
  }

  /** Resolves at the next notification for the person, or after `ms`, or when `abort` fires. */
  wait(userId: string, ms: number, abort: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.emitter.off(userId, done);
        abort.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.on(userId, done);
      abort.addEventListener('abort', done);
    });
  }
}

/** What the web chat sender is built from. */
export interface WebchatSenderDeps {
  readonly store: Pick<Store, 'webchat' | 'people' | 'contacts'>;
  readonly signals: WebchatSignals;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The web chat's outbound side: every bot message (a turn's reply, a broadcast, an NGO's answer)
 * is appended to the person's stored history, which the page reads by server-sent events or by
 * polling. So the page shows each message the same way, whichever process sent it.
 */
export class WebchatSender implements ChannelSender {
  readonly channel = 'webchat' as const;
  readonly capabilities = WEBCHAT_CAPABILITIES;

  constructor(private readonly deps: WebchatSenderDeps) {}

  /**
   * Stores one bot message for the person; `lang` is the language it is written in (the
   * person's own when not given, so that a broadcast bubble reads in their direction).
   * The platform message id is `webchat-<cursor>`.
   */
  async send(to: Address, message: OutboundMessage, options: { readonly lang?: string } = {}): Promise<SendResult> {
    try {
      const lang = options.lang ?? (await this.langOf(to));
      const cursor = await this.append(to.id, { author: 'bot', lang, message, clientId: null, at: this.deps.clock.now().toISOString() });
      return { status: 'delivered', platformMessageId: `webchat-${cursor}` };
    } catch (error) {
      this.deps.logger.warn({ channel: 'webchat', err: error instanceof Error ? error.name : 'unknown' }, 'web chat message not stored');
      return { status: 'transient-failure', detail: 'history not writable' };
    }
  }

  /** Stores an entry and wakes the person's streams in this process; returns its cursor. */
  async append(userId: string, entry: WebchatEntry): Promise<number> {
    const cursor = await this.deps.store.webchat.append(userId, entry);
    this.deps.signals.notify(userId);
    return cursor;
  }

  private async langOf(to: Address): Promise<string | null> {
    const person = await this.deps.store.people.findByAddress(to);
    if (person) return person.lang;
    return (await this.deps.store.contacts.findByAddress(to))[0]?.lang ?? null;
  }
}

/** The cursor in a web chat platform message id, or null. */
export function cursorOf(result: SendResult): number | null {
  const id = result.status === 'delivered' ? result.platformMessageId : undefined;
  const match = id === undefined ? null : /^webchat-(\d+)$/.exec(id);
  return match ? Number(match[1]) : null;
}
