import type { Telegram } from 'telegraf';
import type { ChannelPost } from '../../core/messages.ts';
import type { ConversationPipeline } from '../../core/pipeline/conversation-pipeline.ts';
import { InFlight } from '../in-flight.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { TelegramSender } from './telegram.sender.ts';
import { readUpdate } from './telegram.updates.ts';

/** What the inbound handler is built from. */
export interface TelegramInboundDeps {
  readonly pipeline: ConversationPipeline;
  readonly sender: TelegramSender;
  /** Answers tapped buttons (telegraf's `answerCbQuery`). */
  readonly callbacks: Pick<Telegram, 'answerCbQuery'>;
  readonly onChannelPost: (post: ChannelPost) => Promise<void>;
  readonly logger: Logger;
  readonly clock: Clock;
}

/**
 * Turns Telegram updates into turns: a person's message goes through the pipeline (which orders
 * each person's turns, and their replies through the outbox); a channel post goes to the
 * broadcast sink.
 */
export class TelegramInbound {
  private readonly inFlight = new InFlight();

  constructor(private readonly deps: TelegramInboundDeps) {}

  /** Handles one update; throws only when the product cannot take it now (shutting down, store down). */
  async handle(update: unknown, botId: number): Promise<void> {
    const { logger } = this.deps;
    const event = readUpdate(update, botId, this.deps.clock.now());
    if (event.kind !== 'channel-post' && event.callbackQueryId) await this.answerCallback(event.callbackQueryId);
    switch (event.kind) {
      case 'ignored':
        logger.debug({ channel: 'telegram', reason: event.reason }, 'update ignored');
        return;
      case 'channel-post':
        await this.deps.onChannelPost(event.post);
        return;
      case 'inbound': {
        const { message } = event;
        this.deps.sender.noteInbound(message.from.id);
        const work = this.deps.pipeline.handle(message).then(() => undefined);
        this.inFlight.track(work);
        await work;
        return;
      }
    }
  }

  /** Resolves once every update in progress is stored (graceful shutdown). */
  async drain(): Promise<void> {
    await this.inFlight.idle();
  }

  /**
   * Always answered, and first: until then the person's app shows a spinner on the button.
   * A redelivered query is too old to answer; that failure changes nothing for the person.
   */
  private async answerCallback(id: string): Promise<void> {
    try {
      await this.deps.callbacks.answerCbQuery(id);
    } catch (error) {
      this.deps.logger.debug({ channel: 'telegram', err: error instanceof Error ? error.name : 'unknown' }, 'callback query not answered');
    }
  }
}
