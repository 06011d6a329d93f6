import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { Address, OutboundMessage } from '../../../core/messages.ts';
import type { ChannelSender, SendResult } from '../../../core/ports/channel.port.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import { smsText } from '../sms.text.ts';
import { SMS_CAPABILITIES } from '../sms.capabilities.ts';
import { classifyTwilioFailure } from './twilio.errors.ts';

/** Twilio's own API host: requests to it are sent to the configured base URL instead. */
const TWILIO_API = 'https://api.twilio.com';

/** What the Twilio sender needs. */
export interface TwilioSenderOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** Our number (E.164) or a Messaging Service SID (`MG…`), which picks the number itself. */
  readonly from: string;
  /** Twilio's API base URL (a local fake in tests); Twilio's own by default. */
  readonly apiUrl: string;
  /** Where Twilio reports each message's fate (our status webhook), when we have a public URL. */
  readonly statusCallback: string | null;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

/**
 * Twilio's request client, pointed at the configured base URL. Why a wrapper: the library knows
 * only Twilio's hosts (edges and regions); its `httpClient` option is the documented way to
 * change how requests go out. Retries stay off: the outbox's gate owns pauses and retries.
 */
class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(
    private readonly apiUrl: string,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs, autoRetry: false, keepAlive: true });
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const uri = opts.uri.startsWith(TWILIO_API) ? `${this.apiUrl}${opts.uri.slice(TWILIO_API.length)}` : opts.uri;
    return super.request<TData>({ ...opts, uri });
  }
}

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

/** A failure the library throws: Twilio's RestException (status, code) or a network error. */
function failureOf(error: unknown): { httpStatus: number | null; code: number | null; network: string | null } {
  const e = error as { status?: unknown; code?: unknown };
  const httpStatus = typeof e?.status === 'number' ? e.status : null;
  const code = typeof e?.code === 'number' ? e.code : null;
  const network = httpStatus === null && typeof e?.code === 'string' ? e.code : null;
  return { httpStatus, code, network };
}

/** Sends SMS through Twilio's Messages API with the official library. */
export class TwilioSender implements ChannelSender {
  readonly channel = 'sms' as const;
  readonly capabilities = SMS_CAPABILITIES;
  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioSenderOptions) {
    const httpClient = new BaseUrlRequestClient(options.apiUrl.replace(/\/+$/, ''), options.timeoutMs ?? 15_000);
    this.client = twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false });
  }

  async send(to: Address, message: OutboundMessage): Promise<SendResult> {
    const sender = this.options.from.startsWith('MG') ? { messagingServiceSid: this.options.from } : { from: this.options.from };
    try {
      const sent = await this.client.messages.create({
        to: to.id,
        body: smsText(message),
        ...sender,
        ...(this.options.statusCallback ? { statusCallback: this.options.statusCallback } : {}),
      });
      return { status: 'delivered', platformMessageId: sent.sid };
    } catch (error) {
      const { httpStatus, code, network } = failureOf(error);
      const result: SendResult =
        httpStatus === null ? { status: 'transient-failure', detail: network ? `network error ${network}` : 'network error' } : classifyTwilioFailure(httpStatus, code, null);
      this.options.logger.warn({ channel: this.channel, backend: 'twilio', httpStatus, code, result: result.status }, 'Twilio refused an SMS');
      return result;
    }
  }
}
