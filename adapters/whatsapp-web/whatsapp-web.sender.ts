import wwebjs from 'whatsapp-web.js';
import { z } from 'zod';
import type { Address, OutboundMessage } from '../../core/messages.ts';
import { numberedList } from '../../core/outbox/render-for-channel.ts';
import type { ChannelCapabilities, ChannelSender, SendResult } from '../../core/ports/channel.port.ts';
import type { WhatsappWebClient, WhatsappWebContent } from './whatsapp-web.client.ts';
import { DeadlineExceededError, withDeadline } from './whatsapp-web.deadline.ts';

// Why the default import: the package is CommonJS (see whatsapp-web.client.ts).
const { Location } = wwebjs;

/**
 * What WhatsApp Web can show: no buttons (its buttons and lists are deprecated and no longer
 * delivered), so choices become numbered lists and people reply "2" or the label; no
 * location request either (the core offers a "Skip" choice instead; a pin still arrives).
 */
export const WHATSAPP_WEB_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 0,
  maxButtonLabel: 0,
  maxTextLength: 4096,
  locationRequest: false,
};

/** Why: a stuck page would otherwise hold a person's replies (and a broadcast) forever. */
const DEFAULT_SEND_TIMEOUT_MS = 60_000;

/** The sent Message: only its id is read. */
const sentSchema = z.object({ id: z.object({ _serialized: z.string().min(1) }) });

/** What the sender needs: the client and whether it is logged in right now. */
export interface WhatsappWebSenderDeps {
  readonly client: WhatsappWebClient;
  readonly isReady: () => boolean;
  /** Why the account cannot send at all now (logged out, banned), or null. */
  readonly down?: () => string | null;
  readonly sendTimeoutMs?: number;
}

/**
 * What WhatsApp shows for an outbound message: a place as a native pin (named when it has a
 * name), anything else as text (choices should already be a list).
 */
function contentOf(message: OutboundMessage): WhatsappWebContent {
  if (message.type === 'location') {
    const name = message.text.trim();
    return new Location(message.latitude, message.longitude, name ? { name } : {});
  }
  if (message.type === 'choices') return numberedList(message.text, message.choices);
  if (message.type === 'location-request' && message.skip) return numberedList(message.text, [message.skip]);
  return message.text;
}

/** The outcomes of a send that did not arrive, as this channel can tell them apart. */
export type FailedSend = Extract<SendResult, { status: 'unreachable' | 'transient-failure' | 'permanent-failure' }>;

const DISCONNECTED = /session closed|target closed|detached|execution context was destroyed|browser has disconnected|connection closed|protocol error|reading 'evaluate'/i;

/**
 * Classifies an error thrown by `sendMessage`. Only fixed words and the error's class name go
 * into `detail`: WhatsApp's messages may quote the chat id (a phone number).
 */
export function classifySendError(error: unknown): FailedSend {
  if (!(error instanceof Error)) return { status: 'transient-failure', detail: 'whatsapp web failed without an error object' };
  if (/invalid wid|wid error/i.test(error.message)) return { status: 'unreachable', reason: 'not-on-channel' };
  if (error instanceof DeadlineExceededError) return { status: 'transient-failure', detail: 'whatsapp web did not answer in time' };
  if (DISCONNECTED.test(error.message) || ['TargetCloseError', 'ProtocolError', 'TimeoutError'].includes(error.name)) {
    return { status: 'transient-failure', detail: `whatsapp web client disconnected (${error.name})` };
  }
  // A script error inside WhatsApp Web (an update changed its internals) repeats on every
  // retry until the library is upgraded.
  if (/^Evaluation failed/.test(error.message)) return { status: 'permanent-failure', detail: `whatsapp web rejected the message (${error.name})` };
  return { status: 'transient-failure', detail: `whatsapp web send failed (${error.name})` };
}

/**
 * Sends to people through the linked WhatsApp account. The address id is the chat id the
 * person wrote from (`…@c.us` or `…@lid`), or one found with {@link lookupChatId}.
 */
export class WhatsappWebSender implements ChannelSender {
  readonly channel = 'whatsapp-web' as const;
  readonly capabilities = WHATSAPP_WEB_CAPABILITIES;

  constructor(private readonly deps: WhatsappWebSenderDeps) {}

  down(): string | null {
    return this.deps.down?.() ?? null;
  }

  async send(to: Address, message: OutboundMessage): Promise<SendResult> {
    if (!this.deps.isReady()) return { status: 'transient-failure', detail: 'whatsapp web client not ready' };
    let sent: unknown;
    try {
      sent = await withDeadline(this.deps.client.sendMessage(to.id, contentOf(message)), this.deps.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS, 'send');
    } catch (error) {
      return classifySendError(error);
    }
    const parsed = sentSchema.safeParse(sent);
    if (parsed.success) return { status: 'delivered', platformMessageId: parsed.data.id._serialized };
    // No Message back means WhatsApp Web found no chat for the id: ask whether it exists.
    return this.notCreated(to.id);
  }

  private async notCreated(chatId: string): Promise<SendResult> {
    const fallback: FailedSend = { status: 'transient-failure', detail: 'whatsapp web created no message' };
    // Why only @c.us: the library appends "@c.us" to anything else, so a @lid cannot be checked.
    if (!chatId.endsWith('@c.us')) return fallback;
    try {
      const registered = await withDeadline(this.deps.client.isRegisteredUser(chatId), this.deps.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS, 'lookup');
      return registered ? fallback : { status: 'unreachable', reason: 'not-on-channel' };
    } catch (error) {
      return classifySendError(error);
    }
  }
}

/** The chat id of an imported phone number, or why there is none. */
export type ChatIdLookup = { readonly status: 'found'; readonly chatId: string } | FailedSend;

const E164 = /^\+[1-9]\d{6,14}$/;
const numberIdSchema = z.object({ _serialized: z.string().min(1) }).nullable();

/**
 * Turns an E.164 phone number ("+33 6 12 34 56 78") into the chat id to send to
 * ("33612345678@c.us"), asking WhatsApp with `client.getNumberId`. A number without a
 * WhatsApp account is `unreachable: not-on-channel`. Used before writing first to someone
 * imported from a contact list (broadcasts); people who wrote to us already have a chat id.
 */
export async function lookupChatId(deps: WhatsappWebSenderDeps, phone: string): Promise<ChatIdLookup> {
  const e164 = phone.replace(/[\s().-]/g, '');
  if (!E164.test(e164)) return { status: 'permanent-failure', detail: 'not an E.164 phone number' };
  if (!deps.isReady()) return { status: 'transient-failure', detail: 'whatsapp web client not ready' };
  let answer: unknown;
  try {
    answer = await withDeadline(deps.client.getNumberId(e164.slice(1)), deps.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS, 'lookup');
  } catch (error) {
    return classifySendError(error);
  }
  const parsed = numberIdSchema.safeParse(answer);
  if (!parsed.success) return { status: 'transient-failure', detail: 'whatsapp web answered the lookup with an unexpected shape' };
  if (parsed.data === null) return { status: 'unreachable', reason: 'not-on-channel' };
  return { status: 'found', chatId: parsed.data._serialized };
}
