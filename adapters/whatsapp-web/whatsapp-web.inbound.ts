import { z } from 'zod';
import type { InboundMessage } from '../../core/messages.ts';

/**
 * The fields of a whatsapp-web.js `Message` the adapter reads (src/structures/Message.js):
 * `id._serialized` is `<fromMe>_<chat id>_<message id>`, stable across redeliveries, so the
 * pipeline can dedupe on it; `from` is the chat id of a private chat (`…@c.us` for a phone
 * number, `…@lid` for WhatsApp's opaque "linked id"), a group (`…@g.us`), `status@broadcast`
 * or a channel (`…@newsletter`).
 */
const messageSchema = z.object({
  id: z.object({ fromMe: z.boolean(), _serialized: z.string().min(1).max(300) }),
  from: z.string().min(1).max(200),
  fromMe: z.boolean().optional(),
  type: z.string(),
  body: z.string().optional(),
  isStatus: z.boolean().optional(),
  broadcast: z.boolean().optional(),
  location: z.unknown().optional(),
});

// The typings say strings, the library fills numbers: accept both, then check the range.
const coordinate = z.union([z.number(), z.string().trim().min(1)]).pipe(z.coerce.number());
const locationSchema = z.object({
  latitude: coordinate.pipe(z.number().min(-90).max(90)),
  longitude: coordinate.pipe(z.number().min(-180).max(180)),
});

/** Media types (whatsapp-web.js MessageTypes) a person sends: answered with "text only, please". */
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'ptt', 'sticker', 'document', 'vcard', 'multi_vcard']);

/** Why a WhatsApp message does not reach the conversation core (logged, never answered). */
export type IgnoredReason = 'malformed' | 'own-message' | 'group' | 'status' | 'newsletter' | 'other-sender' | 'unsupported-type' | 'bad-location';

/** A WhatsApp message as the core sees it, or why it is left alone. */
export type InboundDecision =
  | { readonly kind: 'message'; readonly message: InboundMessage }
  | { readonly kind: 'ignored'; readonly reason: IgnoredReason; readonly type?: string };

/** A private chat with a person: a phone-number id or a linked id. */
const PRIVATE_CHAT = /^[^@\s]+@(c\.us|lid)$/;

/**
 * Narrows a 'message' event payload to an inbound message: text ('chat') and location pins
 * from private chats only. Our own messages, groups, status updates and channels are never
 * input; media, voice notes and stickers reach the core as 'unsupported' (it says it reads words only).
 */
export function toInbound(raw: unknown, receivedAt: Date): InboundDecision {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'ignored', reason: 'malformed' };
  const msg = parsed.data;
  // Why both flags: the library sets `fromMe` from `id.fromMe`; a changed shape must not make
  // the bot answer itself in a loop.
  if (msg.fromMe === true || msg.id.fromMe) return { kind: 'ignored', reason: 'own-message' };
  if (msg.isStatus === true || msg.from === 'status@broadcast') return { kind: 'ignored', reason: 'status' };
  if (msg.from.endsWith('@g.us')) return { kind: 'ignored', reason: 'group' };
  if (msg.from.endsWith('@newsletter')) return { kind: 'ignored', reason: 'newsletter' };
  if (!PRIVATE_CHAT.test(msg.from) || msg.broadcast === true) return { kind: 'ignored', reason: 'other-sender' };

  const base = { id: msg.id._serialized, from: { channel: 'whatsapp-web', id: msg.from }, receivedAt } as const;
  if (msg.type === 'chat') {
    return { kind: 'message', message: { ...base, content: { type: 'text', text: msg.body ?? '' } } };
  }
  if (msg.type === 'location') {
    const location = locationSchema.safeParse(msg.location);
    if (!location.success) return { kind: 'ignored', reason: 'bad-location' };
    return { kind: 'message', message: { ...base, content: { type: 'location', ...location.data } } };
  }
  // Media the person sent on purpose gets a kind "I read words only"; system notices do not.
  if (MEDIA_TYPES.has(msg.type)) return { kind: 'message', message: { ...base, content: { type: 'unsupported' } } };
  // The type name ('e2e_notification', ...) is a library constant, safe to log.
  return { kind: 'ignored', reason: 'unsupported-type', type: msg.type.slice(0, 40) };
}
