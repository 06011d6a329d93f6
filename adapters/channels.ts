import type { ChannelPost } from '../core/messages.ts';
import type { ConversationPipeline } from '../core/pipeline/conversation-pipeline.ts';
import type { Clock } from '../core/ports/clock.port.ts';
import type { Logger } from '../core/ports/logger.port.ts';
import type { Store } from '../core/ports/store.port.ts';
import type { ChannelRuntime, ChannelStatus } from './channel-runtime.ts';
import type { Config } from './config.ts';
import { messengerChannel } from './messenger/messenger.channel.ts';
import { telegramChannel } from './telegram/telegram.channel.ts';
import { whatsappCloudChannel } from './whatsapp-cloud/whatsapp-cloud.channel.ts';
import { whatsappWebChannel } from './whatsapp-web/whatsapp-web.channel.ts';

/** What a channel factory may use to build its runtime. */
export interface ChannelDeps {
  readonly config: Config;
  readonly pipeline: ConversationPipeline;
  readonly store: Store;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Where posts in a broadcast channel the bot administers go (NGO broadcasts). */
  readonly onChannelPost: (post: ChannelPost) => Promise<void>;
}

/** A channel's runtime when its credentials are set, or why it stays off. */
export type ChannelOutcome =
  | { readonly runtime: ChannelRuntime; readonly detail: string }
  | { readonly status: Extract<ChannelStatus, { enabled: false }> };

/** Builds one channel from the configuration. */
export type ChannelFactory = (deps: ChannelDeps) => Promise<ChannelOutcome>;

/**
 * Every messaging channel, in start-up order. Each starts only when its credentials are set;
 * the web chat always runs and is not listed here.
 */
export const channelFactories: readonly ChannelFactory[] = [telegramChannel, whatsappCloudChannel, whatsappWebChannel, messengerChannel];
