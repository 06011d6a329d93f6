/**
 * Runs the real `adapters/main.ts` (what `npm start` runs) as a child process, and talks to it
 * over plain TCP sockets.
 *
 * Why raw sockets and not fetch or http.request: nock's interceptors (test/setup) wrap both and
 * may buffer a request body until it ends; a test that holds a request open must know exactly
 * which bytes the server has seen.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root (the child runs there, as `npm start` does). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Variables the product reads; a developer's shell (or CI) must not leak them into the child. */
const PRODUCT_VARIABLE =
  /^(PORT|HOST|DATA_DIR|MONGODB_URI|SQLITE_\w+|LOG_LEVEL|DEFAULT_LANGUAGE|IDLE_TIMEOUT_MINUTES|ADMIN_TOKEN|CHROMIUM_PATH|GRAPH_API_URL|TELEGRAM_\w+|WHATSAPP_\w+|Microsoft\w+|MESSENGER_\w+|RATE_\w+|DISPATCH_\w+|DEEPL_\w+|LIBRETRANSLATE_\w+)$/;

/** A port nobody listens on right now: listen on 0, read the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** How the child ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running `adapters/main.ts`. */
export interface MainProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** stdout parsed as pino JSON lines (a line that is not JSON fails the test). */
  logLines(): Record<string, unknown>[];
  readonly exited: Promise<Exit>;
  /** Ends the child if it still runs (test clean-up). */
  kill(): Promise<void>;
}

/** Spawns `node --import tsx adapters/main.ts` with the product variables of `env` only. */
export function startMain(env: Record<string, string>): MainProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !PRODUCT_VARIABLE.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { cwd: REPO_ROOT, env: { ...inherited, ...env } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    logLines: () =>
      out
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** An HTTP answer read off the socket. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An HTTP/1.1 request on its own connection (`Connection: close`), written when the test says. */
export interface OpenRequest {
  /** Sends more bytes of the request. */
  write(bytes: string): void;
  /** Set once the first byte of the answer arrived. */
  readonly answered: () => boolean;
  /** The whole answer, once the server closed the connection; rejects on a reset. */
  readonly response: Promise<RawResponse>;
  destroy(): void;
}

/** Opens a connection and writes nothing yet; see {@link requestHead}. */
export function openRequest(port: number): OpenRequest {
  const socket = connect(port, '127.0.0.1');
  let raw = '';
  let answered = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    answered = true;
    raw += chunk;
  });
  const response = new Promise<RawResponse>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', () => {
      const split = raw.indexOf('\r\n\r\n');
      if (split === -1) return reject(new Error(`connection closed without an HTTP answer (${raw.length} bytes)`));
      const [statusLine, ...headerLines] = raw.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: raw.slice(split + 4) });
    });
  });
  response.catch(() => undefined);
  return { write: (bytes) => socket.write(bytes), answered: () => answered, response, destroy: () => socket.destroy() };
}

/** The head of a request with a JSON body of `body` (or none). */
export function requestHead(method: string, path: string, body?: string): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** One whole request; the answer or a rejection after `timeoutMs`. */
export async function httpRequest(port: number, method: string, path: string, json?: unknown, timeoutMs = 5_000): Promise<RawResponse> {
  const body = json === undefined ? undefined : JSON.stringify(json);
  const req = openRequest(port);
  req.write(requestHead(method, path, body) + (body ?? ''));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([req.response, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls GET /healthz until it answers 200 (the child listens), or fails after `timeoutMs`. */
export async function waitForHealth(main: MainProcess, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await httpRequest(port, 'GET', '/healthz', undefined, 1_000).catch(() => null);
    if (res?.status === 200) return;
    if (main.child.exitCode !== null) throw new Error(`main.ts exited with ${main.child.exitCode}: ${main.stderr()}`);
    if (Date.now() > deadline) throw new Error(`GET /healthz did not answer within ${timeoutMs} ms; stderr: ${main.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves `true` when the child answers GET /healthz within `withinMs`, `false` when it does not. */
export async function answersWithin(port: number, withinMs: number): Promise<boolean> {
  return httpRequest(port, 'GET', '/healthz', undefined, withinMs).then(
    () => true,
    () => false,
  );
}
