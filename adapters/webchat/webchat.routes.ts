import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Address, InboundContent } from '../../core/messages.ts';
import type { ConversationPipeline } from '../../core/pipeline/conversation-pipeline.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { WebchatHistory } from '../../core/ports/webchat-history.port.ts';
import { jsonBody } from '../http/json-body.ts';
import { sendValidationError } from '../http/validation-error.ts';
import { streamHistory } from './webchat-events.ts';
import { cursorOf, type WebchatSender, type WebchatSignals } from './webchat.sender.ts';
import { viewOf, viewOfEntry } from './webchat-view.ts';

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
    /** The label of the chosen option as the page showed it (kept in the history). */
    label: z.string().max(200).optional(),
    location: z.strictObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
    /** Opening the page: starts a new conversation or shows the pending question again. */
    start: z.literal(true).optional(),
    /** An organisation's code from the embed snippet, so that the person joins it (like a Telegram deep link). */
    payload: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, _ and -').optional(),
  })
  .refine((b) => [b.text, b.choiceId, b.location, b.start].filter((v) => v !== undefined).length === 1, {
    message: 'exactly one of text, choiceId, location or start is required',
    path: ['text'],
  });

const cursorParam = z.coerce.number().int().min(0);
const historyQuery = z.strictObject({ userId: webchatUserId, after: cursorParam.optional(), limit: z.coerce.number().int().min(1).max(100).default(50) });
const eventsQuery = z.strictObject({ userId: webchatUserId, after: cursorParam.optional() });

/** What the web chat routes are built from. */
export interface WebchatRouterDeps {
  readonly pipeline: ConversationPipeline;
  readonly clock: Clock;
  readonly sender: WebchatSender;
  readonly history: WebchatHistory;
  readonly signals: WebchatSignals;
  /** How often an event stream reads the store when not woken (other processes' messages). */
  readonly pollMs?: number;
}

type WebchatRequest = z.infer<typeof webchatRequestSchema>;

function contentOf(body: WebchatRequest): InboundContent {
  if (body.text !== undefined) return { type: 'text', text: body.text };
  if (body.choiceId !== undefined) return body.label === undefined ? { type: 'choice', choiceId: body.choiceId } : { type: 'choice', choiceId: body.choiceId, label: body.label };
  if (body.location !== undefined) return { type: 'location', latitude: body.location.latitude, longitude: body.location.longitude };
  return body.payload === undefined ? { type: 'start' } : { type: 'start', payload: body.payload };
}

/** The person's own words as the history keeps them (a pin is shown, never its coordinates). */
function echoOf(body: WebchatRequest): string | null {
  if (body.text !== undefined) return body.text.slice(0, 4000);
  if (body.choiceId !== undefined) return body.label ?? body.choiceId;
  if (body.location !== undefined) return '📍';
  return null;
}

/**
 * The web chat channel: `POST /api/webchat/messages` runs a turn and answers with its replies,
 * sent through the same sender (so stored in the history) as every other bot message;
 * `GET /api/webchat/messages` reads the history (a reload, or polling when events fail);
 * `GET /api/webchat/events` pushes new entries as server-sent events.
 */
export function webchatRouter(deps: WebchatRouterDeps): Router {
  const router = Router();
  const pollMs = deps.pollMs ?? 500;

  router.get('/api/webchat/messages', async (req, res) => {
    const parsed = historyQuery.safeParse(req.query);
    if (!parsed.success) {
      sendValidationError(res, parsed.error);
      return;
    }
    const { userId, after, limit } = parsed.data;
    const entries = await deps.history.list(userId, after === undefined ? { limit } : { after, limit });
    res.set('cache-control', 'no-store').json({ entries: entries.map(viewOfEntry), cursor: entries.at(-1)?.cursor ?? after ?? 0 });
  });

  router.get('/api/webchat/events', async (req, res) => {
    const parsed = eventsQuery.safeParse(req.query);
    const lastEventId = cursorParam.safeParse(req.get('last-event-id') ?? undefined);
    if (!parsed.success) {
      sendValidationError(res, parsed.error);
      return;
    }
    // A reconnecting browser says where it stopped; that wins over the page's first `after`.
    const after = lastEventId.success ? lastEventId.data : (parsed.data.after ?? (await latestCursor(deps.history, parsed.data.userId)));
    await streamHistory(req, res, parsed.data.userId, after, { history: deps.history, signals: deps.signals, pollMs });
  });

  router.post('/api/webchat/messages', ...jsonBody('64kb'), async (req, res) => {
    const parsed = webchatRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      sendValidationError(res, parsed.error);
      return;
    }
    const body = parsed.data;
    const to: Address = { channel: 'webchat', id: body.userId };
    const messageId = body.messageId ?? randomUUID();
    const echo = echoOf(body);
    if (echo !== null) await recordOnce(deps, body.userId, messageId, echo);
    // The turn's replies left through the outbox and the web chat's sender (so they are in the
    // history, for a reload or a second tab); the answer shows them with their history cursors.
    const replies = await deps.pipeline.handle({ id: messageId, from: to, content: contentOf(body), receivedAt: deps.clock.now() });
    const at = deps.clock.now().toISOString();
    res.json({ replies: replies.map((r) => viewOf(r.message, r.lang, cursorOf({ status: 'delivered', ...(r.sentAs ? { platformMessageId: r.sentAs } : {}) }), at)) });
  });
  return router;
}

async function latestCursor(history: WebchatHistory, userId: string): Promise<number> {
  return (await history.list(userId, { limit: 1 }))[0]?.cursor ?? 0;
}

/** Keeps the person's message once, even when the page retries it with the same id. */
async function recordOnce(deps: WebchatRouterDeps, userId: string, clientId: string, text: string): Promise<void> {
  const recent = await deps.history.list(userId, { limit: 20 });
  if (recent.some((e) => e.clientId === clientId)) return;
  await deps.sender.append(userId, { author: 'person', lang: null, message: { type: 'text', text }, clientId, at: deps.clock.now().toISOString() });
}
