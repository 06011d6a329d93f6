import http from 'node:http';
import https from 'node:https';

/** What a JSON POST answered: the status, the Retry-After header, the parsed body (null when not JSON). */
export interface JsonAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

/** A request that got no answer within the time allowed; sending again is safe to try later. */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

export interface KeepAliveJsonClientOptions {
  /** Sockets kept open to the host; the outbox's concurrency is the natural value. */
  readonly maxSockets?: number;
  readonly timeoutMs?: number;
}

/**
 * POSTs JSON over node's own http(s) with a keep-alive agent. Why not fetch: undici's fetch
 * spends about 0.4 ms of CPU per request on web streams and abort signals, more than the rest
 * of a send together; at a broadcast's 1,000 messages/s that is most of a core. node:http with
 * reused sockets does the same request for a tenth of it, and nock intercepts it in tests.
 */
export class KeepAliveJsonClient {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly url: URL;
  /** The URL's host as http.request takes it (an IPv6 literal without its brackets). */
  private readonly hostname: string;
  private readonly timeoutMs: number;

  constructor(endpoint: string, options: KeepAliveJsonClientOptions = {}) {
    this.url = new URL(endpoint);
    this.hostname = this.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const secure = this.url.protocol === 'https:';
    this.transport = secure ? https : http;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16, scheduling: 'lifo' as const };
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** POSTs `payload` to the endpoint, or to `path` on the endpoint's host (one client, one pool, for an API's methods). */
  post(headers: Readonly<Record<string, string>>, payload: unknown, path?: string): Promise<JsonAnswer> {
    const body = JSON.stringify(payload);
    // Why the headers as a flat list: node checks and writes them in one pass, where an object is
    // first copied into the request's header map one setHeader at a time (a tenth of a request's
    // CPU at a broadcast's rate). With a list node adds no Host header: it is one of them, and
    // the caller's own Host or body headers are left out rather than sent twice.
    const lines: string[] = ['host', this.url.host];
    for (const name in headers) if (!OWN_HEADERS.has(name.toLowerCase())) lines.push(name, headers[name]!);
    lines.push('content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)));
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        {
          protocol: this.url.protocol,
          hostname: this.hostname,
          port: this.url.port,
          path: path ?? `${this.url.pathname}${this.url.search}`,
          method: 'POST',
          agent: this.agent,
          headers: lines,
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
              body: parseJson(Buffer.concat(chunks).toString('utf8')),
            });
          });
        },
      );
      request.on('timeout', () => request.destroy(new RequestTimeoutError(this.timeoutMs)));
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Closes the idle sockets, so that a stopping process is not held open by them. */
  close(): void {
    this.agent.destroy();
  }
}

/** The headers this client writes itself. */
const OWN_HEADERS: ReadonlySet<string> = new Set(['host', 'content-type', 'content-length']);

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
