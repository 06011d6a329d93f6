import type { Address, Reply } from '../messages.ts';
import type { ChannelSender, SendResult } from '../ports/channel.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import { renderForChannel } from './render-for-channel.ts';

/**
 * Sends a turn's replies to the person, in order, rendered for the channel. Stops at the first
 * part that does not arrive (the rest would make no sense without it) and returns its result.
 */
export async function sendReplies(sender: ChannelSender, to: Address, replies: readonly Reply[], logger: Logger): Promise<SendResult | null> {
  for (const reply of replies) {
    for (const part of renderForChannel(reply.message, sender.capabilities)) {
      const result = await sender.send(to, part);
      if (result.status !== 'delivered') {
        logger.warn({ channel: sender.channel, status: result.status }, 'reply not delivered');
        return result;
      }
    }
  }
  return null;
}
