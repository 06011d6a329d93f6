import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express, Router } from 'express';
import { COMMAND_DIALOGS, DIALOGS, SIGNALS, entryDialog } from '../bots/bots.ts';
import { loadLocales } from '../bots/locales.ts';
import { onboardingEffects } from '../bots/onboarding/onboarding.effects.ts';
import { commandMatcher } from '../core/dialog/commands.ts';
import { dialogRegistry } from '../core/dialog/dialog-definition.ts';
import { LANGUAGES } from '../core/i18n/languages.ts';
import { commandWords, createTextRenderer, createVariantTextRenderer } from '../core/i18n/text-renderer.ts';
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
import { webchatPageRouter } from './webchat/webchat-page.routes.ts';
import { WebchatSender, WebchatSignals } from './webchat/webchat.sender.ts';
import { BroadcastService } from '../bots/broadcast/broadcast.service.ts';
import { broadcastEffects } from '../bots/broadcast/broadcast.effects.ts';
import { broadcastFreeTextRoutes } from '../bots/broadcast/broadcast.routes.ts';
import { freeTextEffects, freeTextLookups } from '../bots/common/free-text-router.ts';
import { channelPostHandler } from '../bots/broadcast/channel-posts.ts';
import { ReplyDesk } from '../bots/broadcast/replies.ts';
import type { ChannelName } from '../core/messages.ts';
import { Housekeeping } from '../core/housekeeping/housekeeping.ts';
import { OutboxWorker } from '../core/outbox/outbox-worker.ts';
import type { TemplatePolicy } from '../core/outbox/windows.ts';
import { hmacMarker } from '../core/pipeline/inbound-mark.ts';
import type { NewOutboxMessage } from '../core/ports/outbox.port.ts';
import { inboundMarkSecret } from './inbound-mark-secret.ts';
import type { ChannelSender } from '../core/ports/channel.port.ts';
import { TranslationService } from '../core/translation/translation-service.ts';
import type { Translator } from '../core/ports/translator.port.ts';
import { libreTranslateFromConfig } from './libretranslate/libretranslate.translator.ts';
import { adminApiRouter } from './http/admin-api.routes.ts';
import { contactsImportRouter } from './http/contacts-import.routes.ts';
import { orgOf } from './http/org-auth.ts';
import { fallbackAddress } from './person-channels.ts';
import { SMS_DEFAULT_RATES, smsBackend } from './sms/sms.backend.ts';
import { smsEstimateRouter } from './http/sms-estimate.routes.ts';
import { channelStatusRouter } from './http/channel-status.routes.ts';
import { estimateSmsBroadcast } from '../bots/broadcast/sms-estimate.ts';
import { JobBoard } from '../bots/jobs/job-board.ts';
import { approvePerson } from '../bots/jobs/recruiter-approval.ts';
import { jobsEffects } from '../bots/jobs/jobs.effects.ts';
import { jobsFreeTextRoutes, stopAlertWords } from '../bots/jobs/jobs.routes.ts';
import { gazetteerPlaces } from '../bots/jobs/job-places.ts';
import { jobsApiRouter } from './http/jobs-api.routes.ts';
import { JobsRetention } from '../bots/jobs/jobs-retention.ts';
import { ConsoleAccounts } from './console/console-accounts.ts';
import { consoleRouter } from './console/console.router.ts';
import { RelayService } from '../bots/common/relay/relay.service.ts';
import { relayEffects } from '../bots/common/relay/relay.effects.ts';
import { RelaySubjects } from '../bots/common/relay/relay-subjects.ts';
import { RelayPresence } from '../bots/common/relay/relay-presence.ts';
import { erasureWithHooks } from '../bots/common/erasure-hooks.ts';
import { moderationRouter } from './http/moderation.routes.ts';
import { gazetteer } from '../bots/common/places/gazetteer.ts';
import { placeEffects } from '../bots/common/places/places.effects.ts';
import { exchangeEffects } from '../bots/exchange/exchange.effects.ts';
import { channelsEffects } from '../bots/channels/channels.effects.ts';
import { ExchangeSweep } from '../bots/exchange/exchange-sweep.ts';
import { exchangeRelaySubject } from '../bots/exchange/exchange-relay.ts';
import { exchangeAdminRouter } from './http/exchange.routes.ts';

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
  /** Period of the exchange's reminder sweep (default a minute). */
  readonly exchangeSweepMs?: number;
  /** Idle poll of the outbox worker's interactive lane (default 250 ms). */
  readonly pollMs?: number;
  /** How long a just-written effect is left to its writer before the sweep replays it (default 15 s). */
  readonly effectGraceMs?: number;
  /** How long one process keeps a channel's sending lease without renewing it (default 5 s). */
  readonly channelLeaseMs?: number;
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
  /** The web console's accounts, sessions and audit log. */
  readonly accounts: ConsoleAccounts;
  /** Deletes strangers' idle conversations now and then. */
  readonly housekeeping: Housekeeping;
  /** Jobs: what the chat and the admin API share (translations, alerts, notices). */
  readonly jobs: JobBoard;
  /** Deletes closed jobs and their applications after the retention period. */
  readonly jobsRetention: JobsRetention;
  /** The road out: sends every outbox row, per channel, at the channel's rate. */
  readonly outbox: OutboxWorker;
  /** Conversations relayed between two people (flows register their subjects here). */
  readonly relays: RelayService;
  /** The exchange's reminders (3 days before a post ends) and clean-up of long-ended posts. */
  readonly exchangeSweep: ExchangeSweep;
  /** Sends every interactive message that is due now, on every channel (tests, the CLI). */
  settle(): Promise<void>;
  /** Starts channels (polling, webhooks, logins), the broadcast scheduler, the replay sweep, the outbox worker and housekeeping. */
  start(): Promise<void>;
  /** Ends the web chat's open event streams (pages reconnect), so that a shutdown need not wait for them. */
  endStreams(): void;
  /** Stops the scheduler, the outbox worker and channels, lets in-flight turns finish, closes the store. */
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
  // SMS costs by the segment: the bot's words there take their `_sms` variant where one exists.
  const smsWords = createVariantTextRenderer(resources, 'sms');
  const textFor = (channel: ChannelName) => (channel === 'sms' ? smsWords : text);
  // deepl-node is loaded only when a key is set (it weighs some 25 MB of memory).
  const primary = config.DEEPL_AUTH_KEY ? (await import('./deepl/deepl.translator.ts')).deeplTranslatorFromConfig(config) : null;
  const translators = overrides.translators ?? { primary, secondary: libreTranslateFromConfig(config) };
  const translation = new TranslationService({ ...translators, cache: store.translations, clock, logger });
  const senders = new Map<ChannelName, ChannelSender>();
  // eslint-disable-next-line prefer-const -- assigned once the channels exist; producers wake it.
  let worker: OutboxWorker | undefined;
  const poke = (channels?: Iterable<ChannelName>): void => {
    for (const channel of channels ?? [undefined]) worker?.poke(channel);
  };
  const send = async (messages: readonly NewOutboxMessage[]): Promise<void> => {
    await store.outbox.enqueue(messages, clock.now());
    poke(new Set(messages.map((m) => m.to.channel)));
  };
  // Whether news can reach a channel: a sender runs for it (the terminal chat has none).
  const receivesNews = (channel: ChannelName): boolean => senders.has(channel);
  const broadcasts = new BroadcastService({ store, translation, text, textFor, clock, ids, logger, onReady: () => poke() });
  const replies = new ReplyDesk({ store, translation, text, textFor, send, reaches: receivesNews, clock, ids, logger });
  const jobPlaces = gazetteerPlaces(gazetteer);
  const jobs = new JobBoard({ store, translation, text, send, clock, logger });
  const accounts = new ConsoleAccounts({ store, clock, send });
  // Late-bound: the relay signals people's conversations through the pipeline, built below.
  // eslint-disable-next-line prefer-const -- assigned once the pipeline exists.
  let pipelineRef: ConversationPipeline | undefined;
  // eslint-disable-next-line prefer-const -- assigned once the dialogs are known.
  let dialogsRef: ReturnType<typeof dialogRegistry> | undefined;
  const relays = new RelayService({
    store,
    translation,
    text,
    subjects: new RelaySubjects(),
    presence: new RelayPresence({ conversations: store.conversations, dialogs: () => dialogsRef!, idleTimeoutMs: config.IDLE_TIMEOUT_MINUTES * 60_000 }),
    clock,
    ids,
    logger,
    send,
    signal: (to, id, input) => pipelineRef!.signal(to, id, input),
    windowMs: (channel) => senders.get(channel)?.capabilities.windowMs ?? null,
    retentionMs: config.RELAY_RETENTION_DAYS * 24 * 3_600_000,
  });
  relays.registerSubject(exchangeRelaySubject({ store, text }));
  relays.registerSubject({ kind: 'job-application', header: (id, lang) => jobs.applicationHeader(id, lang) });
  const freeTextRoutes = [...broadcastFreeTextRoutes({ replies, receivesNews }), ...jobsFreeTextRoutes(stopAlertWords(resources))];
  const effects = new Map<string, EffectHandler>([
    ...engineEffects,
    // "forget" erases the person's relays first (the other sides are told the person left).
    erasureWithHooks(engineEffects, [(person) => relays.forget(person)]),
    ...relayEffects(relays),
    ...onboardingEffects,
    ...broadcastEffects({ broadcasts, replies, receivesNews }),
    ...freeTextEffects(freeTextRoutes, { text, defaultLang: config.DEFAULT_LANGUAGE }),
    ...placeEffects({ gazetteer, defaultLang: config.DEFAULT_LANGUAGE }),
    ...exchangeEffects({ translation, text, blocks: relays, maxOpenPosts: config.EXCHANGE_MAX_OPEN_POSTS, defaultLang: config.DEFAULT_LANGUAGE }),
    ...jobsEffects({ board: jobs, places: jobPlaces }),
    ...channelsEffects({ text }),
  ]);
  const synchronousChannels: ReadonlySet<ChannelName> = new Set<ChannelName>(['webchat', 'cli']);
  // Refuses at start-up an event without handler or a signal no step receives (lost at run time).
  const dialogs = dialogRegistry(DIALOGS, { events: new Set(effects.keys()), signals: new Set(SIGNALS) });
  dialogsRef = dialogs;
  const pipeline = new ConversationPipeline({
    store,
    dialogs,
    text,
    textFor,
    commands: commandMatcher(commandWords(resources)),
    languages: LANGUAGES,
    defaultLang: config.DEFAULT_LANGUAGE,
    entry: entryDialog,
    commandDialogs: COMMAND_DIALOGS,
    effects,
    lookups: freeTextLookups(freeTextRoutes),
    clock,
    ids,
    logger,
    idleTimeoutMs: config.IDLE_TIMEOUT_MINUTES * 60_000,
    marker: hmacMarker(inboundMarkSecret(config.dataDir, config.INBOUND_MARK_SECRET)),
    onQueued: (channels) => poke(channels),
    respond: (rows, options) => worker!.respond(rows, options),
    // Where this process is the channel's sender, a turn's replies go to it from the write itself.
    claimUntil: (channel) => worker?.claimUntil(channel) ?? null,
    dispatch: (rows) => worker!.dispatch(rows),
    room: (channel) => worker?.room(channel) ?? Promise.resolve(),
    synchronousChannels,
    ...(overrides.effectGraceMs !== undefined ? { effectGraceMs: overrides.effectGraceMs } : {}),
  });
  pipelineRef = pipeline;

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
  const signals = new WebchatSignals();
  const webchat = new WebchatSender({ store, signals, clock, logger });
  for (const sender of [webchat, ...channels.map((c) => c.sender), ...(overrides.senders ?? [])]) senders.set(sender.channel, sender);
  const rate = (perSecond: number) => ({ perSecond, bulkPerSecond: perSecond * config.RATE_BULK_SHARE });
  const templates: TemplatePolicy = {
    notice: (lang) => config.WHATSAPP_TEMPLATES.notice[lang] ?? null,
    broadcast: (lang) => config.WHATSAPP_TEMPLATES.broadcast[lang] ?? null,
  };
  worker = new OutboxWorker({
    outbox: store.outbox,
    leases: store.leases,
    reach: store.reach,
    senders,
    rates: new Map([
      ['telegram', rate(config.RATE_TELEGRAM)],
      ['whatsapp-cloud', rate(config.RATE_WHATSAPP_CLOUD)],
      ['whatsapp-web', rate(config.RATE_WHATSAPP_WEB)],
      ['messenger', rate(config.RATE_MESSENGER)],
      ['sms', rate(config.RATE_SMS ?? SMS_DEFAULT_RATES[smsBackend(config) ?? 'android'])],
    ]),
    composeBroadcast: (job) => broadcasts.compose(job),
    noticeFor: async (job) => {
      const org = job.orgId ? await store.organisations.get(job.orgId) : null;
      const from = org?.name ?? 'Passerelle';
      return { text: `You have a new message from ${from}. Reply to read it.`, params: [from] };
    },
    onSettled: (job, outcome, result) => broadcasts.settled(job, outcome, result),
    // Not on WhatsApp, blocked, a closed window with no template, a channel down: the person's next channel instead.
    fallback: fallbackAddress(store, (channel) => senders.has(channel) && (senders.get(channel)?.down?.() ?? null) === null),
    // The goodbye to an erased person went (or could not): nothing of them stays for sending.
    onLastWords: async (job) => {
      if (job.address) await store.reach.forget(job.address);
      await store.scrubErased();
    },
    templates,
    clock,
    logger,
    holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    answersItself: synchronousChannels,
    concurrency: config.DISPATCH_CONCURRENCY,
    leaseMs: config.DISPATCH_LEASE_SECONDS * 1000,
    maxAttempts: config.DISPATCH_MAX_ATTEMPTS,
    holdMs: config.OUTBOX_HOLD_DAYS * 24 * 3_600_000,
    ...(overrides.pollMs !== undefined ? { pollMs: overrides.pollMs } : {}),
    ...(overrides.channelLeaseMs !== undefined ? { channelLeaseMs: overrides.channelLeaseMs } : {}),
  });
  const outbox = worker;
  const smsEstimateDeps = { store, translation, smsWords, pricePerSegment: config.SMS_PRICE_PER_SEGMENT, currency: config.SMS_PRICE_CURRENCY };
  const webhooks = channels.flatMap((c) => (c.webhook ? [c.webhook] : []));
  const rawWebhooks = channels.flatMap((c) => (c.rawWebhook ? [c.rawWebhook] : []));
  const routers: Router[] = [
    ...channels.flatMap((c) => (c.router ? [c.router] : [])),
    webchatRateLimit({ text, defaultLang: config.DEFAULT_LANGUAGE, perMinute: config.WEBCHAT_RATE_PER_MINUTE }),
    webchatRouter({ pipeline, clock, sender: webchat, history: store.webchat, signals }),
    webchatPageRouter(resources),
    consoleRouter({
      store,
      accounts,
      broadcasts,
      replies,
      relays,
      // The same hooks as "forget" in chat (erasureWithHooks above).
      beforeErase: async (person) => {
        await relays.forget(person);
        await store.exchange.eraseByPerson(person.id);
      },
      approve: (person, org) => approvePerson({ store, text, send, now: clock.now() }, person, org),
      jobs,
      clock,
      ids,
      costs: config.MESSAGE_COSTS,
      templates: config.WHATSAPP_TEMPLATES,
      pairing: channels.find((c) => c.pairing)?.pairing ?? null,
      signInPerMinute: config.CONSOLE_SIGNIN_PER_MINUTE,
    }),
    adminApiRouter({
      store,
      broadcasts,
      replies,
      extra: [
        contactsImportRouter({ store, ids, clock, logger, orgOf }),
        moderationRouter({ store, relays }),
        exchangeAdminRouter({ store, relays }),
        jobsApiRouter({ store, board: jobs, places: jobPlaces, text, send, clock, ids }),
        channelStatusRouter(() =>
          channelStatus.map((s) => (s.enabled || senders.has(s.channel) ? { channel: s.channel, enabled: true, down: senders.get(s.channel)?.down?.() ?? null } : { channel: s.channel, enabled: false, reason: s.reason, down: null })),
        ),
        smsEstimateRouter({ orgOf, estimate: (org, body, source, audience) => estimateSmsBroadcast(smsEstimateDeps, org, body, source, audience) }),
      ],
    }),
  ];
  const http = createHttpApp({ store, logger, webhooks, rawWebhooks, routers, publicDir: PUBLIC_DIR, trustProxy: config.TRUST_PROXY });

  const housekeeping = new Housekeeping({
    store: store.housekeeping,
    clock,
    logger,
    strangerTtlMs: config.PRUNE_STRANGERS_AFTER_MINUTES * 60_000,
    ...(overrides.housekeepingMs ? { intervalMs: overrides.housekeepingMs } : {}),
  });
  const jobsRetention = new JobsRetention({ store: store.jobs, relays, clock, logger, keepMs: config.JOBS_RETENTION_DAYS * 24 * 3_600_000 });
  const exchangeSweep = new ExchangeSweep({ store, text, clock, logger, send, ...(overrides.exchangeSweepMs ? { intervalMs: overrides.exchangeSweepMs } : {}) });
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
    accounts,
    outbox,
    relays,
    housekeeping,
    jobs,
    jobsRetention,
    exchangeSweep,
    async settle() {
      await outbox.drainInteractive([...senders.keys()]);
    },
    async start() {
      for (const status of channelStatus) {
        if (status.enabled) logger.info({ channel: status.channel, enabled: true, detail: status.detail }, 'channel enabled');
        else logger.info({ channel: status.channel, enabled: false, reason: status.reason }, 'channel disabled');
      }
      if (translators.primary || translators.secondary) {
        logger.info({ translation: true, translators: [translators.primary?.name, translators.secondary?.name].filter(Boolean) }, 'translation on');
      } else {
        logger.warn({ translation: false }, 'translation off: broadcasts go out as written (set DEEPL_AUTH_KEY or LIBRETRANSLATE_URL)');
      }
      for (const channel of channels) await channel.start?.();
      tick();
      scheduler = setInterval(tick, overrides.tickMs ?? 1000);
      pipeline.start();
      outbox.start();
      housekeeping.start();
      jobsRetention.start();
      relays.start();
      void exchangeSweep.tick();
      exchangeSweep.start();
    },
    endStreams: () => signals.endAll(),
    async close() {
      if (closed) return;
      closed = true;
      signals.endAll();
      clearInterval(scheduler);
      await ticking;
      await housekeeping.stop();
      await jobsRetention.stop();
      await relays.stop();
      await exchangeSweep.stop();
      await outbox.stop();
      await Promise.allSettled(channels.map((c) => c.stop?.()));
      await pipeline.drain();
      await store.close();
    },
  };
}
