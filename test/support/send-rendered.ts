import type { Address, Reply } from '../../core/messages.ts';
import { renderForChannel } from '../../core/outbox/render-for-channel.ts';
import type { ChannelSender, SendResult } from '../../core/ports/channel.port.ts';

/**
 * Sends replies straight through one sender, rendered for its capabilities, as the outbox worker
 * does for each row: for sender tests that look at one channel's requests only. Stops at the
 * first part that does not arrive and returns its result (null when all arrived).
 */
export async function sendRendered(sender: ChannelSender, to: Address, replies: readonly Reply[]): Promise<SendResult | null> {
  for (const reply of replies) {
    for (const part of renderForChannel(reply.message, sender.capabilities)) {
      const result = await sender.send(to, part);
      if (result.status !== 'delivered') return result;
    }
  }
  return null;
}
