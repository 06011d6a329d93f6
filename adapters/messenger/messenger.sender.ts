import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Address, OutboundMessage } from '../../core/messages.ts';
import type { ChannelSender, SendResult } from '../../core/ports/channel.port.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { ReachRecord, ReachStore } from '../../core/ports/reach.port.ts';
import { withoutSdkRetries } from './messenger.connector.ts';
import { classifySendError } from './messenger.errors.ts';
import { MESSENGER_CAPABILITIES, toActivity } from './messenger.outbound.ts';

/** Messenger's standard messaging window: 24 h after the person's last message. */
export const MESSAGING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A stored conversation reference (see referenceOf), read back before a proactive send. */
const storedReferenceSchema = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.object({ id: z.string().min(1) }),
  user: z.object({ id: z.string().min(1) }),
  bot: z.object({ id: z.string().min(1) }),
  locale: z.string().optional(),
});

/** Sends one message in a turn (a reply or a proactive one) and classifies the outcome. */
async function deliver(context: TurnContext, message: OutboundMessage, clock: Clock, logger: Logger): Promise<SendResult> {
  try {
    const response = await context.sendActivity(toActivity(message));
    return { status: 'delivered', platformMessageId: response?.id || undefined };
  } catch (error) {
    const result = classifySendError(error, clock.now());
    logger.warn({ channel: 'messenger', result }, 'Bot Connector refused a message');
    return result;
  }
}

/** What the proactive sender needs. */
export interface MessengerSenderOptions {
  readonly adapter: CloudAdapter;
  /** The bot's Microsoft app id; '' when running unauthenticated (Emulator). */
  readonly appId: string;
  readonly reach: ReachStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Sends outside a turn (broadcasts, relays) with the conversation reference stored at the
 * person's last message. Refuses, without calling the connector, when there is none or when
 * Messenger's 24 h window has closed (Facebook would refuse, and message tags are not used).
 */
export class MessengerSender implements ChannelSender {
  readonly channel = 'messenger' as const;
  readonly capabilities = MESSENGER_CAPABILITIES;

  constructor(private readonly options: MessengerSenderOptions) {}

  async send(to: Address, message: OutboundMessage): Promise<SendResult> {
    const { reach, clock, logger } = this.options;
    let record: ReachRecord | null;
    try {
      record = await reach.get(to);
    } catch (error) {
      logger.error({ channel: this.channel, err: { name: error instanceof Error ? error.name : 'unknown' } }, 'reach store unavailable; message not sent');
      return { status: 'transient-failure', detail: 'reach store unavailable' };
    }
    const reference = storedReferenceSchema.safeParse(record?.reference);
    if (!record || !reference.success) return { status: 'unreachable', reason: 'unknown-address' };
    if (clock.now().getTime() - record.lastInboundAt.getTime() >= MESSAGING_WINDOW_MS) return { status: 'unreachable', reason: 'outside-window' };
    // Why the cast: the SDK's typings demand display names and conversation types that the
    // connector does not need; ids and the service URL are what routes the message.
    return this.continueConversation(reference.data as Partial<ConversationReference>, message);
  }

  private async continueConversation(reference: Partial<ConversationReference>, message: OutboundMessage): Promise<SendResult> {
    const { adapter, appId, clock, logger } = this.options;
    let result: SendResult = { status: 'transient-failure', detail: 'the proactive turn did not run' };
    try {
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        withoutSdkRetries(adapter, context);
        // Why: the continuation activity has a made-up id that the SDK would set as replyToId;
        // a proactive message answers nothing, so it goes to POST /v3/conversations/{id}/activities.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        result = await deliver(context, message, clock, logger);
      });
    } catch (error) {
      result = classifySendError(error, clock.now());
      logger.warn({ channel: 'messenger', result }, 'proactive turn failed');
    }
    return result;
  }
}
