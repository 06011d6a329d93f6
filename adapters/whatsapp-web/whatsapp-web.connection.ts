import { setTimeout as delay } from 'node:timers/promises';
import qrcodeTerminal from 'qrcode-terminal';
import { z } from 'zod';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { WhatsappWebClient } from './whatsapp-web.client.ts';
import { withDeadline } from './whatsapp-web.deadline.ts';

/** Where the client is in its life: the QR route and the sender read it. */
export type ConnectionState = 'stopped' | 'starting' | 'qr' | 'ready' | 'reconnecting';

/** Waits `ms`; rejects when `signal` aborts (shutdown cancels a pending reconnect). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Backoff bounds: the first pause and the longest one. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/** 1 s, 2 s, 4 s ... at most 60 s. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/**
 * The pause before reconnect attempt `failures` (0 for the first): doubling from the base up
 * to the cap, minus up to 20 % of jitter so that restarts do not hit WhatsApp in lockstep.
 */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures, 30));
  return Math.round(exponential * (1 - 0.2 * random()));
}

/** What the connection is built from; everything with a default is injectable for tests. */
export interface ConnectionDeps {
  readonly client: WhatsappWebClient;
  readonly logger: Logger;
  /** Prints the login QR code (stderr by default): it is for the operator's eyes, not a log line. */
  readonly writeQr?: (text: string) => void;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  /** Why: `initialize()` navigates with no timeout; a hung start must not stall reconnection. */
  readonly initializeTimeoutMs?: number;
  /** Milliseconds since the epoch (tests move it by hand). */
  readonly now?: () => number;
}

/**
 * How long the client must stay ready before the backoff starts again from 1 s. Why: a
 * session that drops right after each start (two browsers fighting over it) must slow down.
 */
const STABLE_MS = 60_000;

const defaultSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, { signal });
};

const writeStderr = (text: string): void => {
  process.stderr.write(text);
};

/** The library's disconnect reasons are WAState names or fixed phrases, never personal data. */
const reasonSchema = z.string().max(60).catch('unknown');

const CHANNEL = 'whatsapp-web';

/**
 * Keeps the WhatsApp Web client logged in: starts it, shows the login QR code, and after a
 * 'disconnected' event re-initializes the same client with exponential backoff until it is
 * ready again or the product shuts down. A failed `initialize()` leaves Chromium running, so
 * every failure is followed by `destroy()`.
 */
export class WhatsappWebConnection {
  private state: ConnectionState = 'stopped';
  private qr: string | null = null;
  private failures = 0;
  private readySince: number | null = null;
  private stopped = true;
  private abort = new AbortController();
  private connecting: Promise<void> | null = null;
  /** Why the account cannot send since its last disconnection (LOGOUT, CONFLICT, ...), until ready again. */
  private downSince: { readonly reason: string; readonly at: number } | null = null;

  constructor(private readonly deps: ConnectionDeps) {
    const { client } = deps;
    client.on('qr', (qr) => this.onQr(qr));
    client.on('authenticated', () => {
      this.qr = null;
      deps.logger.info({ channel: CHANNEL }, 'whatsapp-web linked device authenticated');
    });
    client.on('auth_failure', () => {
      // Why down from here: a process started without a valid session never sees 'disconnected',
      // and its messages must be held (or sent another way), not tried until they die.
      this.downSince ??= { reason: 'AUTH_FAILURE', at: this.now() };
      // The payload is the library's text; it is not needed to act and is not logged.
      deps.logger.warn({ channel: CHANNEL }, 'whatsapp-web could not restore the saved session: scan the new QR code');
    });
    client.on('ready', () => {
      if (this.downSince) deps.logger.info({ channel: CHANNEL, downMs: this.now() - this.downSince.at }, 'whatsapp-web is back: held messages go out now');
      this.downSince = null;
      this.state = 'ready';
      this.qr = null;
      this.readySince = this.now();
      deps.logger.info({ channel: CHANNEL }, 'whatsapp-web ready');
    });
    client.on('disconnected', (reason) => this.onDisconnected(reasonSchema.parse(reason)));
  }

  /** The current state, and the QR code to scan when one is pending. */
  status(): { readonly state: ConnectionState; readonly qr: string | null } {
    return { state: this.state, qr: this.qr };
  }

  /** Whether messages can be sent now. */
  isReady(): boolean {
    return this.state === 'ready';
  }

  /** Why the channel is down (its last disconnection's reason) while it is not linked again; null otherwise. */
  down(): { readonly reason: string; readonly since: Date } | null {
    return this.downSince && this.state !== 'ready' ? { reason: this.downSince.reason, since: new Date(this.downSince.at) } : null;
  }

