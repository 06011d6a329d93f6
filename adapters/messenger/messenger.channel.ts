import { CloudAdapter } from 'botbuilder';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { ChannelDeps, ChannelOutcome } from '../channels.ts';
import { messengerAuth, type MessengerAuth } from './messenger.auth.ts';
import { MESSENGER_WEBHOOK_PATH, messengerRouter } from './messenger.routes.ts';
import { MessengerSender } from './messenger.sender.ts';

/**
 * Builds the Messenger channel (Facebook Messenger through an Azure Bot and its Bot Connector)
 * when MicrosoftAppId is set. With MESSENGER_EMULATOR=true and no app id it runs without any
 * authentication, for the Bot Framework Emulator on a developer's machine, and warns at start.
 */
export async function messengerChannel(deps: ChannelDeps): Promise<ChannelOutcome> {
  const { config, pipeline, store, clock, logger } = deps;
  const emulator = config.MESSENGER_EMULATOR;
  if (!config.MicrosoftAppId && !emulator) {
    return {
      status: {
        channel: 'messenger',
        enabled: false,
        reason: 'MicrosoftAppId not set (MESSENGER_EMULATOR=true runs it without authentication for the Bot Framework Emulator)',
      },
    };
  }
  let auth: MessengerAuth;
  try {
    auth = messengerAuth(config, !config.MicrosoftAppId);
  } catch (error) {
    // The SDK's messages name the missing variable (MicrosoftAppTenantId), never a value.
    const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : 'invalid MicrosoftApp* settings';
    return { status: { channel: 'messenger', enabled: false, reason } };
  }
  const adapter = new CloudAdapter(auth.authentication);
  const sender = new MessengerSender({ adapter, appId: auth.appId, reach: store.reach, clock, logger });
  const runtime: ChannelRuntime = {
    channel: 'messenger',
    sender,
    webhook: messengerRouter({ adapter, auth, pipeline, clock, logger }),
    async start() {
      if (!auth.authenticated) {
        logger.warn(
          { channel: 'messenger', webhook: MESSENGER_WEBHOOK_PATH },
          'Messenger runs WITHOUT authentication (MESSENGER_EMULATOR=true, no MicrosoftAppId): anyone who reaches this endpoint can post as anyone and make the bot call any URL. Use it only with the Bot Framework Emulator on a trusted machine.',
        );
      }
    },
  };
  const mode = auth.authenticated ? `authenticated as a ${config.MicrosoftAppType} app` : 'UNAUTHENTICATED, Bot Framework Emulator mode';
  return { runtime, detail: `Bot Framework webhook ${MESSENGER_WEBHOOK_PATH}, ${mode}` };
}
