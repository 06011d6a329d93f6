import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { LANGUAGE_CODES } from '../core/i18n/languages.ts';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url().optional())
  .optional();
const flag = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** An approved WhatsApp template: its name and the language code it was approved in. */
const templateRef = z.strictObject({ name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a template name (a-z, 0-9, _)'), language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code such as ar or en_US') });
const templatesByLang = z.partialRecord(z.enum(LANGUAGE_CODES as [string, ...string[]]), templateRef);
/** A variable holding JSON: parsed, or one issue saying what shape it must have. */
function jsonText(hint: string) {
  return z
    .string()
    .trim()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: hint });
        return z.NEVER;
      }
    });
}

/**
 * WHATSAPP_TEMPLATES as JSON: `{"notice": {"ar": {"name": "new_message", "language": "ar"}}, "broadcast": {...}}`.
 * `notice` takes one parameter (who wrote); `broadcast` one body parameter (the translated text).
 */
const templatesJson = jsonText('must be JSON: {"notice": {"<lang>": {"name": ..., "language": ...}}, "broadcast": {...}}')
  .pipe(z.strictObject({ notice: templatesByLang.default({}), broadcast: templatesByLang.default({}) }))
  .default({ notice: {}, broadcast: {} });

/** MESSAGE_COSTS as JSON: what one message costs per channel, for the console's estimate: `{"currency": "EUR", "whatsapp-cloud": 0.05}`. */
const messageCostsJson = jsonText('must be JSON: {"currency": "EUR", "<channel>": <cost of one message>}')
  .pipe(z.object({ currency: z.string().regex(/^[A-Z]{3}$/, 'must be a currency code such as EUR') }).catchall(z.number().min(0)))
  .optional();

/**
 * Every environment variable the product reads, with defaults that run on a laptop with no
 * token and no database server. `.env.example` documents each one.
 */
const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    // Express's `trust proxy`: "true" (any), a hop count ("1"), or addresses/subnets ("loopback, 10.0.0.0/8").
    TRUST_PROXY: z
      .string()
      .trim()
      .default('false')
      .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
    DATA_DIR: z.string().default('data'),
    MONGODB_URI: optionalText,
    SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(5000).default(100),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DEFAULT_LANGUAGE: z.enum(LANGUAGE_CODES as [string, ...string[]]).default('en'),
    IDLE_TIMEOUT_MINUTES: positiveInt(720),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),

    TELEGRAM_BOT_TOKEN: optionalText,
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    TELEGRAM_WEBHOOK_URL: optionalUrl,
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),

    WHATSAPP_WEB_ENABLED: flag,
    CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),

    WHATSAPP_CLOUD_TOKEN: optionalText,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: optionalText,
    WHATSAPP_CLOUD_APP_SECRET: optionalText,
    WHATSAPP_CLOUD_VERIFY_TOKEN: optionalText,
    GRAPH_API_URL: z.url().default('https://graph.facebook.com/v23.0'),

    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppTenantId: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MESSENGER_EMULATOR: flag,
    WHATSAPP_TEMPLATES: templatesJson,

    WEBCHAT_RATE_PER_MINUTE: positiveInt(120),
    PRUNE_STRANGERS_AFTER_MINUTES: positiveInt(60),
    JOBS_RETENTION_DAYS: positiveInt(183),
    RELAY_RETENTION_DAYS: positiveInt(183),
    EXCHANGE_MAX_OPEN_POSTS: positiveInt(5),
    RATE_TELEGRAM: z.coerce.number().positive().default(30),
    RATE_WHATSAPP_CLOUD: z.coerce.number().positive().default(80),
    RATE_WHATSAPP_WEB: z.coerce.number().positive().default(1),
    RATE_MESSENGER: z.coerce.number().positive().default(40),
    DISPATCH_CONCURRENCY: positiveInt(8),
    DISPATCH_LEASE_SECONDS: positiveInt(60),
    DISPATCH_MAX_ATTEMPTS: positiveInt(5),
    RATE_BULK_SHARE: z.coerce.number().gt(0).max(1).default(0.8),
    OUTBOX_HOLD_DAYS: positiveInt(7),
    INBOUND_MARK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),

    // SMS (adapters/sms): Twilio, or an Android phone running SMS Gateway for Android.
    TWILIO_ACCOUNT_SID: optionalText,
    TWILIO_AUTH_TOKEN: optionalText,
    TWILIO_FROM: optionalText,
    TWILIO_API_URL: z.url().default('https://api.twilio.com'),
    TWILIO_PUBLIC_URL: optionalUrl,
    SMS_GATEWAY_URL: optionalUrl,
    SMS_GATEWAY_USERNAME: optionalText,
    SMS_GATEWAY_PASSWORD: optionalText,
    SMS_GATEWAY_SIGNING_KEY: optionalText,
    SMS_DEFAULT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'must be a country code such as FR').optional(),
    RATE_SMS: z.coerce.number().positive().optional(),
    SMS_PRICE_PER_SEGMENT: z.coerce.number().min(0).default(0),
    SMS_PRICE_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be a currency code such as EUR').default('EUR'),

    DEEPL_AUTH_KEY: optionalText,
    DEEPL_SERVER_URL: optionalUrl,
    LIBRETRANSLATE_URL: optionalUrl,
    LIBRETRANSLATE_API_KEY: optionalText,

    // The web console
    MESSAGE_COSTS: messageCostsJson,
    CONSOLE_SIGNIN_PER_MINUTE: positiveInt(30),
  });

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Rules across variables, checked on the raw environment. Why not a zod refinement: zod skips
 * refinements when a field is invalid, and the operator must see every problem at once.
 */
