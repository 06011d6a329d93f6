import { EventEmitter } from 'node:events';
import wwebjs from 'whatsapp-web.js';
import type { WhatsappWebClient, WhatsappWebContent } from '../../adapters/whatsapp-web/whatsapp-web.client.ts';

/**
 * The raw message data WhatsApp Web hands whatsapp-web.js (what `Message._patch` reads):
 * `t` is the unix time in seconds, `lat`/`lng` fill `message.location` and `loc` its
 * "name\naddress".
 */
export interface RawMessageData {
  id: { fromMe: boolean; remote: string; id: string; _serialized: string };
  from: string;
  to: string;
  author?: string;
  body: string;
  type: string;
  t: number;
  lat?: number;
  lng?: number;
  loc?: string;
  isStatusV3?: boolean;
  broadcast?: boolean;
  directPath?: string;
  caption?: string;
}

// The typings describe Message as an interface; the class is exported at run time.
const { Message } = wwebjs as unknown as { Message: new (client: unknown, data: RawMessageData) => wwebjs.Message };

/** The bot's own linked number, as WhatsApp Web reports it in `to`. */
export const BOT_ID = '33700000000@c.us';

let counter = 0;

/** A WhatsApp Web message id as a phone would make it (20 hex digits). */
function nextMessageId(): string {
  counter += 1;
  return `3EB0${counter.toString(16).toUpperCase().padStart(16, '0')}`;
}

/** Raw data of a message from `chatId`; fields can be overridden (type, body, fromMe...). */
export function rawMessage(chatId: string, fields: Partial<Omit<RawMessageData, 'id'>> & { fromMe?: boolean; messageId?: string } = {}): RawMessageData {
  const { fromMe = false, messageId = nextMessageId(), ...rest } = fields;
  return {
    id: { fromMe, remote: chatId, id: messageId, _serialized: `${fromMe}_${chatId}_${messageId}` },
    from: fromMe ? BOT_ID : chatId,
    to: fromMe ? chatId : BOT_ID,
    body: '',
    type: 'chat',
    t: 1_795_000_000,
    ...rest,
  };
}

/** One `sendMessage` call: a text, or the library's Location for a pin. */
export interface SentCall {
  readonly chatId: string;
  readonly content: WhatsappWebContent;
}

/**
 * A double of whatsapp-web.js's Client: an EventEmitter with the methods the adapter uses,
 * emitting the library's real event names and real `Message` objects built from raw data.
 * Like the library, an incoming message fires 'message_create' and then, unless it is our
 * own, 'message'; a sent message fires 'message_create' only.
 */
export class FakeWhatsappWebClient extends EventEmitter implements WhatsappWebClient {
  readonly sent: SentCall[] = [];
  initializeCalls = 0;
  destroyCalls = 0;
  /** What the next `initialize()` calls do, in order; afterwards they resolve. */
  readonly initializeOutcomes: (Error | 'ok')[] = [];
  /** Phone numbers (digits) with a WhatsApp account. */
  readonly registered = new Set<string>();
  /** Replaces the normal `sendMessage` behaviour (throw, or resolve with something else). */
  sendBehaviour: ((chatId: string, content: WhatsappWebContent) => Promise<unknown>) | null = null;

  async initialize(): Promise<void> {
    this.initializeCalls += 1;
    const outcome = this.initializeOutcomes.shift() ?? 'ok';
    if (outcome !== 'ok') throw outcome;
  }

  async destroy(): Promise<void> {
    this.destroyCalls += 1;
  }

  async sendMessage(chatId: string, content: WhatsappWebContent): Promise<unknown> {
    this.sent.push({ chatId, content });
    if (this.sendBehaviour) return this.sendBehaviour(chatId, content);
    // Like the library, a Location becomes a location message (its name in `loc`), not a text.
    const fields =
      content instanceof wwebjs.Location
        ? { type: 'location', lat: Number(content.latitude), lng: Number(content.longitude), loc: content.description }
        : { body: content };
    const sent = new Message(this, rawMessage(chatId, { fromMe: true, ...fields }));
    this.emit('message_create', sent);
    return sent;
  }

  async getNumberId(number: string): Promise<unknown> {
    const user = number.replace(/@c\.us$/, '');
    return this.registered.has(user) ? { server: 'c.us', user, _serialized: `${user}@c.us` } : null;
  }

  async isRegisteredUser(id: string): Promise<boolean> {
    return Boolean(await this.getNumberId(id));
  }

  /** Delivers a message as the library does; returns the Message emitted. */
  receive(data: RawMessageData): wwebjs.Message {
    const message = new Message(this, data);
    this.emit('message_create', message);
    if (!data.id.fromMe) this.emit('message', message);
    return message;
  }

  /** A text from a private chat. */
  text(chatId: string, body: string, messageId?: string): wwebjs.Message {
    return this.receive(rawMessage(chatId, { body, messageId }));
  }
}
