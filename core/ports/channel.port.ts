import type { Address, ChannelName, OutboundMessage } from '../messages.ts';

/** What a channel can show, so that the core renders for it. */
export interface ChannelCapabilities {
  /** Most buttons in one message; 0 means choices become a numbered list. */
  readonly maxButtons: number;
  /** Longest button label the channel shows without cutting it. */
  readonly maxButtonLabel: number;
  /** Longest text of one message; longer texts are split. */
  readonly maxTextLength: number;
  /** Whether the channel can ask for a location pin. */
  readonly locationRequest: boolean;
  /**
   * How long after a person's last message the platform accepts free-form messages to them
   * (WhatsApp Cloud API and Messenger: 24 hours); null when there is no such window.
   */
  readonly windowMs?: number | null;
  /** Whether the channel sends pre-approved templates (outside the window). */
  readonly templates?: boolean;
  /**
   * Whether every character costs (SMS: billed by segment): choices become a compact list
   * ("1 Yes" per line, no blank line) instead of the roomier one chat apps get.
   */
  readonly compactLists?: boolean;
}

/**
 * Why a person cannot be reached on this channel right now (`channel-not-configured`: the channel
 * is off on this server; `opted-out`: they said STOP to the carrier, so no other channel is tried either).
 */
export type UnreachableReason = 'blocked' | 'deleted' | 'not-on-channel' | 'outside-window' | 'unknown-address' | 'channel-not-configured' | 'opted-out';

/** The classified outcome of one send. */
export type SendResult =
  | { readonly status: 'delivered'; readonly platformMessageId?: string }
  | { readonly status: 'rate-limited'; readonly retryAfterMs: number }
  | { readonly status: 'unreachable'; readonly reason: UnreachableReason }
  | { readonly status: 'transient-failure'; readonly detail: string }
  | { readonly status: 'permanent-failure'; readonly detail: string };

/** Sends to people on one channel. Every adapter implements it. */
export interface ChannelSender {
  readonly channel: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /**
   * Sends one message (already rendered for the capabilities, at most maxTextLength). `lang` is
   * the language it is written in, for channels that show it (the web chat sets direction by it).
   */
  send(to: Address, message: OutboundMessage, options?: { readonly lang?: string }): Promise<SendResult>;
  /**
   * Why the whole channel cannot send now (its account logged out or banned), or null when it
   * can. While it is down the outbox sends its messages on another channel of each person, or
   * holds them until it is back; absent for channels that are never down as a whole.
   */
  down?(): string | null;
}
