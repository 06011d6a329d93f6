/**
 * A fake Telegram Bot API on loopback, for tests of anything that talks to Telegram.
 *
 * Why a server and not nock: telegraf sends `Connection: keep-alive`, and nock 14 never ends
 * such replies; a real socket also exercises telegraf's own JSON and multipart encoding.
 *
 * Usage:
 * ```ts
 * const api = await startFakeBotApi({ rateLimit: { perSecond: 30, retryAfter: 1 } });
 * // point telegraf at it: new Telegraf(api.token, { telegram: { apiRoot: api.apiRoot } })
 * // or the product: loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot })
 * api.failChat(42, BOT_API_ERRORS.blocked);            // every call to chat 42 answers 403
 * api.failNext('sendMessage', BOT_API_ERRORS.tooManyRequests(3));
 * api.pushUpdate(update);                              // served by getUpdates (long polling)
 * await api.waitFor('sendMessage', 2);                 // resolves once two have arrived
 * api.sentMessages();                                  // bodies of delivered sendMessage calls
 * await api.close();
 * ```
 * URLs are `/bot<token>/<method>` as on api.telegram.org; answers are `{ok, result}` or the
 * real error bodies `{ok:false, error_code, description, parameters?}` with that HTTP status.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerSendLocation, answerSendMessage, BOT_API_ERRORS, type BotApiError, type MethodOutcome } from './telegram-bot-api.answers.ts';
import { parseBotApiBody } from './telegram-bot-api.body.ts';

export { BOT_API_ERRORS, type BotApiError } from './telegram-bot-api.answers.ts';

/** One request the fake received. `body` merges the query string and the JSON, form or multipart body. */
export interface RecordedCall {
  readonly method: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** HTTP status the fake answered with. */
  readonly status: number;
  /** The `result` answered (the sent message for sendMessage), absent for errors. */
  readonly result?: unknown;
  readonly at: number;
}

/** How the fake is set up. */
export interface FakeBotApiOptions {
  /** Bot token the fake accepts; other tokens get 401 like the real API. */
  readonly token?: string;
  /** Username answered by getMe. */
  readonly username?: string;
  /**
   * Flood control: when `perSecond` send* calls were accepted within the last second, the next
   * one gets 429 with `parameters.retry_after = retryAfter` (seconds). Rejected calls do not count.
   */
  readonly rateLimit?: { readonly perSecond: number; readonly retryAfter: number };
  /** Longest time getUpdates holds a request open when nothing is queued (default 10 s). */
  readonly maxLongPollMs?: number;
}

/** The bot the fake impersonates, as getMe answers it. */
export interface FakeBotInfo {
  readonly id: number;
  readonly is_bot: true;
  readonly first_name: string;
  readonly username: string;
  readonly can_join_groups: boolean;
  readonly can_read_all_group_messages: boolean;
  readonly supports_inline_queries: boolean;
}

/** The webhook last registered with setWebhook (null after deleteWebhook). */
export interface FakeWebhook {
  readonly url: string;
  readonly secret_token?: string;
  readonly allowed_updates?: readonly string[];
}

interface Scripted {
  readonly error: BotApiError;
  remaining: number;
}

/** Methods that count for flood control. */
const isSend = (method: string): boolean => method.startsWith('send') && method !== 'sendChatAction';

/** A running fake; see the module comment for an example. */
export class FakeBotApi {
  /** Every request, in arrival order (getUpdates included). */
  readonly calls: RecordedCall[] = [];
  /** How many requests were refused by `rateLimit`. */
  rateLimitedCount = 0;
  /** Set by setWebhook, cleared by deleteWebhook. */
  webhook: FakeWebhook | null = null;
  /** Flood control in force; may be changed while running. */
  rateLimit: FakeBotApiOptions['rateLimit'];
  readonly botInfo: FakeBotInfo;

  private readonly updates: Record<string, unknown>[] = [];
  private readonly chatFailures = new Map<string, Scripted>();
  private readonly methodFailures = new Map<string, Scripted[]>();
  private readonly acceptedSends: number[] = [];
  private readonly listeners = new Set<() => void>();
  private nextMessageId = 1;
  private closing = false;

