import { TelegramError } from 'telegraf';
import { z } from 'zod';
import type { SendResult } from '../../core/ports/channel.port.ts';

/** The error part of a Bot API answer, as telegraf keeps it on `TelegramError.response`. */
const botApiErrorSchema = z.looseObject({
  error_code: z.number().int(),
  description: z.string().default(''),
  parameters: z.looseObject({ retry_after: z.number().nonnegative().optional() }).optional(),
});

/** Why a default: a 429 without retry_after still means "slow down"; one second is the usual ask. */
const DEFAULT_RETRY_AFTER_S = 1;

/**
 * A description safe for logs and results: Bot API descriptions name no person, but long digit
 * runs (chat or message ids) are masked anyway, and the length is capped.
 */
function safeDescription(description: string): string {
  return description.replace(/\d{5,}/g, '#').slice(0, 160);
}

/** Classifies a Bot API error answer (`{error_code, description, parameters}`). */
export function classifyBotApiError(response: unknown): SendResult {
  const parsed = botApiErrorSchema.safeParse(response);
  if (!parsed.success) return { status: 'transient-failure', detail: 'telegram: unreadable error answer' };
  const { error_code: code, description, parameters } = parsed.data;
  const text = description.toLowerCase();
  if (code === 429) return { status: 'rate-limited', retryAfterMs: Math.ceil((parameters?.retry_after ?? DEFAULT_RETRY_AFTER_S) * 1000) };
  if (code === 403 && text.includes('bot was blocked by the user')) return { status: 'unreachable', reason: 'blocked' };
  if (code === 403 && text.includes('user is deactivated')) return { status: 'unreachable', reason: 'deleted' };
  // The person never pressed Start: Telegram lets a bot write only to people who did.
  if (code === 403 && text.includes("can't initiate conversation")) return { status: 'unreachable', reason: 'not-on-channel' };
  if (code === 400 && text.includes('chat not found')) return { status: 'unreachable', reason: 'unknown-address' };
  const detail = `telegram ${code}: ${safeDescription(description)}`;
  if (code >= 500) return { status: 'transient-failure', detail };
  return { status: 'permanent-failure', detail };
}

/**
 * Classifies whatever a Bot API call threw. Bot API answers carry their error body; network
 * failures (node-fetch's FetchError, aborts, timeouts, resets) may succeed later. Only names and codes go
 * into `detail`: a fetch error message contains the request URL, and so the bot token.
 */
export function classifySendError(error: unknown): SendResult {
  if (error instanceof TelegramError) return classifyBotApiError(error.response);
  const e = error as { name?: unknown; code?: unknown; type?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : 'unknown';
  const code = typeof e?.code === 'string' ? e.code : typeof e?.type === 'string' ? e.type : undefined;
  const detail = `telegram: ${name}${code ? ` ${code}` : ''}`;
  if (name === 'FetchError' || name === 'AbortError' || name === 'TimeoutError' || (typeof code === 'string' && /^E[A-Z]+/.test(code))) return { status: 'transient-failure', detail };
  return { status: 'permanent-failure', detail };
}
