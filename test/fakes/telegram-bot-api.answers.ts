/** Answers of the fake Bot API: the real error bodies and the checks of the send methods. */

/** An error body exactly as the Bot API sends it (the HTTP status is `error_code`). */
export interface BotApiError {
  readonly error_code: number;
  readonly description: string;
  readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number };
}

/** Real error bodies seen from api.telegram.org. */
export const BOT_API_ERRORS = {
  blocked: { error_code: 403, description: 'Forbidden: bot was blocked by the user' },
  deactivated: { error_code: 403, description: 'Forbidden: user is deactivated' },
  chatNotFound: { error_code: 400, description: 'Bad Request: chat not found' },
  serverError: { error_code: 500, description: 'Internal Server Error' },
  unauthorized: { error_code: 401, description: 'Unauthorized' },
  tooManyRequests: (retryAfter: number): BotApiError => ({
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
} as const satisfies Record<string, BotApiError | ((n: number) => BotApiError)>;

/** A method's answer: its result, or an error body. */
export type MethodOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: BotApiError };

/** Answers sendMessage, checking what the real API checks so that an adapter bug shows up as the real 400. */
export function answerSendMessage(body: Record<string, unknown>, bot: { id: number; first_name: string; username: string }, messageId: number): MethodOutcome {
  const chatId = body['chat_id'];
  const text = body['text'];
  if (chatId === undefined || chatId === '') return { ok: false, error: { error_code: 400, description: 'Bad Request: chat_id is empty' } };
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, error: { error_code: 400, description: 'Bad Request: message text is empty' } };
  if (text.length > 4096) return { ok: false, error: { error_code: 400, description: 'Bad Request: message is too long' } };
  const markup = body['reply_markup'] as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
  const tooLong = markup?.inline_keyboard?.flat().some((b) => Buffer.byteLength(b.callback_data ?? '') > 64);
  if (tooLong) return { ok: false, error: { error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' } };
  const message = {
    ...sentMessage(chatId, bot, messageId),
    text,
    // The real API echoes inline keyboards only.
    ...(markup?.inline_keyboard ? { reply_markup: { inline_keyboard: markup.inline_keyboard } } : {}),
  };
  return { ok: true, result: message };
}

/**
 * Answers sendLocation, and sendVenue when `venue` is set: the coordinates are required (title
 * and address are not checked, like the real API), and a venue message carries both `location`
 * and `venue`.
 */
export function answerSendLocation(
  body: Record<string, unknown>,
  bot: { id: number; first_name: string; username: string },
  messageId: number,
  venue: boolean,
): MethodOutcome {
  const chatId = body['chat_id'];
  if (chatId === undefined || chatId === '') return { ok: false, error: { error_code: 400, description: 'Bad Request: chat_id is empty' } };
  for (const field of ['latitude', 'longitude']) {
    if (body[field] === undefined || body[field] === '') return { ok: false, error: { error_code: 400, description: `Bad Request: ${field} is empty` } };
  }
  const location = { latitude: Number(body['latitude']), longitude: Number(body['longitude']) };
  const message = {
    ...sentMessage(chatId, bot, messageId),
    location,
    ...(venue ? { venue: { location, title: String(body['title'] ?? ''), address: String(body['address'] ?? '') } } : {}),
  };
  return { ok: true, result: message };
}

/** The fields every sent message has: id, the bot as sender, the chat and the date. */
function sentMessage(chatId: unknown, bot: { id: number; first_name: string; username: string }, messageId: number) {
  const id = Number(chatId);
  return {
    message_id: messageId,
    from: { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username },
    chat: id > 0 ? { id, type: 'private', first_name: 'Test' } : { id, type: 'supergroup', title: 'Test' },
    date: Math.floor(Date.now() / 1000),
  };
}