  constructor(
    private readonly server: Server,
    readonly token: string,
    options: FakeBotApiOptions,
    private readonly maxLongPollMs: number,
  ) {
    this.rateLimit = options.rateLimit;
    const id = Number(token.split(':')[0]);
    this.botInfo = {
      id,
      is_bot: true,
      first_name: 'Passerelle Test',
      username: options.username ?? 'passerelle_test_bot',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
  }

  /** The root to give telegraf (`telegram.apiRoot`) or TELEGRAM_API_ROOT. */
  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Calls of one method, in arrival order. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Bodies of the sendMessage calls that were answered ok, in order. */
  sentMessages(): Record<string, unknown>[] {
    return this.callsTo('sendMessage')
      .filter((c) => c.status === 200)
      .map((c) => ({ ...c.body }));
  }

  /** Forgets the recorded calls (not the scripted errors nor the queued updates). */
  clearCalls(): void {
    this.calls.length = 0;
    this.rateLimitedCount = 0;
  }

  /** Every call naming this chat (`chat_id`) answers `error`, `times` times (default: always). */
  failChat(chatId: number | string, error: BotApiError, times = Number.POSITIVE_INFINITY): void {
    this.chatFailures.set(String(chatId), { error, remaining: times });
  }

  /** The next `times` calls of `method` answer `error` (queued after earlier scripts). */
  failNext(method: string, error: BotApiError, times = 1): void {
    const queue = this.methodFailures.get(method) ?? [];
    queue.push({ error, remaining: times });
    this.methodFailures.set(method, queue);
  }

  /** Queues updates for getUpdates; a missing `update_id` is numbered after the last one. */
  pushUpdate(...updates: Record<string, unknown>[]): void {
    for (const update of updates) {
      const last = this.updates.at(-1)?.['update_id'];
      const update_id = update['update_id'] ?? (typeof last === 'number' ? last + 1 : 1);
      this.updates.push({ ...update, update_id });
    }
    this.notify();
  }

  /** Updates not yet confirmed by a getUpdates with a higher offset. */
  get pendingUpdates(): number {
    return this.updates.length;
  }

  /** Resolves once `count` calls of `method` have been answered; rejects after `timeoutMs`. */
  async waitFor(method: string, count: number, timeoutMs = 5_000): Promise<RecordedCall[]> {
    return this.until(() => this.callsTo(method).length >= count, timeoutMs, `${count} ${method} call(s)`).then(() => this.callsTo(method));
  }

  /** Resolves when `check` holds after some request; rejects after `timeoutMs`. */
  until(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`fake Bot API: timed out waiting for ${what}`));
      }, timeoutMs);
      const listener = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }

  /** Ends held long polls, drops every connection and stops listening. */
  async close(): Promise<void> {
    this.closing = true;
    this.notify();
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  /** Handles one HTTP request (wired by startFakeBotApi). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const body = await parseBotApiBody(req, url);
    if (!match) return this.answer(res, '(none)', body, { error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    if (token !== this.token) return this.answer(res, method, body, BOT_API_ERRORS.unauthorized);
    const scripted = this.scriptedError(method, body);
    if (scripted) return this.answer(res, method, body, scripted);
    if (isSend(method) && this.rateLimit && this.overLimit(this.rateLimit.perSecond)) {
      this.rateLimitedCount++;
      return this.answer(res, method, body, BOT_API_ERRORS.tooManyRequests(this.rateLimit.retryAfter));
    }
    const outcome = method === 'getUpdates' ? await this.getUpdates(body, req) : this.result(method, body);
    if (outcome.ok && isSend(method)) this.acceptedSends.push(Date.now());
    return this.answer(res, method, body, outcome.ok ? { result: outcome.result } : outcome.error);
  }

  private scriptedError(method: string, body: Record<string, unknown>): BotApiError | null {
    const queue = this.methodFailures.get(method);
    const byMethod = queue?.[0];
    if (byMethod) {
      if (--byMethod.remaining <= 0) queue.shift();
      return byMethod.error;
    }
    const chatId = body['chat_id'];
    const byChat = chatId === undefined ? undefined : this.chatFailures.get(String(chatId));
    if (byChat && byChat.remaining > 0) {
      byChat.remaining--;
      return byChat.error;
    }
    return null;
  }

  private overLimit(perSecond: number): boolean {
    const since = Date.now() - 1_000;
    while (this.acceptedSends.length > 0 && this.acceptedSends[0]! <= since) this.acceptedSends.shift();
    return this.acceptedSends.length >= perSecond;
  }

  private result(method: string, body: Record<string, unknown>): MethodOutcome {
    switch (method) {
      case 'getMe':
        return { ok: true, result: this.botInfo };
      case 'setWebhook':
        this.webhook = { url: String(body['url']), secret_token: body['secret_token'] as string | undefined, allowed_updates: body['allowed_updates'] as string[] | undefined };
        return { ok: true, result: true };
      case 'deleteWebhook':
        this.webhook = null;
        return { ok: true, result: true };
      case 'getWebhookInfo':
        return { ok: true, result: { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.updates.length } };
      case 'answerCallbackQuery':
        if (typeof body['callback_query_id'] !== 'string' || body['callback_query_id'] === '') {
          return { ok: false, error: { error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' } };
        }
        return { ok: true, result: true };
      case 'sendMessage':
        return answerSendMessage(body, this.botInfo, this.nextMessageId++);
      case 'sendLocation':
      case 'sendVenue':
        return answerSendLocation(body, this.botInfo, this.nextMessageId++, method === 'sendVenue');
      case 'editMessageReplyMarkup':
      case 'deleteMessage':
      case 'sendChatAction':
        return { ok: true, result: true };
      default:
        return { ok: false, error: { error_code: 404, description: 'Not Found: method not found' } };
    }
  }

  /** Long polling: confirms updates below `offset`, then answers at once or when one is queued. */
  private async getUpdates(body: Record<string, unknown>, req: IncomingMessage): Promise<{ ok: true; result: unknown }> {
    const offset = Number(body['offset'] ?? 0);
    const limit = Math.min(Math.max(Number(body['limit'] ?? 100), 1), 100);
    const timeoutMs = Math.min(Number(body['timeout'] ?? 0) * 1_000, this.maxLongPollMs);
    const confirmed = this.updates.findIndex((u) => Number(u['update_id']) >= offset);
    this.updates.splice(0, confirmed === -1 ? this.updates.length : confirmed);
    if (this.updates.length === 0 && timeoutMs > 0 && !this.closing) {
      let gone = false;
      req.socket.once('close', () => (gone = true));
      await this.until(() => this.updates.length > 0 || this.closing || gone, timeoutMs).catch(() => undefined);
    }
    return { ok: true, result: this.updates.slice(0, limit) };
  }

  private answer(res: ServerResponse, method: string, body: Record<string, unknown>, outcome: { result: unknown } | BotApiError): void {
    const status = 'result' in outcome ? 200 : outcome.error_code;
    const payload = 'result' in outcome ? { ok: true, result: outcome.result } : { ok: false, ...outcome };
    this.calls.push({ method, body, status, at: Date.now(), ...('result' in outcome ? { result: outcome.result } : {}) });
    if (!res.destroyed) {
      const text = JSON.stringify(payload);
      // An explicit content-length lets keep-alive clients finish reading the reply.
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Starts a fake Bot API on 127.0.0.1 at a free port. */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = options.token ?? '7000000001:AAFakeTokenForTestsOnly_abcdefghijk';
  const server = createServer();
  const api = new FakeBotApi(server, token, options, options.maxLongPollMs ?? 10_000);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    api.handle(req, res).catch(() => {
      // Malformed JSON, mostly; the real API answers 400 too.
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' }).end('{"ok":false,"error_code":400,"description":"Bad Request"}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return api;
}
