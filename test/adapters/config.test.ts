import { isAbsolute, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../adapters/config.ts';
import { ConfigError } from '../../core/errors.ts';

/** The ConfigError loadConfig throws for `env` (fails the test when it does not throw one). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadConfig accepted an invalid configuration');
}

/** The variable names the message lists, in order (`  - NAME: why`). */
const listed = (error: ConfigError): string[] => [...error.message.matchAll(/^ {2}- (\S+): /gm)].map((m) => m[1]!);

const CLOUD = {
  WHATSAPP_CLOUD_TOKEN: 'EAAGcloud-token-not-real',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_CLOUD_APP_SECRET: 'cloud-app-secret-0123456789',
  WHATSAPP_CLOUD_VERIFY_TOKEN: 'cloud-verify-token',
};

describe('loadConfig', () => {
  it('runs on an empty environment with the documented defaults and every channel off', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: 'data',
      LOG_LEVEL: 'info',
      DEFAULT_LANGUAGE: 'en',
      IDLE_TIMEOUT_MINUTES: 720,
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      GRAPH_API_URL: 'https://graph.facebook.com/v23.0',
      WHATSAPP_WEB_ENABLED: false,
      MESSENGER_EMULATOR: false,
      MicrosoftAppType: 'MultiTenant',
      RATE_TELEGRAM: 30,
      RATE_WHATSAPP_CLOUD: 80,
      RATE_WHATSAPP_WEB: 1,
      RATE_MESSENGER: 40,
      DISPATCH_CONCURRENCY: 8,
      DISPATCH_LEASE_SECONDS: 60,
      DISPATCH_MAX_ATTEMPTS: 5,
    });
    // The SQLite file goes under an absolute directory, whatever the process does with its cwd later.
    expect(isAbsolute(config.dataDir)).toBe(true);
    expect(config.dataDir).toBe(resolve(process.cwd(), 'data'));
    // No channel, no database server, no translator.
    for (const name of [
      'MONGODB_URI',
      'ADMIN_TOKEN',
      'TELEGRAM_BOT_TOKEN',
      'TELEGRAM_WEBHOOK_URL',
      'TELEGRAM_WEBHOOK_SECRET',
      'WHATSAPP_CLOUD_TOKEN',
      'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
      'WHATSAPP_CLOUD_APP_SECRET',
      'WHATSAPP_CLOUD_VERIFY_TOKEN',
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'DEEPL_AUTH_KEY',
      'LIBRETRANSLATE_URL',
    ] as const) {
      expect(config[name], name).toBeUndefined();
    }
  });

  it('resolves DATA_DIR against the working directory, and keeps an absolute one', () => {
    expect(loadConfig({ DATA_DIR: 'var/passerelle' }).dataDir).toBe(resolve(process.cwd(), 'var/passerelle'));
    expect(loadConfig({ DATA_DIR: '/srv/passerelle' }).dataDir).toBe('/srv/passerelle');
  });

  it('reads numbers and the port range', () => {
    expect(loadConfig({ PORT: '8080', RATE_TELEGRAM: '2.5', IDLE_TIMEOUT_MINUTES: '30' })).toMatchObject({ PORT: 8080, RATE_TELEGRAM: 2.5, IDLE_TIMEOUT_MINUTES: 30 });
    expect(loadConfig({ PORT: '65535' }).PORT).toBe(65535);
    expect(listed(configError({ PORT: '65536' }))).toEqual(['PORT']);
    expect(listed(configError({ PORT: '-1' }))).toEqual(['PORT']);
  });

  it('lists every problem at once, in one ConfigError, with the count', () => {
    const error = configError({
      PORT: '99999',
      LOG_LEVEL: 'chatty',
      DEFAULT_LANGUAGE: 'xx',
      IDLE_TIMEOUT_MINUTES: '0',
      ADMIN_TOKEN: 'short',
      TELEGRAM_API_ROOT: 'not a url',
      MicrosoftAppType: 'Personal',
      RATE_MESSENGER: '-3',
      DISPATCH_CONCURRENCY: '1.5',
      DEEPL_SERVER_URL: 'nowhere',
    });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toMatch(/^Invalid configuration \(10 problems\):\n/);
    expect(listed(error)).toEqual([
      'PORT',
      'LOG_LEVEL',
      'DEFAULT_LANGUAGE',
      'IDLE_TIMEOUT_MINUTES',
      'ADMIN_TOKEN',
      'TELEGRAM_API_ROOT',
      'MicrosoftAppType',
      'RATE_MESSENGER',
      'DISPATCH_CONCURRENCY',
      'DEEPL_SERVER_URL',
    ]);
    // One line per problem, each saying why.
    expect(error.message.split('\n')).toHaveLength(11);
    expect(error.message).toContain('ADMIN_TOKEN: must be at least 16 characters');
  });

  it('says "1 problem" for one, and lists the cross-variable rules together with the others', () => {
    expect(configError({ LOG_LEVEL: 'chatty' }).message).toMatch(/^Invalid configuration \(1 problem\):\n {2}- LOG_LEVEL: /);
    const error = configError({ PORT: '99999', MicrosoftAppId: 'app-id', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org' });
    expect(listed(error)).toEqual(['PORT', 'TELEGRAM_WEBHOOK_SECRET', 'MicrosoftAppPassword']);
    expect(error.message).toContain('TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_WEBHOOK_URL is set');
    expect(error.message).toContain('MicrosoftAppPassword: is required when MicrosoftAppId is set');
  });

  it('keeps listing the field problems when a value has the wrong type', () => {
    const error = configError({ LOG_LEVEL: 'chatty', PORT: 'eighty', WHATSAPP_CLOUD_TOKEN: 'EAAG-only-the-token', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org' });
    expect(listed(error)).toEqual(expect.arrayContaining(['PORT', 'LOG_LEVEL']));
    // The rules across variables are listed too, so one restart fixes everything.
    expect(listed(error)).toEqual(
      expect.arrayContaining(['TELEGRAM_WEBHOOK_SECRET', 'WHATSAPP_CLOUD_PHONE_NUMBER_ID', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_VERIFY_TOKEN']),
    );
  });

  it('never echoes a value, even a secret-looking one, in the message', () => {
    const secrets = {
      PORT: 'sk_live_PORT_51HxQ',
      ADMIN_TOKEN: 'sk_live_admin',
      TELEGRAM_WEBHOOK_SECRET: 'sk live/secret with spaces!',
      TELEGRAM_API_ROOT: 'sk_live_telegram_root',
      GRAPH_API_URL: 'sk_live_graph_url',
      DEEPL_SERVER_URL: 'sk_live_deepl:fx',
      LIBRETRANSLATE_URL: 'sk_live_libre',
      LOG_LEVEL: 'sk_live_level',
      MicrosoftAppType: 'sk_live_type',
      WHATSAPP_WEB_ENABLED: 'sk_live_flag',
      DEFAULT_LANGUAGE: 'sk_live_lang',
      RATE_TELEGRAM: 'sk_live_rate',
    };
    const error = configError(secrets);
    expect(listed(error)).toEqual(expect.arrayContaining(Object.keys(secrets)));
    expect(error.message).not.toContain('sk_live');
    expect(error.message).not.toContain('sk live');
    // The cross-variable rules only name variables: a set secret stays unsaid.
    const partial = configError({ WHATSAPP_CLOUD_APP_SECRET: 'sk_live_app_secret', MicrosoftAppId: 'sk_live_app_id' });
    expect(partial.message).not.toContain('sk_live');
  });

  describe('WHATSAPP_CLOUD_*: all four or none', () => {
    it('accepts none and all four', () => {
      expect(loadConfig({}).WHATSAPP_CLOUD_TOKEN).toBeUndefined();
      expect(loadConfig(CLOUD)).toMatchObject(CLOUD);
    });

    it('names exactly the missing ones when only some are set', () => {
      const one = configError({ WHATSAPP_CLOUD_TOKEN: CLOUD.WHATSAPP_CLOUD_TOKEN });
      expect(listed(one)).toEqual(['WHATSAPP_CLOUD_PHONE_NUMBER_ID', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_VERIFY_TOKEN']);
      expect(one.message).toContain('is required when any WHATSAPP_CLOUD_* variable is set');
      const { WHATSAPP_CLOUD_VERIFY_TOKEN: _dropped, ...three } = CLOUD;
      expect(listed(configError(three))).toEqual(['WHATSAPP_CLOUD_VERIFY_TOKEN']);
    });

    it('counts a blank or whitespace value as unset', () => {
      expect(loadConfig({ WHATSAPP_CLOUD_TOKEN: '   ', WHATSAPP_CLOUD_PHONE_NUMBER_ID: '' }).WHATSAPP_CLOUD_TOKEN).toBeUndefined();
      expect(listed(configError({ ...CLOUD, WHATSAPP_CLOUD_APP_SECRET: ' ' }))).toEqual(['WHATSAPP_CLOUD_APP_SECRET']);
    });
  });

  describe('cross-variable rules', () => {
    it('a Telegram webhook URL needs its secret', () => {
      expect(listed(configError({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org' }))).toEqual(['TELEGRAM_WEBHOOK_SECRET']);
      expect(loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org', TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123' })).toMatchObject({
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.org',
        TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123',
      });
      expect(listed(configError({ TELEGRAM_WEBHOOK_SECRET: 'not/allowed' }))).toEqual(['TELEGRAM_WEBHOOK_SECRET']);
    });

    it('a Microsoft app id needs its password, except for a user-assigned managed identity', () => {
      expect(listed(configError({ MicrosoftAppId: 'app-id' }))).toEqual(['MicrosoftAppPassword']);
      expect(loadConfig({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'pw' }).MicrosoftAppId).toBe('app-id');
      expect(loadConfig({ MicrosoftAppId: 'app-id', MicrosoftAppType: 'UserAssignedMSI' }).MicrosoftAppType).toBe('UserAssignedMSI');
    });
  });

  it('reads flags: "true", "1" and "yes" are on; "false", "0", "no" and blank are off; anything else is an error', () => {
    for (const on of ['true', '1', 'yes']) {
      expect(loadConfig({ WHATSAPP_WEB_ENABLED: on, MESSENGER_EMULATOR: on }), on).toMatchObject({ WHATSAPP_WEB_ENABLED: true, MESSENGER_EMULATOR: true });
    }
    for (const off of ['false', '0', 'no', '']) {
      expect(loadConfig({ WHATSAPP_WEB_ENABLED: off, MESSENGER_EMULATOR: off }), JSON.stringify(off)).toMatchObject({ WHATSAPP_WEB_ENABLED: false, MESSENGER_EMULATOR: false });
    }
    expect(listed(configError({ WHATSAPP_WEB_ENABLED: 'on', MESSENGER_EMULATOR: 'maybe' }))).toEqual(['WHATSAPP_WEB_ENABLED', 'MESSENGER_EMULATOR']);
  });

  it('takes a blank optional variable as unset, as in a copy of .env.example', () => {
    const config = loadConfig({
      MONGODB_URI: '',
      TELEGRAM_BOT_TOKEN: '',
      TELEGRAM_WEBHOOK_URL: '',
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      DEEPL_AUTH_KEY: '',
      DEEPL_SERVER_URL: '',
      LIBRETRANSLATE_URL: '',
      LIBRETRANSLATE_API_KEY: '',
    });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.TELEGRAM_WEBHOOK_URL).toBeUndefined();
    expect(config.DEEPL_SERVER_URL).toBeUndefined();
    // A verbatim copy of .env.example (blank ADMIN_TOKEN= and TELEGRAM_WEBHOOK_SECRET=) starts.
    const copied = loadConfig({ ADMIN_TOKEN: '', TELEGRAM_WEBHOOK_SECRET: '', PORT: '' });
    expect([copied.ADMIN_TOKEN, copied.TELEGRAM_WEBHOOK_SECRET, copied.PORT]).toEqual([undefined, undefined, 3000]);
  });
});
