import type { Address, InboundContent } from '../../core/messages.ts';
import type { ConversationPipeline } from '../../core/pipeline/conversation-pipeline.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import {
  fromUnixSeconds,
  messageHeadSchema,
  statusSchema,
  understoodMessageSchema,
  type MessagesValue,
  type UnderstoodMessage,
} from './whatsapp-cloud.payload.ts';

/** What the inbound side needs: the turn pipeline and the store (replies go out through the outbox). */
export interface WhatsappCloudInboundDeps {
  /** Our business number's id: notifications for another number of the same account are not ours. */
  readonly phoneNumberId: string;
  readonly pipeline: ConversationPipeline;
  readonly store: Store;
  readonly logger: Logger;
}

const channel = 'whatsapp-cloud';

/** The channel-neutral content of an understood message. */
export function contentOf(message: UnderstoodMessage): InboundContent {
  switch (message.type) {
    case 'text':
      return { type: 'text', text: message.text.body };
    case 'interactive': {
      const picked = message.interactive.type === 'button_reply' ? message.interactive.button_reply : message.interactive.list_reply;
      return { type: 'choice', choiceId: picked.id, label: picked.title };
    }
    case 'button':
      // A template's quick reply: its payload is the choice id when we wrote the template, and
      // the label lets the engine match it otherwise.
      return { type: 'choice', choiceId: message.button.payload, label: message.button.text };
    case 'location':
      return { type: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  }
}

/**
 * Processes verified `messages` notifications: people's messages go through the pipeline (their
 * replies through the outbox); status callbacks become delivery receipts. Each item is handled on
 * its own, so one failure never stops the others.
 */
export class WhatsappCloudInbound {
  constructor(private readonly deps: WhatsappCloudInboundDeps) {}

  /**
   * Handles every message and status of one notification, people's messages in order. Rejects
   * when a person's message could not be stored: Meta then delivers the notification again, and
   * the messages already processed are recognised and skipped.
   */
  async process(values: readonly MessagesValue[]): Promise<void> {
    let failed: unknown = null;
    for (const value of values) {
      if (value.metadata.phone_number_id !== this.deps.phoneNumberId) {
        this.deps.logger.debug({ channel }, 'notification for another phone number ignored');
        continue;
      }
      for (const error of value.errors ?? []) this.deps.logger.warn({ channel, code: error.code }, 'WhatsApp reported an error');
      for (const status of value.statuses ?? []) await this.guard('status', () => this.status(status));
      const ours = value.metadata.display_phone_number.replace(/\D/g, '');
      for (const message of value.messages ?? []) {
        try {
          await this.message(message, ours);
        } catch (error) {
          failed ??= error;
        }
      }
    }
    if (failed) throw new Error('a WhatsApp message could not be processed; Meta will deliver it again', { cause: failed });
  }

  private async guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'unknown' };
      this.deps.logger.error({ channel, err }, `WhatsApp ${what} failed`);
    }
  }

  private async status(raw: unknown): Promise<void> {
    const parsed = statusSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.logger.debug({ channel, issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'status callback not understood; ignored');
      return;
    }
    const { id, status, timestamp, errors } = parsed.data;
    if (status === 'failed') this.deps.logger.warn({ channel, codes: (errors ?? []).map((e) => e.code) }, 'WhatsApp could not deliver a message');
    await this.deps.store.receipts.record(channel, id, status, fromUnixSeconds(timestamp));
  }

  private async message(raw: unknown, ourNumber: string): Promise<void> {
    const head = messageHeadSchema.safeParse(raw);
    if (!head.success) {
      this.deps.logger.debug({ channel, issues: head.error.issues.map((i) => i.path.join('.')) }, 'inbound message not understood; ignored');
      return;
    }
    // Why: echoes of our own messages (coexistence with the WhatsApp Business app) are never input.
    if (head.data.from === ourNumber) return;
    const from: Address = { channel, id: head.data.from };
    const receivedAt = fromUnixSeconds(head.data.timestamp);
    const understood = understoodMessageSchema.safeParse(raw);
    // An image or a voice note still comes from the person (it opens the 24 h window, as Meta
    // counts it); the bot answers that it reads words only, instead of staying silent.
    if (!understood.success) this.deps.logger.debug({ channel, type: head.data.type }, 'inbound message type not supported');
    const content: InboundContent = understood.success ? contentOf(understood.data) : { type: 'unsupported' };
    await this.deps.pipeline.handle({ id: head.data.id, from, content, receivedAt });
  }
}
