import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express, Router } from 'express';
import { COMMAND_DIALOGS, DIALOGS, entryDialog } from '../bots/bots.ts';
import { loadLocales } from '../bots/locales.ts';
import { onboardingEffects } from '../bots/onboarding/onboarding.effects.ts';
import { commandMatcher } from '../core/dialog/commands.ts';
import { dialogRegistry } from '../core/dialog/dialog-definition.ts';
import { LANGUAGES } from '../core/i18n/languages.ts';
import { commandWords, createTextRenderer } from '../core/i18n/text-renderer.ts';
import { ConversationPipeline } from '../core/pipeline/conversation-pipeline.ts';
import type { EffectHandler } from '../core/pipeline/effects.ts';
import { engineEffects } from '../core/pipeline/engine-effects.ts';
import { randomIds, systemClock, type Clock, type IdGenerator } from '../core/ports/clock.port.ts';
import type { Logger } from '../core/ports/logger.port.ts';
import type { Store } from '../core/ports/store.port.ts';
import type { ChannelRuntime, ChannelStatus } from './channel-runtime.ts';
import { channelFactories } from './channels.ts';
import type { Config } from './config.ts';
import { createHttpApp } from './http/http-app.ts';
import { createLogger } from './logger.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import { webchatRateLimit } from './webchat/webchat-rate-limit.ts';
import { webchatRouter } from './webchat/webchat.routes.ts';
import { WebchatMailbox } from './webchat/webchat-mailbox.ts';
import { BroadcastService } from '../bots/broadcast/broadcast.service.ts';
import { broadcastEffects } from '../bots/broadcast/broadcast.effects.ts';
import { channelPostHandler } from '../bots/broadcast/channel-posts.ts';
import { ReplyDesk } from '../bots/broadcast/replies.ts';
import type { ChannelName } from '../core/messages.ts';
import { Dispatcher } from '../core/outbox/dispatcher.ts';
import { Housekeeping } from '../core/housekeeping/housekeeping.ts';
import type { ChannelSender } from '../core/ports/channel.port.ts';
import { TranslationService } from '../core/translation/translation-service.ts';
import type { Translator } from '../core/ports/translator.port.ts';
import { libreTranslateFromConfig } from './libretranslate/libretranslate.translator.ts';
import { adminApiRouter } from './http/admin-api.routes.ts';
import { contactsImportRouter } from './http/contacts-import.routes.ts';
import { orgOf } from './http/org-auth.ts';

/** Overrides for tests and benchmarks: a fixed clock, fixed ids, a given store, fake senders. */
export interface AppOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly logger?: Logger;
  readonly store?: Store;
  /** Translators instead of the configured DeepL and LibreTranslate. */
  readonly translators?: { readonly primary: Translator | null; readonly secondary: Translator | null };
  /** Extra senders (channels the app does not run itself, such as benchmark fakes). */
  readonly senders?: readonly ChannelSender[];
  /** Broadcast scheduler period (default 1 s). */
  readonly tickMs?: number;
  /** Housekeeping period (default 10 minutes). */
  readonly housekeepingMs?: number;
}

/** The wired product, not yet listening. */
export interface App {
  readonly config: Config;
  readonly store: Store;
  readonly pipeline: ConversationPipeline;
  readonly http: Express;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly channels: readonly ChannelRuntime[];
  readonly channelStatus: readonly ChannelStatus[];
  readonly broadcasts: BroadcastService;
  readonly replies: ReplyDesk;
  readonly dispatcher: Dispatcher;
  readonly housekeeping: Housekeeping;
  /** Starts channels (polling, webhooks, logins), the broadcast scheduler and the dispatcher. */
  start(): Promise<void>;
  /** Stops the scheduler, the dispatcher and channels, lets in-flight turns finish, closes the store. */
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('./webchat/public/', import.meta.url));

/** Opens the configured store: MongoDB when MONGODB_URI is set, else the embedded SQLite file. */
export async function openStore(config: Config): Promise<Store> {
  if (config.MONGODB_URI) {
    const { openMongoStore } = await import('./mongo/mongo-store.ts');
    return openMongoStore(config.MONGODB_URI);
  }
  return openSqliteStore(join(config.dataDir, 'passerelle.sqlite'), { busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS });
}

