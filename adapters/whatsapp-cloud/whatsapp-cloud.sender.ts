import { z } from 'zod';
import type { Address, OutboundMessage } from '../../core/messages.ts';
import type { ChannelCapabilities, ChannelSender, SendResult } from '../../core/ports/channel.port.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import { classifyGraphFailure, classifyNetworkFailure, graphErrorSchema, networkErrorCode, retryAfterMs } from './whatsapp-cloud.errors.ts';
import { graphMessages, WHATSAPP_LIMITS, type GraphMessage } from './whatsapp-cloud.outbound.ts';
import { KeepAliveJsonClient, type JsonAnswer } from '../http-client/keep-alive-json-client.ts';

/** The customer-service window: free-form messages only within 24 h of the person's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * What WhatsApp shows. maxButtons is the list's 10 rows (the sender picks reply buttons for up
 * to 3); maxButtonLabel is the reply-button title limit, the smaller of the two. No location
 * request: WhatsApp's `location_request_message` has no skip button, so the core sends the
 * question (which says "or type your town") with a Skip reply button instead.
 */
export const WHATSAPP_CLOUD_CAPABILITIES: ChannelCapabilities = {
  maxButtons: WHATSAPP_LIMITS.listRows,
  maxButtonLabel: WHATSAPP_LIMITS.buttonTitle,
  maxTextLength: WHATSAPP_LIMITS.textBody,
  locationRequest: false,
  windowMs: SERVICE_WINDOW_MS,
  templates: true,
};

const sentSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });

/** What the sender needs: the Graph endpoint and token. */
export interface WhatsappCloudSenderOptions {
  readonly graphApiUrl: string;
  readonly phoneNumberId: string;
  readonly token: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Per request; a Graph call that hangs longer is a transient failure. */
  readonly timeoutMs?: number;
  /** Sockets kept open to Graph (the outbox's concurrency). */
  readonly maxSockets?: number;
}

/** Sends to people through the WhatsApp Cloud API (`POST /<phone-number-id>/messages`). */
export class WhatsappCloudSender implements ChannelSender {
  readonly channel = 'whatsapp-cloud' as const;
  readonly capabilities = WHATSAPP_CLOUD_CAPABILITIES;
  private readonly client: KeepAliveJsonClient;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(private readonly options: WhatsappCloudSenderOptions) {
    const endpoint = `${options.graphApiUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.phoneNumberId)}/messages`;
    this.client = new KeepAliveJsonClient(endpoint, { timeoutMs: options.timeoutMs ?? 15_000, maxSockets: options.maxSockets });
    this.headers = { authorization: `Bearer ${options.token}` };
  }

  close(): void {
    this.client.close();
  }

  /**
   * Sends one message (one or more requests). The outbox holds messages outside the 24 h window
   * before they get here (see core/outbox/windows.ts); Meta's 131047 says so if one slips through.
   */
  async send(to: Address, message: OutboundMessage): Promise<SendResult> {
    let result: SendResult = { status: 'delivered' };
    for (const body of graphMessages(to.id, message)) {
      result = await this.post(body);
      if (result.status !== 'delivered') return result;
    }
    return result;
  }

  private async post(body: GraphMessage): Promise<SendResult> {
    let response: JsonAnswer;
    try {
      response = await this.client.post(this.headers, body);
    } catch (error) {
      const result = classifyNetworkFailure(error);
      this.options.logger.warn({ channel: this.channel, err: errorFields(error), result }, 'Graph API unreachable');
      return result;
    }
    const json = response.body;
    if (response.status >= 200 && response.status < 300) {
      const sent = sentSchema.safeParse(json);
      // Why delivered anyway: Meta accepted the message; sending it again would duplicate it.
      if (!sent.success) this.options.logger.warn({ channel: this.channel, httpStatus: response.status }, 'Graph API accepted a message without an id');
      return { status: 'delivered', platformMessageId: sent.success ? sent.data.messages[0]?.id : undefined };
    }
    const result = classifyGraphFailure(response.status, json, retryAfterMs(response.retryAfter, this.options.clock.now()));
    const graph = graphErrorSchema.safeParse(json);
    this.options.logger.warn(
      {
        channel: this.channel,
        httpStatus: response.status,
        code: graph.success ? graph.data.error.code : undefined,
        subcode: graph.success ? graph.data.error.error_subcode : undefined,
        fbtraceId: graph.success ? graph.data.error.fbtrace_id : undefined,
        result: result.status,
      },
      'Graph API refused a message',
    );
    return result;
  }
}

/**
 * An error's name and system code for logs. Not its message: a transport error may quote the
 * request (and so the token, the number, the text).
 */
function errorFields(error: unknown): Record<string, unknown> {
  const name = error instanceof Error ? error.name : 'unknown';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.name : undefined;
  return { name, cause, code: networkErrorCode(error) ?? undefined };
}
