import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import request from 'supertest';
import { afterEach } from 'vitest';
import { createApp } from '../../../adapters/app.ts';
import { loadLocales } from '../../../bots/locales.ts';
import { loadConfig } from '../../../adapters/config.ts';
import type { ChannelSender } from '../../../core/ports/channel.port.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { manualClock } from '../../support/test-app.ts';

/** Facebook through the Bot Connector: ids of the shapes Facebook uses, of no real account. */
export const SERVICE_URL = 'https://facebook.botframework.com/';
export const CONNECTOR = 'https://facebook.botframework.com';
/** The page-scoped id of the person, and the page (the bot) they write to. */
export const PSID = '7201938475612345';
export const PAGE_ID = '104957382910457';
export const CONVERSATION_ID = `${PSID}-${PAGE_ID}`;
/** How the core addresses the person: the Bot Framework channel and their id there. */
export const ADDRESS = { channel: 'messenger', id: `facebook:${PSID}` } as const;

/** Options of a test product. */
export interface MessengerAppOptions {
  readonly env?: Record<string, string>;
  /** MESSENGER_EMULATOR=true (unauthenticated); on by default when no app id is given. */
  readonly emulator?: boolean;
  readonly logger?: Logger;
}

/**
 * A whole product on a fresh SQLite directory with the Messenger channel, and a clock moved by
 * hand.
 */
export async function messengerApp(options: MessengerAppOptions = {}) {
  const env = options.env ?? {};
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-messenger-'));
  const clock = manualClock();
  const emulator = options.emulator ?? !env['MicrosoftAppId'];
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MESSENGER_EMULATOR: String(emulator), ...env });
  const app = await createApp(config, { clock, logger: options.logger ?? silentLogger });
  const channel = app.channels.find((c) => c.channel === 'messenger');
  return Object.assign(app, {
    clock,
    /** The proactive sender, or undefined when the channel stayed off. */
    sender: channel?.sender as ChannelSender | undefined,
    async dispose() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
export type MessengerApp = Awaited<ReturnType<typeof messengerApp>>;

/**
 * Registers an `afterEach` that drops nock's interceptors, then disposes every product the
 * returned function started (it takes the options of {@link messengerApp}) during the test.
 */
export function messengerAppsPerTest(): typeof messengerApp {
  const started: MessengerApp[] = [];
  afterEach(async () => {
    nock.cleanAll();
    connectorLog = null;
    await Promise.all(started.splice(0).map((app) => app.dispose()));
  });
  return async (options) => {
    captureConnector();
    const app = await messengerApp(options);
    started.push(app);
    return app;
  };
}

let sequence = 0;

/** A message activity as the Bot Connector posts it for a Facebook message. */
export function messageActivity(text: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  const id = `mid.$cAAHm${String(sequence).padStart(6, '0')}`;
  return {
    type: 'message',
    id,
    timestamp: '2026-11-28T10:00:00.000Z',
    serviceUrl: SERVICE_URL,
    channelId: 'facebook',
    from: { id: PSID, name: 'Amina Haddad' },
    conversation: { isGroup: false, id: CONVERSATION_ID },
    recipient: { id: PAGE_ID, name: 'Passerelle' },
    text,
    channelData: {
      sender: { id: PSID },
      recipient: { id: PAGE_ID },
      timestamp: 1795860000000,
      message: { mid: id, text },
    },
    ...more,
  };
}

/** A quick-reply tap: Facebook sends the button title as text and our payload in channelData. */
export function quickReply(title: string, payload: string): Record<string, unknown> {
  const activity = messageActivity(title);
  const channelData = activity['channelData'] as { message: Record<string, unknown> };
  channelData.message['quick_reply'] = { payload };
  return activity;
}

/** Posts an activity to the webhook, as the Bot Connector does, then lets the outbox send what it queued. */
export async function post(app: MessengerApp, activity: object | string, authorization?: string) {
  const req = request(app.http).post('/api/messages').set('content-type', 'application/json');
  const res = await (authorization === undefined ? req.send(activity) : req.set('authorization', authorization).send(activity));
  await app.settle();
  return res;
}

/** One request the bot made to the Bot Connector. */
export interface ConnectorCall {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** What a person sees of one posted activity: its text and its quick replies. */
export interface Shown {
  readonly path: string;
  readonly text: unknown;
  readonly actions?: unknown;
}

/** Every activity posted to the connector since the interceptor was set up (see captureConnector). */
let connectorLog: ConnectorCall[] | null = null;

/**
 * Intercepts every activity the bot posts to the Facebook connector, answering like the
 * connector does (`{id}`); `calls` keeps those posted from now on, in order. Why one shared
 * interceptor: replies go through the outbox, and one that found no connector would be retried
 * before any later reply to the same person (their order is kept), so the connector is answered
 * from the test's first message on; a later call only starts a fresh view of it.
 */
export function captureConnector(): { readonly calls: ConnectorCall[]; shown(): Shown[] } {
  if (!connectorLog) {
    const log: ConnectorCall[] = [];
    connectorLog = log;
    nock(CONNECTOR)
      .persist()
      .post(/^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/)
      .reply(function (path, body) {
        const authorization = this.req.headers['authorization'];
        log.push({ path, authorization: typeof authorization === 'string' ? authorization : undefined, body: body as Record<string, unknown> });
        return [200, { id: `connector-activity-${log.length}` }];
      });
  }
  const log = connectorLog;
  const start = log.length;
  return {
    get calls() {
      return log.slice(start);
    },
    shown: () =>
      log.slice(start).map((c) => {
        const suggested = c.body['suggestedActions'] as { actions?: unknown } | undefined;
        return suggested ? { path: c.path, text: c.body['text'], actions: suggested.actions } : { path: c.path, text: c.body['text'] };
      }),
  };
}

/**
 * Where the bot's answer to an activity goes: every reply leaves through the outbox as a
 * proactive message to the conversation (the activity is kept in the signature for the reader).
 */
export function replyPath(_activity: Record<string, unknown>): string {
  return `/v3/conversations/${encodeURIComponent(CONVERSATION_ID)}/activities`;
}

/** A postBack quick reply as the bot sends it. */
export function action(title: string, value: string) {
  return { type: 'postBack', title, value };
}

const locales = loadLocales();

/**
 * An English text of the bots ('onboarding:askName'), with {{params}} filled: transcripts
 * assert exactly what the person reads while wording is still being edited.
 */
export function en(key: string, params: Record<string, string> = {}): string {
  const [ns, name] = key.split(':') as [string, string];
  const table = (locales['en'] as Record<string, Record<string, unknown>> | undefined)?.[ns];
  const text = table?.[name];
  if (typeof text !== 'string') throw new Error(`no English text ${key}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_m, p: string) => params[p] ?? `{{${p}}}`);
}
