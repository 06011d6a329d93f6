import type { Address, ChannelName, OutboundMessage } from '../../core/messages.ts';
import type { ChannelCapabilities, ChannelSender, SendResult } from '../../core/ports/channel.port.ts';

/** A channel double that records what it was asked to send and answers as scripted. */
export function recordingSender(
  channel: ChannelName,
  answer: (to: Address, message: OutboundMessage, sent: number) => SendResult | Promise<SendResult> = (_to, _m, n) => ({
    status: 'delivered',
    platformMessageId: `m${n}`,
  }),
  capabilities: ChannelCapabilities = { maxButtons: 3, maxButtonLabel: 20, maxTextLength: 4096, locationRequest: false },
): ChannelSender & { readonly sent: { to: Address; message: OutboundMessage }[] } {
  const sent: { to: Address; message: OutboundMessage }[] = [];
  return {
    channel,
    capabilities,
    sent,
    async send(to, message) {
      const result = await answer(to, message, sent.length + 1);
      if (result.status === 'delivered') sent.push({ to, message });
      return result;
    },
  };
}
