import { z } from 'zod';

/**
 * Zod schemas for what Meta posts to the webhook (the `messages` field of a WhatsApp Business
 * Account). Objects are not strict: Meta adds fields over time and old code must keep working.
 */

const unixSeconds = z.string().regex(/^\d{1,12}$/, 'must be a unix time in seconds');

/** Only `object` is read first, so that other products' notifications are acknowledged, not refused. */
export const webhookObjectSchema = z.object({ object: z.string() });

/** A WhatsApp Business Account notification: entries of changes, each for one webhook field. */
export const webhookSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

/** The value of a `messages` change. Messages and statuses are parsed one by one (see below). */
export const messagesValueSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  metadata: z.object({ display_phone_number: z.string(), phone_number_id: z.string() }),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  /** Errors about the whole notification (for example an unsupported webhook). */
  errors: z.array(z.object({ code: z.coerce.number() })).optional(),
});
/** A parsed `messages` change value. */
export type MessagesValue = z.output<typeof messagesValueSchema>;

/** What every inbound message has, whatever its type: enough to dedupe and to count the 24 h window. */
export const messageHeadSchema = z.object({
  id: z.string().min(1),
  from: z.string().min(1),
  timestamp: unixSeconds,
  type: z.string(),
});

const head = { id: z.string().min(1), from: z.string().min(1), timestamp: unixSeconds };
const reply = z.object({ id: z.string().min(1), title: z.string() });

/** The inbound message types the bot understands; others are acknowledged and ignored. */
export const understoodMessageSchema = z.discriminatedUnion('type', [
  z.object({ ...head, type: z.literal('text'), text: z.object({ body: z.string() }) }),
  z.object({
    ...head,
    type: z.literal('interactive'),
    interactive: z.discriminatedUnion('type', [
      z.object({ type: z.literal('button_reply'), button_reply: reply }),
      z.object({ type: z.literal('list_reply'), list_reply: reply.extend({ description: z.string().optional() }) }),
    ]),
  }),
  /** A quick-reply button of a template message: `payload` is what the template author set. */
  z.object({ ...head, type: z.literal('button'), button: z.object({ payload: z.string(), text: z.string() }) }),
  z.object({
    ...head,
    type: z.literal('location'),
    location: z.object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      name: z.string().optional(),
      address: z.string().optional(),
    }),
  }),
]);
/** An inbound message of a type the bot understands. */
export type UnderstoodMessage = z.output<typeof understoodMessageSchema>;

/** A delivery status callback for a message the bot sent. */
export const statusSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: unixSeconds,
  recipient_id: z.string(),
  errors: z.array(z.object({ code: z.coerce.number() })).optional(),
});

/** Turns a webhook unix-seconds string into a Date. */
export function fromUnixSeconds(seconds: string): Date {
  return new Date(Number(seconds) * 1000);
}
