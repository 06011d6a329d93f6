import { join } from 'node:path';
import wwebjs from 'whatsapp-web.js';

// Why the default import: the package is CommonJS; named ESM imports type-check but fail at run
// time (see STACK.md).
const { Client, LocalAuth } = wwebjs;

/** What the adapter sends: a text, or a place as the library's Location (a native pin). */
export type WhatsappWebContent = string | wwebjs.Location;

/** The Client events the adapter listens to (the library's own event names). */
export type WhatsappWebEvent = 'qr' | 'authenticated' | 'auth_failure' | 'ready' | 'disconnected' | 'message';

/**
 * The part of whatsapp-web.js's Client the adapter uses. Event payloads and answers are
 * `unknown` here and narrowed with zod where they are read, so that a double (tests) or a
 * library update cannot slip an unexpected shape past the adapter.
 */
export interface WhatsappWebClient {
  on(event: WhatsappWebEvent, listener: (...args: unknown[]) => void): unknown;
  /** Launches Chromium, opens WhatsApp Web and emits 'qr' or restores the saved session. */
  initialize(): Promise<void>;
  /** Closes Chromium; safe to call when it is not running. */
  destroy(): Promise<void>;
  /** Sends a text or a pin; resolves with the sent Message (or nothing when WhatsApp found no chat). */
  sendMessage(chatId: string, content: WhatsappWebContent): Promise<unknown>;
  /** The WhatsApp id of a phone number (digits only), or null when it is not on WhatsApp. */
  getNumberId(number: string): Promise<unknown>;
  /** Whether a `…@c.us` id (or phone digits) is a WhatsApp account. */
  isRegisteredUser(id: string): Promise<boolean>;
}

/** What the real client is built from. */
export interface RealClientOptions {
  /** Chromium or Chrome binary (Debian: /usr/bin/chromium). */
  readonly chromiumPath: string;
  /** The channel's own folder: the login session and the cached WhatsApp Web page live here. */
  readonly dataDir: string;
  /** More Chromium switches (tests use a resolver rule so that nothing leaves the machine). */
  readonly extraArgs?: readonly string[];
}

/**
 * Chromium switches for a headless browser in a container, often as root: no sandbox (root
 * cannot use it), no GPU, and /tmp instead of the tiny /dev/shm Docker gives by default.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-extensions',
];

/**
 * Builds the real whatsapp-web.js Client. Nothing starts until `initialize()`. LocalAuth keeps
 * the linked-device session in `<dataDir>/session`, so a restart needs no new QR scan; the
 * WhatsApp Web page cache goes to `<dataDir>/web-cache` instead of the working directory.
 */
export function createRealClient(options: RealClientOptions): WhatsappWebClient {
  const launch = {
    executablePath: options.chromiumPath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
  };
  return new Client({
    authStrategy: new LocalAuth({ dataPath: options.dataDir }),
    webVersionCache: { type: 'local', path: join(options.dataDir, 'web-cache') },
    puppeteer: launch,
  });
}
