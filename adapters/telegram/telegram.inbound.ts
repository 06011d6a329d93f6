import type { Telegram } from 'telegraf';
import { addressKey, type ChannelPost } from '../../core/messages.ts';
import type { ConversationPipeline } from '../../core/pipeline/conversation-pipeline.ts';
import { KeyedQueue } from '../../core/pipeline/keyed-queue.ts';
import { sendReplies } from '../../core/pipeline/reply-sender.ts';
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
 * Turns Telegram updates into turns: a person's message goes through the pipeline and the
 * replies are sent back in order; a channel post goes to the broadcast sink.
 */
export class TelegramInbound {
  /**
   * Why a queue per chat on top of the pipeline's: the pipeline orders turns, but the replies
   * are sent after it returns; two quick taps must not interleave their replies.
   */
  private readonly order = new KeyedQueue();

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
        await this.order.run(addressKey(message.from), async () => {
          this.deps.sender.noteInbound(message.from.id);
          const replies = await this.deps.pipeline.handle(message);
          await sendReplies(this.deps.sender, message.from, replies, logger);
        });
        return;
      }
    }
  }

  /** Resolves once every update in progress has had its replies sent (graceful shutdown). */
  async drain(): Promise<void> {
    await this.order.drain();
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
