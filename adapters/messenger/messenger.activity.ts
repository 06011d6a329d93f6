import { z } from 'zod';
import type { JsonObject } from '../../core/dialog/json.ts';
import type { InboundContent, InboundMessage } from '../../core/messages.ts';

/** Any activity the Bot Connector posts: only its type is needed to decide what to do with it. */
export const activityEnvelopeSchema = z.object({ type: z.string().min(1).max(64) });

const account = z.object({ id: z.string().min(1).max(256), role: z.string().max(32).optional() });

/**
 * A message activity as the Bot Connector posts it (Bot Framework Activity schema v3). Loose:
 * the connector adds many fields we do not read (timestamp, entities, locale, ...).
 */
export const messageActivitySchema = z.object({
  type: z.literal('message'),
  id: z.string().min(1).max(256),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  from: account,
  recipient: account,
  conversation: z.object({ id: z.string().min(1).max(512), isGroup: z.boolean().optional() }),
  locale: z.string().max(32).optional(),
  // Why so large: a too-long message deserves a polite answer in chat, not an HTTP error.
  text: z.string().max(20_000).optional(),
  value: z.unknown().optional(),
  channelData: z.unknown().optional(),
});
/** A validated message activity. */
export type MessageActivity = z.output<typeof messageActivitySchema>;

/** Facebook's quick-reply tap, forwarded untouched in channelData: the payload is our choice id. */
const facebookQuickReplySchema = z.object({
  message: z.object({ quick_reply: z.object({ payload: z.string().min(1).max(1000) }) }),
});
/** Web Chat and the Emulator mark a postBack tap (its value arrives as hidden text). */
const webchatPostBackSchema = z.object({ postBack: z.literal(true) });

/** What the webhook does with one message activity. */
export type InboundDecision =
  | { readonly kind: 'message'; readonly message: InboundMessage; readonly reference: JsonObject }
  | { readonly kind: 'ignored'; readonly reason: 'own-message' | 'group-conversation' };

/**
 * The person's address id: `<channelId>:<from.id>` (on Facebook, from.id is the page-scoped
 * user id). Why not the conversation id: the Emulator opens a new conversation on every restart
 * while the user stays the same, and the prefix keeps ids of two Bot Framework channels apart.
 * The conversation id is kept in the stored conversation reference, which proactive sends use.
 */
export function addressIdOf(activity: MessageActivity): string {
  return `${activity.channelId}:${activity.from.id}`;
}

/**
 * What the person sent. A Facebook quick-reply tap carries the button title as text and our
 * choice id as payload; a Web Chat/Emulator postBack tap carries the choice id as text or value.
 * Anything else is typed text (an attachment alone is empty text: the dialog asks again).
 */
export function contentOf(activity: MessageActivity): InboundContent {
  const text = activity.text ?? '';
  const quickReply = facebookQuickReplySchema.safeParse(activity.channelData);
  if (quickReply.success) {
    const payload = quickReply.data.message.quick_reply.payload;
    return text.trim() ? { type: 'choice', choiceId: payload, label: text } : { type: 'choice', choiceId: payload };
  }
  if (typeof activity.value === 'string' && activity.value.trim()) {
    return text.trim() ? { type: 'choice', choiceId: activity.value, label: text } : { type: 'choice', choiceId: activity.value };
  }
  if (webchatPostBackSchema.safeParse(activity.channelData).success && text.trim()) return { type: 'choice', choiceId: text.trim() };
  return { type: 'text', text };
}

/**
 * The minimal conversation reference for later proactive sends: ids and URLs only. Why not the
 * whole `TurnContext.getConversationReference`: it copies display names (personal data) and the
 * inbound activity id, which a proactive message must not reply to.
 */
export function referenceOf(activity: MessageActivity): JsonObject {
  const reference: JsonObject = {
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    conversation: { id: activity.conversation.id },
    user: { id: activity.from.id },
    bot: { id: activity.recipient.id },
  };
  if (activity.locale) reference['locale'] = activity.locale;
  return reference;
}

/**
 * Turns a message activity into the core's inbound message, or says why it is ignored: our own
 * messages (the connector may echo them) and group conversations (a Messenger bot talks to one
 * person; in a group, one person's onboarding answers would be shown to all).
 */
export function decideInbound(activity: MessageActivity, receivedAt: Date): InboundDecision {
  if (activity.from.id === activity.recipient.id || activity.from.role === 'bot') return { kind: 'ignored', reason: 'own-message' };
  if (activity.conversation.isGroup === true) return { kind: 'ignored', reason: 'group-conversation' };
  return {
    kind: 'message',
    message: { id: activity.id, from: { channel: 'messenger', id: addressIdOf(activity) }, content: contentOf(activity), receivedAt },
    reference: referenceOf(activity),
  };
}