/** The composition root: every adapter and port is wired here, and only here. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? randomIds;
  const store = overrides.store ?? (await openStore(config));
  const resources = loadLocales();
  const text = createTextRenderer(resources);
  // deepl-node is loaded only when a key is set (it weighs some 25 MB of memory).
  const primary = config.DEEPL_AUTH_KEY ? (await import('./deepl/deepl.translator.ts')).deeplTranslatorFromConfig(config) : null;
  const translators = overrides.translators ?? { primary, secondary: libreTranslateFromConfig(config) };
  const translation = new TranslationService({ ...translators, cache: store.translations, clock, logger });
  const senders = new Map<ChannelName, ChannelSender>();
  // eslint-disable-next-line prefer-const -- assigned once the channels exist; the service wakes it.
  let dispatcher: Dispatcher | undefined;
  const broadcasts = new BroadcastService({ store, translation, text, clock, ids, logger, onReady: () => dispatcher?.poke() });
  const replies = new ReplyDesk({ store, translation, text, senderFor: (channel) => senders.get(channel), clock, ids, logger });
  const effects = new Map<string, EffectHandler>([...engineEffects, ...onboardingEffects, ...broadcastEffects({ broadcasts, replies })]);
  const pipeline = new ConversationPipeline({
    store,
    dialogs: dialogRegistry(DIALOGS),
    text,
    commands: commandMatcher(commandWords(resources)),
    languages: LANGUAGES,
    defaultLang: config.DEFAULT_LANGUAGE,
    entry: entryDialog,
    commandDialogs: COMMAND_DIALOGS,
    effects,
    clock,
    ids,
    logger,
    idleTimeoutMs: config.IDLE_TIMEOUT_MINUTES * 60_000,
  });

  const onChannelPost = channelPostHandler({ store, broadcasts, clock, logger });
  const channels: ChannelRuntime[] = [];
  const channelStatus: ChannelStatus[] = [];
  for (const factory of channelFactories) {
    const outcome = await factory({ config, pipeline, store, logger, clock, onChannelPost });
    if ('runtime' in outcome) {
      channels.push(outcome.runtime);
      channelStatus.push({ channel: outcome.runtime.channel, enabled: true, detail: outcome.detail });
    } else {
      channelStatus.push(outcome.status);
    }
  }
  const mailbox = new WebchatMailbox();
  for (const sender of [mailbox, ...channels.map((c) => c.sender), ...(overrides.senders ?? [])]) senders.set(sender.channel, sender);
  dispatcher = new Dispatcher({
    outbox: store.outbox,
    senders,
    rates: new Map<ChannelName, number>([
      ['telegram', config.RATE_TELEGRAM],
      ['whatsapp-cloud', config.RATE_WHATSAPP_CLOUD],
      ['whatsapp-web', config.RATE_WHATSAPP_WEB],
      ['messenger', config.RATE_MESSENGER],
    ]),
    compose: (job) => broadcasts.compose(job),
    onSettled: (job, outcome, result) => broadcasts.settled(job, outcome, result),
    clock,
    logger,
    concurrency: config.DISPATCH_CONCURRENCY,
    leaseMs: config.DISPATCH_LEASE_SECONDS * 1000,
    maxAttempts: config.DISPATCH_MAX_ATTEMPTS,
  });
  const routers: Router[] = [
    ...channels.flatMap((c) => (c.router ? [c.router] : [])),
    webchatRateLimit({ text, defaultLang: config.DEFAULT_LANGUAGE, perMinute: config.WEBCHAT_RATE_PER_MINUTE }),
    webchatRouter(pipeline, clock, mailbox),
    adminApiRouter({ store, broadcasts, replies, extra: [contactsImportRouter({ store, ids, clock, logger, orgOf })] }),
  ];
  const http = createHttpApp({ store, logger, routers, publicDir: PUBLIC_DIR, trustProxy: config.TRUST_PROXY });

  const housekeeping = new Housekeeping({
    store: store.housekeeping,
    clock,
    logger,
    strangerTtlMs: config.PRUNE_STRANGERS_AFTER_MINUTES * 60_000,
    ...(overrides.housekeepingMs ? { intervalMs: overrides.housekeepingMs } : {}),
  });
  let scheduler: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  const tick = (): void => {
    // Why chained: a slow preparation (translation) must not overlap the next tick.
    ticking = ticking.then(() => broadcasts.tick()).catch((error: unknown) => logger.error({ err: error instanceof Error ? error.name : 'unknown' }, 'broadcast tick failed'));
  };
  let closed = false;
  return {
    config,
    store,
    pipeline,
    http,
    logger,
    clock,
    channels,
    channelStatus,
    broadcasts,
    replies,
    dispatcher,
    housekeeping,
    async start() {
      for (const status of channelStatus) {
        if (status.enabled) logger.info({ channel: status.channel, enabled: true, detail: status.detail }, 'channel enabled');
        else logger.info({ channel: status.channel, enabled: false, reason: status.reason }, 'channel disabled');
      }
      for (const channel of channels) await channel.start?.();
      tick();
      scheduler = setInterval(tick, overrides.tickMs ?? 1000);
      dispatcher.start();
      housekeeping.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(scheduler);
      await ticking;
      await housekeeping.stop();
      await dispatcher.stop();
      await Promise.allSettled(channels.map((c) => c.stop?.()));
      await pipeline.drain();
      await store.close();
    },
  };
}
