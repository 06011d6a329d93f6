import { z } from 'zod';
import type { ChannelPost, InboundContent, InboundMessage } from '../../core/messages.ts';

/** What the webhook route checks before anything else: an object with a numeric update id. */
export const updateEnvelopeSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

const userSchema = z.looseObject({ id: z.number().int(), is_bot: z.boolean() });
const chatSchema = z.looseObject({ id: z.number().int(), type: z.string() });
const messageSchema = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int().nonnegative(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  location: z.looseObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
});
const inlineButtonSchema = z.looseObject({ text: z.string(), callback_data: z.string().optional() });
const callbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: userSchema,
  data: z.string().optional(),
  // Absent for inline-mode messages; an "inaccessible message" (date 0) still names its chat.
  message: z
    .looseObject({
      message_id: z.number().int(),
      chat: chatSchema,
      reply_markup: z.looseObject({ inline_keyboard: z.array(z.array(inlineButtonSchema)) }).optional(),
    })
    .optional(),
});

/** What one update means for the product. */
export type TelegramEvent =
  | { readonly kind: 'inbound'; readonly message: InboundMessage; readonly callbackQueryId?: string }
  | { readonly kind: 'channel-post'; readonly post: ChannelPost }
  /** Acknowledged and dropped; a tapped button is still answered so its spinner stops. */
  | { readonly kind: 'ignored'; readonly reason: string; readonly callbackQueryId?: string };

/** Deep-link payloads are at most 64 characters of A-Z, a-z, 0-9, _ and - (Bot API docs). */
const START = /^\/start(?:@[A-Za-z0-9_]+)?(?:\s+(.*))?$/s;
const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

function contentOf(message: z.infer<typeof messageSchema>): InboundContent | null {
  if (message.location) return { type: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  // A photo, voice note or sticker: the person hears that the bot reads words only.
  if (message.text === undefined) return { type: 'unsupported' };
  const start = START.exec(message.text.trim());
  if (start) {
    const payload = start[1]?.trim();
    // Why: a typed "/start something odd" is not a deep link; the person still gets a start.
    return payload && PAYLOAD.test(payload) ? { type: 'start', payload } : { type: 'start' };
  }
  return { type: 'text', text: message.text };
}

function readMessage(raw: unknown, botId: number, receivedAt: Date): TelegramEvent {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'ignored', reason: 'malformed message' };
  const message = parsed.data;
  // Why: Telegram does not echo our own sends, but other bots in a chat and forwarded test
  // traffic do arrive; a bot must never be taken for a person.
  if (message.from?.is_bot || message.from?.id === botId) return { kind: 'ignored', reason: 'sent by a bot' };
  if (message.chat.type !== 'private') return { kind: 'ignored', reason: 'not a private chat' };
  const content = contentOf(message);
  if (!content) return { kind: 'ignored', reason: 'unsupported content' };
  return {
    kind: 'inbound',
    message: {
      id: `${message.chat.id}:${message.message_id}`,
      from: { channel: 'telegram', id: String(message.chat.id) },
      content,
      receivedAt,
    },
  };
}

function readCallback(raw: unknown, botId: number, receivedAt: Date): TelegramEvent {
  const parsed = callbackQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const id = z.looseObject({ id: z.string().min(1) }).safeParse(raw);
    return { kind: 'ignored', reason: 'malformed callback query', ...(id.success ? { callbackQueryId: id.data.id } : {}) };
  }
  const query = parsed.data;
  const callbackQueryId = query.id;
  if (query.from.is_bot || query.from.id === botId) return { kind: 'ignored', reason: 'sent by a bot', callbackQueryId };
  if (query.data === undefined) return { kind: 'ignored', reason: 'callback without data', callbackQueryId };
  if (!query.message || query.message.chat.type !== 'private') return { kind: 'ignored', reason: 'not a private chat', callbackQueryId };
  const label = query.message.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === query.data)?.text;
  return {
    kind: 'inbound',
    callbackQueryId,
    message: {
      // Why the query id: it is unique per tap and the same on every redelivery of the update.
      id: `cb:${query.id}`,
      from: { channel: 'telegram', id: String(query.message.chat.id) },
      content: { type: 'choice', choiceId: query.data, ...(label !== undefined ? { label } : {}) },
      receivedAt,
    },
  };
}

function readChannelPost(raw: unknown): TelegramEvent {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'ignored', reason: 'malformed channel post' };
  const post = parsed.data;
  if (post.chat.type !== 'channel') return { kind: 'ignored', reason: 'channel post outside a channel' };
  const text = post.text ?? post.caption;
  if (!text?.trim()) return { kind: 'ignored', reason: 'channel post without text' };
  return {
    kind: 'channel-post',
    post: { id: `${post.chat.id}:${post.message_id}`, channel: 'telegram', chatId: String(post.chat.id), text, postedAt: new Date(post.date * 1000) },
  };
}

/**
 * Narrows one Telegram update to what the product handles: a person's text, start, location or
 * tapped button in a private chat, or a post in an administered channel. Everything else (edits,
 * groups, other bots, media without text, unknown update types) is ignored with a reason.
 */
export function readUpdate(update: unknown, botId: number, receivedAt: Date): TelegramEvent {
  if (typeof update !== 'object' || update === null) return { kind: 'ignored', reason: 'not an object' };
  const u = update as Record<string, unknown>;
  if ('message' in u) return readMessage(u['message'], botId, receivedAt);
  if ('callback_query' in u) return readCallback(u['callback_query'], botId, receivedAt);
  if ('channel_post' in u) return readChannelPost(u['channel_post']);
  return { kind: 'ignored', reason: 'unhandled update type' };
}
