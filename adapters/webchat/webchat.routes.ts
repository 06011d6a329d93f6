import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { directionOf } from '../../core/i18n/languages.ts';
import type { InboundContent, OutboundMessage, Reply } from '../../core/messages.ts';
import type { ConversationPipeline } from '../../core/pipeline/conversation-pipeline.ts';
import { locationText } from '../../core/pipeline/map-link.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import { jsonBody } from '../http/json-body.ts';
import { sendValidationError } from '../http/validation-error.ts';
import type { WebchatMailbox } from './webchat-mailbox.ts';

/** A web chat user id: made by the page, kept in its browser only. */
const webchatUserId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 characters of A-Z, a-z, 0-9, _ and -');

/** The web chat request: who, and exactly one of a text, a chosen option, a location or a start. */
export const webchatRequestSchema = z
  .strictObject({
    userId: webchatUserId,
    messageId: z.string().min(1).max(100).optional(),
    // Why so large: a too-long message deserves a polite answer in chat, not an HTTP error.
    text: z.string().max(20_000).optional(),
    choiceId: z.string().min(1).max(64).optional(),
    location: z.strictObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
    /** Opening the page: starts a new conversation or shows the pending question again. */
    start: z.literal(true).optional(),
  })
  .refine((b) => [b.text, b.choiceId, b.location, b.start].filter((v) => v !== undefined).length === 1, {
    message: 'exactly one of text, choiceId, location or start is required',
    path: ['text'],
  });

const pollSchema = z.strictObject({ userId: webchatUserId });

/** One reply as the web chat shows it. */
export interface WebchatReply {
  readonly lang: string;
  readonly dir: 'ltr' | 'rtl';
  readonly type: Reply['message']['type'];
  readonly text: string;
  readonly choices?: readonly { readonly id: string; readonly label: string }[];
}

/** The text the page shows: a place is its name and a map link (the page has no map). */
function textOf(m: OutboundMessage): string {
  return m.type === 'location' ? locationText(m) : m.text;
}

function toWebchat(reply: Reply): WebchatReply {
  const m = reply.message;
  const base = { lang: reply.lang, dir: directionOf(reply.lang), type: m.type, text: textOf(m) };
  if (m.type === 'choices') return { ...base, choices: m.choices };
  if (m.type === 'location-request') return { ...base, choices: m.skip ? [m.skip] : [] };
  return base;
}

/**
 * The web chat channel: `POST /api/webchat/messages` answers with the bot's replies, so anyone
 * can hold every dialog in a browser without a messaging account.
 */
export function webchatRouter(pipeline: ConversationPipeline, clock: Clock, mailbox: WebchatMailbox): Router {
  const router = Router();
  // The page polls for what arrived outside its own turns (broadcasts, an NGO's answer).
  router.get('/api/webchat/messages', (req, res) => {
    const parsed = pollSchema.safeParse(req.query);
    if (!parsed.success) {
      sendValidationError(res, parsed.error);
      return;
    }
    res.set('cache-control', 'no-store').json({
      replies: mailbox.take(parsed.data.userId).map((message) => ({ lang: null, dir: 'auto', type: message.type, text: textOf(message), choices: message.type === 'choices' ? message.choices : [] })),
    });
  });
  router.post('/api/webchat/messages', ...jsonBody('64kb'), async (req, res) => {
    const parsed = webchatRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      sendValidationError(res, parsed.error);
      return;
    }
    const body = parsed.data;
    const content: InboundContent =
      body.text !== undefined
        ? { type: 'text', text: body.text }
        : body.choiceId !== undefined
          ? { type: 'choice', choiceId: body.choiceId }
          : body.location !== undefined
            ? { type: 'location', latitude: body.location.latitude, longitude: body.location.longitude }
            : { type: 'start' };
    const replies = await pipeline.handle({
      id: body.messageId ?? randomUUID(),
      from: { channel: 'webchat', id: body.userId },
      content,
      receivedAt: clock.now(),
    });
    res.json({ replies: replies.map(toWebchat) });
  });
  return router;
}