function crossRules(env: Env): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (env['TELEGRAM_WEBHOOK_URL'] && !env['TELEGRAM_WEBHOOK_SECRET']) {
    issues.push({ path: 'TELEGRAM_WEBHOOK_SECRET', message: 'is required when TELEGRAM_WEBHOOK_URL is set' });
  }
  const cloud = ['WHATSAPP_CLOUD_TOKEN', 'WHATSAPP_CLOUD_PHONE_NUMBER_ID', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_VERIFY_TOKEN'];
  if (cloud.some((k) => env[k]) && !cloud.every((k) => env[k])) {
    for (const k of cloud.filter((k) => !env[k])) issues.push({ path: k, message: 'is required when any WHATSAPP_CLOUD_* variable is set' });
  }
  if (env['MicrosoftAppId'] && !env['MicrosoftAppPassword'] && env['MicrosoftAppType'] !== 'UserAssignedMSI') {
    issues.push({ path: 'MicrosoftAppPassword', message: 'is required when MicrosoftAppId is set' });
  }
  const twilio = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'];
  if (twilio.some((k) => env[k]) && !twilio.every((k) => env[k])) {
    for (const k of twilio.filter((k) => !env[k])) issues.push({ path: k, message: 'is required when any of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM is set' });
  }
  const gateway = ['SMS_GATEWAY_URL', 'SMS_GATEWAY_USERNAME', 'SMS_GATEWAY_PASSWORD', 'SMS_GATEWAY_SIGNING_KEY'];
  if (gateway.some((k) => env[k]) && !gateway.every((k) => env[k])) {
    for (const k of gateway.filter((k) => !env[k])) issues.push({ path: k, message: 'is required when any SMS_GATEWAY_* variable is set' });
  }
  return issues;
}

/** The validated configuration. */
export type Config = z.output<typeof envSchema> & { readonly dataDir: string };

/**
 * Reads and validates the configuration. Throws one ConfigError that lists every missing or
 * invalid variable, so an operator fixes them all in one go. Values are never echoed (secrets).
 */
export function loadConfig(input: Env = process.env): Config {
  // A blank line in .env (`ADMIN_TOKEN=`) means "not set", as in .env.example.
  const env: Env = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(environment)', message: issue.message }))),
    ...crossRules(env),
  ];
  if (!parsed.success || problems.length > 0) {
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
    throw new ConfigError(`Invalid configuration (${lines.length} problem${lines.length > 1 ? 's' : ''}):\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) };
}
