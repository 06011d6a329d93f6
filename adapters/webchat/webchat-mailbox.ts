import type { Address, OutboundMessage } from '../../core/messages.ts';
import type { ChannelCapabilities, ChannelSender, SendResult } from '../../core/ports/channel.port.ts';

/** Messages kept per person until their page fetches them. */
const PER_PERSON = 50;
/** People with waiting messages; the oldest mailbox is dropped beyond this. */
const PEOPLE = 10_000;

/**
 * The web chat's outbound side for messages outside a turn (broadcasts, answers): they wait in
 * memory until the person's open page polls for them. Why memory: the web chat is the try-it
 * channel, and a page that is closed for long has no one reading it anyway; a restart empties it.
 */
export class WebchatMailbox implements ChannelSender {
  readonly channel = 'webchat' as const;
  readonly capabilities: ChannelCapabilities = { maxButtons: 10, maxButtonLabel: 40, maxTextLength: 4000, locationRequest: true };
  private readonly boxes = new Map<string, OutboundMessage[]>();
  private counter = 0;

  async send(to: Address, message: OutboundMessage): Promise<SendResult> {
    const box = this.boxes.get(to.id) ?? [];
    box.push(message);
    if (box.length > PER_PERSON) box.shift();
    this.boxes.delete(to.id);
    this.boxes.set(to.id, box);
    if (this.boxes.size > PEOPLE) this.boxes.delete(this.boxes.keys().next().value!);
    return { status: 'delivered', platformMessageId: `webchat-${++this.counter}` };
  }

  /** Hands over and forgets what waits for a person. */
  take(userId: string): OutboundMessage[] {
    const box = this.boxes.get(userId) ?? [];
    this.boxes.delete(userId);
    return box;
  }
}
