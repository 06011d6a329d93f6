import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppOverrides } from '../../adapters/app.ts';
import { loadConfig } from '../../adapters/config.ts';
import { silentLogger } from '../../core/ports/logger.port.ts';

/** A whole product on a fresh temp data directory (SQLite), no channel credentials. */
export async function testApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<App & { dataDir: string; dispose(): Promise<void> }> {
  const dataDir = env['DATA_DIR'] ?? mkdtempSync(join(tmpdir(), 'passerelle-test-'));
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }), { logger: silentLogger, ...overrides });
  return Object.assign(app, {
    dataDir,
    async dispose() {
      await app.close();
      if (!env['DATA_DIR']) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-11-28T10:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}
