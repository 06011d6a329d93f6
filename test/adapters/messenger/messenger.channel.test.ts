import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { messengerAppsPerTest } from './messenger.fixtures.ts';

const start = messengerAppsPerTest();

/** A logger that keeps what it is told, to check the start-up warning. */
function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('Messenger channel factory', () => {
  it('stays off without MicrosoftAppId (and no emulator flag), and says why', async () => {
    const app = await start({ emulator: false });
    expect(app.channelStatus.find((s) => s.channel === 'messenger')).toEqual({
      channel: 'messenger',
      enabled: false,
      reason: 'MicrosoftAppId not set (MESSENGER_EMULATOR=true runs it without authentication for the Bot Framework Emulator)',
    });
    expect(app.sender).toBeUndefined();
    expect((await request(app.http).post('/api/messages').send({ type: 'message' })).status).toBe(404);
  });

  it('stays off when the SDK rejects the app settings, naming the variable and no secret', async () => {
    const app = await start({ env: { MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'very-secret-value', MicrosoftAppType: 'SingleTenant' } });
    const status = app.channelStatus.find((s) => s.channel === 'messenger');
    expect(status).toMatchObject({ enabled: false, reason: expect.stringContaining('MicrosoftAppTenantId') });
    expect(JSON.stringify(status)).not.toContain('very-secret-value');
  });

  it('runs authenticated with an app id, without the start-up warning', async () => {
    const { lines, logger } = recordingLogger();
    const app = await start({ env: { MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'very-secret-value' }, logger });
    await app.start();
    expect(app.channelStatus.find((s) => s.channel === 'messenger')).toEqual({
      channel: 'messenger',
      enabled: true,
      detail: 'Bot Framework webhook /api/messages, authenticated as a MultiTenant app',
    });
    expect(lines.filter((l) => l.level === 'warn' && l.fields['channel'] === 'messenger')).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('very-secret-value');
  });

  it('runs unauthenticated for the Emulator only when asked, and warns once at start', async () => {
    const { lines, logger } = recordingLogger();
    const app = await start({ emulator: true, logger });
    expect(app.channelStatus.find((s) => s.channel === 'messenger')).toEqual({
      channel: 'messenger',
      enabled: true,
      detail: 'Bot Framework webhook /api/messages, UNAUTHENTICATED, Bot Framework Emulator mode',
    });
    await app.start();
    const warnings = lines.filter((l) => l.level === 'warn' && l.fields['channel'] === 'messenger');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/WITHOUT authentication/);
  });
});
