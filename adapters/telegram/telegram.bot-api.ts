import { TelegramError } from 'telegraf';
import { KeepAliveJsonClient } from '../http-client/keep-alive-json-client.ts';
import type { TelegramMessagesApi } from './telegram.sender.ts';

/** What the Bot API answers a method call with: `{ ok: true, result }` or an error payload. */
type Answer = { ok: true; result: { message_id: number } } | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

/**
 * The Bot API methods the sender calls, as JSON POSTs over one keep-alive connection pool. Why
 * not telegraf's client for these: its node-fetch request and its option building cost as much
 * CPU per reply as everything else on the reply's way out together (bench:webhook); telegraf still
 * does the rest (getMe, setWebhook, polling, answering button taps). Failures are thrown as
 * telegraf's TelegramError, so one classification (telegram.send-result.ts) reads both.
 */
export class TelegramBotApi implements TelegramMessagesApi {
  private readonly client: KeepAliveJsonClient;
  private readonly prefix: string;

  constructor(apiRoot: string, token: string, options: { readonly timeoutMs?: number; readonly maxSockets?: number } = {}) {
    const root = new URL(apiRoot);
    this.client = new KeepAliveJsonClient(root.origin, { timeoutMs: options.timeoutMs ?? 15_000, maxSockets: options.maxSockets ?? 16 });
    this.prefix = `${root.pathname.replace(/\/+$/, '')}/bot${token}/`;
  }

  sendMessage(chatId: number | string, text: string, extra: Record<string, unknown> = {}): Promise<{ message_id: number }> {
    return this.call('sendMessage', { chat_id: chatId, text, ...extra });
  }

  sendVenue(chatId: number | string, latitude: number, longitude: number, title: string, address: string, extra: Record<string, unknown> = {}): Promise<{ message_id: number }> {
    return this.call('sendVenue', { chat_id: chatId, latitude, longitude, title, address, ...extra });
  }

  sendLocation(chatId: number | string, latitude: number, longitude: number, extra: Record<string, unknown> = {}): Promise<{ message_id: number }> {
    return this.call('sendLocation', { chat_id: chatId, latitude, longitude, ...extra });
  }

  /** Closes the idle sockets (shutdown). */
  close(): void {
    this.client.close();
  }

  private async call(method: string, payload: Record<string, unknown>): Promise<{ message_id: number }> {
    const answer = await this.client.post({}, payload, `${this.prefix}${method}`);
    const body = answer.body as Answer | null;
    if (body?.ok === true) return body.result;
    // No Bot API answer at all (a proxy's error page): its HTTP status says whether to retry.
    // An unreadable answer with a success status (a captive page) is retried like a 502.
    const status = answer.status >= 400 ? answer.status : 502;
    const error = body && body.ok === false ? body : { error_code: status, description: `no Bot API answer (HTTP ${answer.status})` };
    // Why not the payload in the error: it holds the person's words and chat id.
    throw new TelegramError(error, { method });
  }
}
