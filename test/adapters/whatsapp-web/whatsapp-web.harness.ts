import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../adapters/app.ts';
import { loadConfig } from '../../../adapters/config.ts';
import { createWhatsappWebChannel, type WhatsappWebChannel, type WhatsappWebOptions } from '../../../adapters/whatsapp-web/whatsapp-web.channel.ts';
import type { ChannelSender } from '../../../core/ports/channel.port.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import { WHATSAPP_WEB_CAPABILITIES } from '../../../adapters/whatsapp-web/whatsapp-web.sender.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { FakeWhatsappWebClient } from '../../fakes/whatsapp-web-client.fake.ts';

/** One log call, kept to check what is (and is not) logged. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line. */
export function recordingLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The product (SQLite in a temp dir) with the WhatsApp Web channel on a client double. */
export interface Harness {
  readonly app: App;
  readonly fake: FakeWhatsappWebClient;
  readonly channel: WhatsappWebChannel;
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly qrWrites: string[];
  /** Waits until what arrived is processed and every reply it queued went out through the outbox. */
  settle(): Promise<void>;
  dispose(): Promise<void>;
}

/** Builds the harness; the channel is started and the client reported 'ready' unless told not to. */
export async function whatsappWebHarness(
  env: Record<string, string> = {},
  options: WhatsappWebOptions & { ready?: boolean; fake?: FakeWhatsappWebClient } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-wweb-'));
  // The channel is built after the product (it needs its pipeline): the outbox reaches it through this.
  const built: { sender?: ChannelSender } = {};
  const viaChannel: ChannelSender = {
    channel: 'whatsapp-web',
    capabilities: WHATSAPP_WEB_CAPABILITIES,
    send: (to, message) => built.sender!.send(to, message),
    down: () => built.sender?.down?.() ?? null,
  };
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }), { logger: silentLogger, senders: [viaChannel] });
  const fake = options.fake ?? new FakeWhatsappWebClient();
  const logger = recordingLogger();
  const qrWrites: string[] = [];
  const channel = createWhatsappWebChannel(
    { config: app.config, pipeline: app.pipeline, store: app.store, logger, clock: app.clock, onChannelPost: async () => {} },
    { createClient: () => fake, writeQr: (text) => void qrWrites.push(text), sleep: async () => {}, random: () => 0, ...options },
  );
  built.sender = channel.sender;
  await channel.start();
  await channel.connection.settled();
  if (options.ready !== false) fake.emit('ready');
  return {
    app,
    fake,
    channel,
    logger,
    qrWrites,
    async settle() {
      await channel.idle();
      await app.settle();
    },
    async dispose() {
      await channel.stop();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