  /** Starts the client in the background: a slow or failing start never blocks the product. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.connect(false);
  }

  /** Resolves when no start or reconnect is under way (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.connecting) await this.connecting;
  }

  /** Cancels any pending reconnect and closes Chromium. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.state = 'stopped';
    this.qr = null;
    // Why destroy twice: the first makes an in-flight initialize() fail fast; the second
    // closes a browser that was still launching while we waited.
    await this.destroyQuietly();
    const running = this.connecting;
    if (running) await Promise.race([running, delay(10_000, undefined, { ref: false })]);
    await this.destroyQuietly();
  }

  private onQr(qr: unknown): void {
    const parsed = z.string().min(1).max(2_000).safeParse(qr);
    if (!parsed.success || this.stopped) return;
    this.qr = parsed.data;
    this.state = 'qr';
    // Not linked (a first start, or a session lost while the process was down): the channel is
    // down until the QR code is scanned, whatever happened before this process started.
    this.downSince ??= { reason: 'NOT_LINKED', at: this.now() };
    this.deps.logger.info({ channel: CHANNEL }, 'whatsapp-web needs a login: scan the QR code (terminal or GET /admin/whatsapp/qr.png)');
    const write = this.deps.writeQr ?? writeStderr;
    qrcodeTerminal.generate(parsed.data, { small: true }, (art) => {
      write(`\nWhatsApp: open WhatsApp on the NGO phone > Linked devices > Link a device, and scan:\n${art}\n`);
    });
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private onDisconnected(reason: string): void {
    this.qr = null;
    if (this.readySince !== null && this.now() - this.readySince >= STABLE_MS) this.failures = 0;
    this.readySince = null;
    if (this.stopped) return;
    // Why once: the library emits 'disconnected' twice for one logout; the NGO is told once.
    if (!this.downSince) {
      this.downSince = { reason, at: this.now() };
      const banned = reason === 'CONFLICT' || reason === 'UNPAIRED' || reason === 'UNLAUNCHED' || reason === 'TOS_BLOCK' || reason === 'SMB_TOS_BLOCK';
      this.deps.logger.warn(
        { channel: CHANNEL, reason, down: true },
        reason === 'LOGOUT' || banned
          ? 'whatsapp-web is DOWN (logged out or banned): link the NGO phone again (QR code); messages fall back to SMS where people have it, the rest are held'
          : 'whatsapp-web is down: reconnecting; messages fall back to SMS where people have it, the rest are held',
      );
    }
    if (this.state === 'starting' && reason === 'LOGOUT') return; // the second emit of one logout
    this.deps.logger.warn({ channel: CHANNEL, reason }, 'whatsapp-web disconnected');
    if (reason === 'LOGOUT') {
      // The phone removed this linked device. The library keeps its browser, wipes the
      // session and shows a new QR code by itself; re-initializing now would race with it.
      this.state = 'starting';
      return;
    }
    this.state = 'reconnecting';
    this.connect(true);
  }

  private connect(pauseFirst: boolean): void {
    if (this.connecting || this.stopped) return;
    const run = this.run(pauseFirst).finally(() => {
      if (this.connecting === run) this.connecting = null;
    });
    this.connecting = run;
  }

  private async run(pauseFirst: boolean): Promise<void> {
    let pause = pauseFirst;
    while (!this.stopped) {
      if (pause) {
        this.state = 'reconnecting';
        const ms = backoffDelay(this.failures, this.deps.random ?? Math.random, this.deps.backoff);
        this.failures++;
        this.deps.logger.info({ channel: CHANNEL, attempt: this.failures, delayMs: ms }, 'whatsapp-web reconnecting after a pause');
        try {
          await (this.deps.sleep ?? defaultSleep)(ms, this.abort.signal);
        } catch {
          return; // aborted: shutting down
        }
        if (this.stopped) return;
        await this.destroyQuietly();
      }
      if (!pause) this.state = 'starting';
      try {
        await withDeadline(this.deps.client.initialize(), this.deps.initializeTimeoutMs ?? 180_000, 'initialize');
        // WhatsApp Web is open: a QR code or the restored session ('ready') comes next.
        if (this.state === 'reconnecting') this.state = 'starting';
        return;
      } catch (error) {
        if (this.stopped) return;
        this.deps.logger.warn({ channel: CHANNEL, err: { name: errorName(error) } }, 'whatsapp-web could not start; retrying');
        await this.destroyQuietly();
        pause = true;
      }
    }
  }

  private async destroyQuietly(): Promise<void> {
    try {
      await this.deps.client.destroy();
    } catch (error) {
      this.deps.logger.debug({ channel: CHANNEL, err: { name: errorName(error) } }, 'whatsapp-web browser already gone');
    }
  }
}

function errorName(error: unknown): string {
  // The library also throws plain strings ('auth timeout'); those are fixed words.
  if (error instanceof Error) return error.name;
  return typeof error === 'string' ? error.slice(0, 40) : 'unknown';
}
