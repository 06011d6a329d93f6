import { z } from 'zod';
import type { Address, OutboundMessage } from '../../../core/messages.ts';
import type { ChannelSender, SendResult } from '../../../core/ports/channel.port.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import { classifyNetworkFailure } from '../../whatsapp-cloud/whatsapp-cloud.errors.ts';
import { SMS_CAPABILITIES } from '../sms.capabilities.ts';
import { smsText } from '../sms.text.ts';

/** What the gateway sender needs: the phone's API (local server or the project's cloud relay). */
export interface AndroidGatewayOptions {
  /** `http://<phone>:8080` (local server) or `https://api.sms-gate.app/3rdparty/v1` (cloud). */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

/** The gateway's answer to `POST /message`: 202 with the message's id and state. */
const acceptedSchema = z.object({ id: z.string().min(1), state: z.string().optional() });

/**
 * Sends SMS through an Android phone running "SMS Gateway for Android" (`POST /message` with
 * basic auth). Plain fetch rather than its npm client: the client wants an HTTP client passed in
 * anyway, and one request with a zod-checked answer is all we use.
 */
export class AndroidGatewaySender implements ChannelSender {
  readonly channel = 'sms' as const;
  readonly capabilities = SMS_CAPABILITIES;
  private readonly endpoint: string;
  private readonly authorization: string;

  constructor(private readonly options: AndroidGatewayOptions) {
    this.endpoint = `${options.url.replace(/\/+$/, '')}/message`;
    this.authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }

  async send(to: Address, message: OutboundMessage): Promise<SendResult> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ textMessage: { text: smsText(message) }, phoneNumbers: [to.id], withDeliveryReport: true }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      // The phone is off, out of wifi, or asleep: it will be back.
      const result = classifyNetworkFailure(error);
      this.options.logger.warn({ channel: this.channel, backend: 'android', result: result.status }, 'SMS gateway phone unreachable');
      return result;
    }
    const json: unknown = await response.json().catch(() => null);
    if (response.ok) {
      const accepted = acceptedSchema.safeParse(json);
      return { status: 'delivered', platformMessageId: accepted.success ? accepted.data.id : undefined };
    }
    const result = classifyGatewayFailure(response.status, response.headers.get('retry-after'));
    this.options.logger.warn({ channel: this.channel, backend: 'android', httpStatus: response.status, result: result.status }, 'SMS gateway refused a message');
    return result;
  }
}

/** The gateway answers plain HTTP statuses (no per-number codes): 429 and 5xx pass, the rest are ours to fix. */
export function classifyGatewayFailure(httpStatus: number, retryAfter: string | null): SendResult {
  if (httpStatus === 429) return { status: 'rate-limited', retryAfterMs: retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 30_000 };
  if (httpStatus >= 500 || httpStatus === 408) return { status: 'transient-failure', detail: `HTTP ${httpStatus}` };
  return { status: 'permanent-failure', detail: `HTTP ${httpStatus}` };
}
