import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Router } from 'express';
import { InFlight } from '../in-flight.ts';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { ChannelDeps, ChannelFactory } from '../channels.ts';
import { createRealClient, type RealClientOptions, type WhatsappWebClient } from './whatsapp-web.client.ts';
import { WhatsappWebConnection, type BackoffPolicy, type Sleep } from './whatsapp-web.connection.ts';
import { toInbound } from './whatsapp-web.inbound.ts';
import { QR_PATH, whatsappQrRouter } from './whatsapp-web.qr.routes.ts';
import { lookupChatId, WhatsappWebSender, type ChatIdLookup } from './whatsapp-web.sender.ts';

const CHANNEL = 'whatsapp-web';

/** Seams for tests; production uses the defaults. */
export interface WhatsappWebOptions {
  /** Builds the whatsapp-web.js Client (tests pass a double). */
  readonly createClient?: (options: RealClientOptions) => WhatsappWebClient;
  /** Where the terminal QR code is printed (stderr by default). */
  readonly writeQr?: (text: string) => void;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  /** Milliseconds since the epoch, for the backoff reset (the product clock by default). */
  readonly now?: () => number;
  readonly sendTimeoutMs?: number;
}

/** The running WhatsApp Web channel, with what broadcasts and tests need beyond the runtime. */
export interface WhatsappWebChannel extends ChannelRuntime {
  readonly sender: WhatsappWebSender;
  readonly router: Router;
  readonly connection: WhatsappWebConnection;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The chat id of an E.164 phone number (imported contacts), or why there is none. */
  chatIdForPhone(phone: string): Promise<ChatIdLookup>;
  /** Resolves once every message received so far is answered. */
  idle(): Promise<void>;
}

/**
 * Wires the WhatsApp Web channel: the Client's 'message' events go through the conversation
 * pipeline and the replies go back with `sendMessage`, one chat at a time and in order.
 * 'message' (not 'message_create') never carries our own messages; the parser skips them too.
 */
export function createWhatsappWebChannel(deps: ChannelDeps, options: WhatsappWebOptions = {}): WhatsappWebChannel {
  const { config, pipeline, logger, clock } = deps;
  const client = (options.createClient ?? createRealClient)({ chromiumPath: config.CHROMIUM_PATH, dataDir: join(config.dataDir, CHANNEL) });
  const connection = new WhatsappWebConnection({
    client,
    logger,
    writeQr: options.writeQr,
    sleep: options.sleep,
    random: options.random,
    backoff: options.backoff,
    now: options.now ?? (() => clock.now().getTime()),
  });
  const senderDeps = { client, isReady: () => connection.isReady(), down: () => connection.down()?.reason ?? null, sendTimeoutMs: options.sendTimeoutMs };
  const sender = new WhatsappWebSender(senderDeps);
  // The pipeline orders each person's turns and the outbox their replies; this only tracks what
  // is in progress, so that stop() answers what already arrived.
  const inFlight = new InFlight();

  const onMessage = async (raw: unknown): Promise<void> => {
    const decision = toInbound(raw, clock.now());
    if (decision.kind === 'ignored') {
      logger.debug({ channel: CHANNEL, reason: decision.reason, type: decision.type }, 'whatsapp-web message ignored');
      return;
    }
    const { message } = decision;
    const work = pipeline.handle(message).then(
      () => undefined,
      (error: unknown) => logger.error({ channel: CHANNEL, err: { name: error instanceof Error ? error.name : 'unknown' } }, 'whatsapp-web message not handled'),
    );
    inFlight.track(work);
    await work;
  };
  client.on('message', (raw) => void onMessage(raw));

  return {
    channel: CHANNEL,
    sender,
    connection,
    router: whatsappQrRouter({ adminToken: config.ADMIN_TOKEN, status: () => connection.status(), logger }),
    pairing: () => connection.status(),
    async start() {
      connection.start();
    },
    async stop() {
      // Answer what already arrived (the pipeline drains after the channels stop), then close.
      await inFlight.idle();
      await connection.stop();
    },
    chatIdForPhone: (phone) => lookupChatId(senderDeps, phone),
    idle: () => inFlight.idle(),
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The channel factory: on when `WHATSAPP_WEB_ENABLED=true` (and, with the real client, when
 * `CHROMIUM_PATH` is an executable). Options are for tests.
 */
export function whatsappWebChannelFactory(options: WhatsappWebOptions = {}): ChannelFactory {
  return async (deps) => {
    const { config } = deps;
    if (!config.WHATSAPP_WEB_ENABLED) {
      return { status: { channel: CHANNEL, enabled: false, reason: 'WHATSAPP_WEB_ENABLED is not true' } };
    }
    if (!options.createClient && !isExecutable(config.CHROMIUM_PATH)) {
      return { status: { channel: CHANNEL, enabled: false, reason: `no Chromium at CHROMIUM_PATH (${config.CHROMIUM_PATH})` } };
    }
    const runtime = createWhatsappWebChannel(deps, options);
    const qr = config.ADMIN_TOKEN ? `QR code in the terminal and at GET ${QR_PATH}` : 'QR code in the terminal (set ADMIN_TOKEN to fetch it over HTTP)';
    return { runtime, detail: `unofficial WhatsApp Web client; session in ${join(config.dataDir, CHANNEL)}; ${qr}` };
  };
}

/** The WhatsApp Web channel as registered in `channels.ts`. */
export const whatsappWebChannel: ChannelFactory = whatsappWebChannelFactory();
