import type { Router } from 'express';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { ChannelDeps, ChannelOutcome } from '../channels.ts';
import { InFlight } from '../in-flight.ts';
import { WhatsappCloudInbound } from './whatsapp-cloud.inbound.ts';
import { whatsappCloudRouter, WHATSAPP_WEBHOOK_PATH } from './whatsapp-cloud.routes.ts';
import { WhatsappCloudSender } from './whatsapp-cloud.sender.ts';

/** The variables the channel needs; all four, or the channel stays off. */
export const WHATSAPP_CLOUD_VARIABLES = [
  'WHATSAPP_CLOUD_TOKEN',
  'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
  'WHATSAPP_CLOUD_APP_SECRET',
  'WHATSAPP_CLOUD_VERIFY_TOKEN',
] as const;

/** The credentials of the channel, once all are set. */
interface WhatsappCloudSettings {
  readonly token: string;
  readonly phoneNumberId: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly graphApiUrl: string;
}

/**
 * The running WhatsApp Cloud API channel: its webhook routes and a sender. Notifications are
 * acknowledged at once and processed in the background; `idle()` waits for that processing.
 */
export class WhatsappCloudChannel implements ChannelRuntime {
  readonly channel = 'whatsapp-cloud' as const;
  readonly sender: WhatsappCloudSender;
  readonly webhook: Router;
  private readonly inFlight = new InFlight();
  private stopping = false;

  constructor(deps: ChannelDeps, settings: WhatsappCloudSettings) {
    const { pipeline, store, clock, logger } = deps;
    this.sender = new WhatsappCloudSender({ ...settings, clock, logger });
    const inbound = new WhatsappCloudInbound({ phoneNumberId: settings.phoneNumberId, pipeline, store, logger });
    this.webhook = whatsappCloudRouter({
      appSecret: settings.appSecret,
      verifyToken: settings.verifyToken,
      logger,
      stopping: () => this.stopping,
      accept: (values) => {
        const work = inbound.process(values);
        this.inFlight.track(work.catch((error: unknown) => logFailure(logger, error)));
        return work;
      },
    });
  }

  /** Resolves once every accepted notification has been processed and its replies sent. */
  idle(): Promise<void> {
    return this.inFlight.idle();
  }

  /** Refuses new notifications (Meta retries them later) and finishes the accepted ones. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.inFlight.idle();
    this.sender.close();
  }
}

function logFailure(logger: Logger, error: unknown): void {
  const err = error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'unknown' };
  logger.error({ channel: 'whatsapp-cloud', err }, 'WhatsApp notification processing failed');
}

/**
 * Builds the WhatsApp Cloud API channel when its four variables are set; otherwise says which
 * are missing (names only, never values).
 */
export async function whatsappCloudChannel(deps: ChannelDeps): Promise<ChannelOutcome> {
  const { config } = deps;
  const missing = WHATSAPP_CLOUD_VARIABLES.filter((name) => !config[name]);
  const { WHATSAPP_CLOUD_TOKEN: token, WHATSAPP_CLOUD_PHONE_NUMBER_ID: phoneNumberId } = config;
  const { WHATSAPP_CLOUD_APP_SECRET: appSecret, WHATSAPP_CLOUD_VERIFY_TOKEN: verifyToken } = config;
  if (!token || !phoneNumberId || !appSecret || !verifyToken) {
    return { status: { channel: 'whatsapp-cloud', enabled: false, reason: `${missing.join(', ')} not set` } };
  }
  const runtime = new WhatsappCloudChannel(deps, { token, phoneNumberId, appSecret, verifyToken, graphApiUrl: config.GRAPH_API_URL });
  return { runtime, detail: `Cloud API at ${new URL(config.GRAPH_API_URL).host}, webhook ${WHATSAPP_WEBHOOK_PATH}` };
}
