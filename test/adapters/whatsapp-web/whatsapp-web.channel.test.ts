import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../../adapters/app.ts';
import { loadConfig } from '../../../adapters/config.ts';
import { createRealClient, type WhatsappWebClient } from '../../../adapters/whatsapp-web/whatsapp-web.client.ts';
import { createWhatsappWebChannel, whatsappWebChannel } from '../../../adapters/whatsapp-web/whatsapp-web.channel.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { recordingLogger } from './whatsapp-web.harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-wweb-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function app(env: Record<string, string>): Promise<App> {
  const built = await createApp(loadConfig({ DATA_DIR: tempDir(), LOG_LEVEL: 'silent', ...env }), { logger: silentLogger });
  cleanups.push(() => built.close());
  return built;
}

function deps(built: App, logger = recordingLogger()) {
  return { config: built.config, pipeline: built.pipeline, store: built.store, logger, clock: built.clock, onChannelPost: async () => {} };
}

describe('whatsapp-web channel factory', () => {
  it('stays off without WHATSAPP_WEB_ENABLED, and says why', async () => {
    const built = await app({});
    expect(built.channelStatus).toContainEqual({ channel: 'whatsapp-web', enabled: false, reason: 'WHATSAPP_WEB_ENABLED is not true' });
    expect(built.channels.map((c) => c.channel)).not.toContain('whatsapp-web');
    expect(await whatsappWebChannel(deps(built))).toEqual({ status: { channel: 'whatsapp-web', enabled: false, reason: 'WHATSAPP_WEB_ENABLED is not true' } });
  });

  it('stays off when CHROMIUM_PATH has no browser', async () => {
    const built = await app({ WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(built.channelStatus).toContainEqual({ channel: 'whatsapp-web', enabled: false, reason: 'no Chromium at CHROMIUM_PATH (/nonexistent/chromium)' });
  });

  it('builds the real Client with LocalAuth (no browser yet) and mounts the QR route in the product', async () => {
    const built = await app({ WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: CHROMIUM, ADMIN_TOKEN });
    const status = built.channelStatus.find((s) => s.channel === 'whatsapp-web');
    expect(status).toMatchObject({ enabled: true, detail: expect.stringContaining('GET /admin/whatsapp/qr.png') });
    expect(JSON.stringify(status)).not.toContain(ADMIN_TOKEN);

    const res = await request(built.http).get('/admin/whatsapp/qr.png').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'no QR code pending', state: 'stopped' });
    expect((await request(built.http).get('/admin/whatsapp/qr.png').set('Authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
  });
});

describe('whatsapp-web with the real library and Chromium (no network)', () => {
  it('destroys the browser after initialize() fails, keeps the session folder, and stops cleanly', async () => {
    const built = await app({ WHATSAPP_WEB_ENABLED: 'true', CHROMIUM_PATH: CHROMIUM });
    const logger = recordingLogger();
    let real: WhatsappWebClient | undefined;
    const channel = createWhatsappWebChannel(deps(built, logger), {
      // Why the resolver rule: every host fails to resolve, here and on a machine with network.
      createClient: (options) => (real = createRealClient({ ...options, extraArgs: ['--host-resolver-rules=MAP * ~NOTFOUND'] })),
      // Hold the retry until shutdown, so exactly one start is observed.
      sleep: (_ms, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
      writeQr: () => {},
    });
    cleanups.push(() => channel.stop());
    await channel.start();

    await vi.waitFor(() => expect(logger.lines.map((l) => l.message)).toContain('whatsapp-web reconnecting after a pause'), { timeout: 15_000, interval: 100 });
    const failure = logger.lines.find((l) => l.message === 'whatsapp-web could not start; retrying');
    expect(failure?.fields).toEqual({ channel: 'whatsapp-web', err: { name: 'Error' } });
    const browser = (real as unknown as { pupBrowser: { isConnected(): boolean; process(): { exitCode: number | null; signalCode: string | null } | null } }).pupBrowser;
    expect(browser.isConnected()).toBe(false);
    expect(existsSync(join(built.config.dataDir, 'whatsapp-web', 'session'))).toBe(true);
    expect(channel.connection.status()).toEqual({ state: 'reconnecting', qr: null });

    await channel.stop();
    await channel.connection.settled();
    expect(channel.connection.status().state).toBe('stopped');
  });
});
