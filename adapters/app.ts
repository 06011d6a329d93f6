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
import type { ChannelPost } from '../core/messages.ts';
import type { Store } from '../core/ports/store.port.ts';
import type { ChannelRuntime, ChannelStatus } from './channel-runtime.ts';
import { channelFactories } from './channels.ts';
import type { Config } from './config.ts';
import { createHttpApp } from './http/http-app.ts';
import { createLogger } from './logger.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import { webchatRouter } from './webchat/webchat.routes.ts';

/** Overrides for tests and benchmarks: a fixed clock, fixed ids, a given store. */
export interface AppOverrides {
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly logger?: Logger;
  readonly store?: Store;
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
  /** Starts channels (polling, webhooks, logins). */
  start(): Promise<void>;
  /** Stops channels, lets in-flight turns finish, closes the store. */
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('./webchat/public/', import.meta.url));

/** Opens the configured store: MongoDB when MONGODB_URI is set, else the embedded SQLite file. */
export async function openStore(config: Config): Promise<Store> {
  if (config.MONGODB_URI) {
    const { openMongoStore } = await import('./mongo/mongo-store.ts');
    return openMongoStore(config.MONGODB_URI);
  }
  return openSqliteStore(join(config.dataDir, 'passerelle.sqlite'));
}

/** The composition root: every adapter and port is wired here, and only here. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? randomIds;
  const store = overrides.store ?? (await openStore(config));
  const resources = loadLocales();
  const text = createTextRenderer(resources);
  const effects = new Map<string, EffectHandler>([...engineEffects, ...onboardingEffects]);
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

  const onChannelPost = async (post: ChannelPost): Promise<void> => {
    logger.info({ channel: post.channel }, 'channel post ignored: no organisation has linked this channel');
  };
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
  const routers: Router[] = [...channels.flatMap((c) => (c.router ? [c.router] : [])), webchatRouter(pipeline, clock)];
  const http = createHttpApp({ store, logger, routers, publicDir: PUBLIC_DIR });

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
    async start() {
      for (const status of channelStatus) {
        if (status.enabled) logger.info({ channel: status.channel, enabled: true, detail: status.detail }, 'channel enabled');
        else logger.info({ channel: status.channel, enabled: false, reason: status.reason }, 'channel disabled');
      }
      for (const channel of channels) await channel.start?.();
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled(channels.map((c) => c.stop?.()));
      await pipeline.drain();
      await store.close();
    },
  };
}
