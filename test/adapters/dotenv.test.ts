import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../adapters/config.ts';
import { withDotEnv } from '../../adapters/dotenv.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dotEnv(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-dotenv-'));
  dirs.push(dir);
  writeFileSync(join(dir, '.env'), text);
  return join(dir, '.env');
}

describe('.env, as .env.example says', () => {
  it('adds its variables (comments, quotes, blank values as in .env.example) under those already set', () => {
    const file = dotEnv('# copied from .env.example\nPORT=8081\nDEFAULT_LANGUAGE="fr"\nADMIN_TOKEN=\nLOG_LEVEL=debug\n');
    const env = withDotEnv({ LOG_LEVEL: 'warn' }, file);
    expect(env).toEqual({ PORT: '8081', DEFAULT_LANGUAGE: 'fr', ADMIN_TOKEN: '', LOG_LEVEL: 'warn' });
    const config = loadConfig(env);
    expect([config.PORT, config.DEFAULT_LANGUAGE, config.LOG_LEVEL]).toEqual([8081, 'fr', 'warn']);
  });

  it('is optional', () => {
    expect(withDotEnv({ PORT: '1' }, join(tmpdir(), 'no-such-dir-passerelle', '.env'))).toEqual({ PORT: '1' });
  });
});
