import type { ChannelName, ChannelPost } from '../core/messages.ts';
import type { ConversationPipeline } from '../core/pipeline/conversation-pipeline.ts';
import type { Clock } from '../core/ports/clock.port.ts';
import type { Logger } from '../core/ports/logger.port.ts';
import type { Store } from '../core/ports/store.port.ts';
import type { ChannelRuntime, ChannelStatus } from './channel-runtime.ts';
import type { Config } from './config.ts';

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
 * A channel whose library is loaded only when one of its variables is set. Why: whatsapp-web.js
 * (with puppeteer) and botbuilder weigh some 90 MB of memory that most deployments never use.
 * When one variable is set, the channel's own factory decides and explains what is missing.
 */
function lazyChannel(channel: ChannelName, variables: readonly (keyof Config)[], reason: string, load: () => Promise<ChannelFactory>): ChannelFactory {
  return async (deps) => {
    const configured = variables.some((name) => {
      const value = deps.config[name];
      return value !== undefined && value !== false && value !== '';
    });
    return configured ? (await load())(deps) : { status: { channel, enabled: false, reason } };
  };
}

const CLOUD_VARIABLES = ['WHATSAPP_CLOUD_TOKEN', 'WHATSAPP_CLOUD_PHONE_NUMBER_ID', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_VERIFY_TOKEN'] as const;

/**
 * Every messaging channel, in start-up order. Each starts only when its credentials are set;
 * the web chat always runs and is not listed here.
 */
export const channelFactories: readonly ChannelFactory[] = [
  lazyChannel('telegram', ['TELEGRAM_BOT_TOKEN'], 'TELEGRAM_BOT_TOKEN is not set', async () => (await import('./telegram/telegram.channel.ts')).telegramChannel),
  lazyChannel('whatsapp-cloud', CLOUD_VARIABLES, `${CLOUD_VARIABLES.join(', ')} not set`, async () => (await import('./whatsapp-cloud/whatsapp-cloud.channel.ts')).whatsappCloudChannel),
  lazyChannel('whatsapp-web', ['WHATSAPP_WEB_ENABLED'], 'WHATSAPP_WEB_ENABLED is not true', async () => (await import('./whatsapp-web/whatsapp-web.channel.ts')).whatsappWebChannel),
  lazyChannel(
    'messenger',
    ['MicrosoftAppId', 'MESSENGER_EMULATOR'],
    'MicrosoftAppId not set (MESSENGER_EMULATOR=true runs it without authentication for the Bot Framework Emulator)',
    async () => (await import('./messenger/messenger.channel.ts')).messengerChannel,
  ),
  lazyChannel(
    'sms',
    ['TWILIO_ACCOUNT_SID', 'SMS_GATEWAY_URL'],
    'neither TWILIO_ACCOUNT_SID nor SMS_GATEWAY_URL is set',
    async () => (await import('./sms/sms.channel.ts')).smsChannel,
  ),
];
