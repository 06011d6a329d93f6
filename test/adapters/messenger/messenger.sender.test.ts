import nock from 'nock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSender } from '../../../core/ports/channel.port.ts';
import {
  ADDRESS,
  CONNECTOR,
  CONVERSATION_ID,
  messageActivity,
  messengerAppsPerTest,
  PAGE_ID,
  post,
  PSID,
  SERVICE_URL,
  type MessengerApp,
} from './messenger.fixtures.ts';

const HOUR = 60 * 60 * 1000;
const PROACTIVE_PATH = `/v3/conversations/${CONVERSATION_ID}/activities`;
const NEWS = { type: 'text', text: 'Food distribution today at 14:00, Place Bellecour.' } as const;

const startApp = messengerAppsPerTest();
let app: MessengerApp;
let sender: ChannelSender;
beforeEach(async () => {
  app = await startApp();
  if (!app.sender) throw new Error('the Messenger channel did not start');
  sender = app.sender;
  // The person writes once: their conversation reference and the time are kept.
  nock(CONNECTOR).post(/.*/).reply(200, { id: 'reply-1' });
  expect((await post(app, messageActivity('Hi'))).status).toBe(200);
  nock.cleanAll();
});

describe('Messenger proactive sends', () => {
  it('posts to the stored conversation (not as a reply) within 24 h of the last message', async () => {
    let body: unknown;
    const scope = nock(CONNECTOR)
      .post(PROACTIVE_PATH, (b: unknown) => ((body = b), true))
      .reply(200, { id: 'connector-proactive-1' });
    app.clock.advance(23 * HOUR);
    expect(await sender.send(ADDRESS, NEWS)).toEqual({ status: 'delivered', platformMessageId: 'connector-proactive-1' });
    expect(scope.isDone()).toBe(true);
    expect(body).toEqual({
      type: 'message',
      serviceUrl: SERVICE_URL,
      channelId: 'facebook',
      from: { id: PAGE_ID },
      recipient: { id: PSID },
      conversation: { id: CONVERSATION_ID },
      inputHint: 'acceptingInput',
      text: NEWS.text,
    });
  });

  it('refuses after 24 h without calling the connector (outside-window)', async () => {
    const scope = nock(CONNECTOR).post(PROACTIVE_PATH).reply(200, { id: 'never' });
    app.clock.advance(25 * HOUR);
    expect(await sender.send(ADDRESS, NEWS)).toEqual({ status: 'unreachable', reason: 'outside-window' });
    expect(scope.isDone()).toBe(false);
  });

  it('reopens the window when the person writes again', async () => {
    app.clock.advance(25 * HOUR);
    nock(CONNECTOR).post(/.*/).reply(200, { id: 'reply-2' });
    await post(app, messageActivity('Hello again'));
    nock(CONNECTOR).post(PROACTIVE_PATH).reply(200, { id: 'connector-proactive-2' });
    expect(await sender.send(ADDRESS, NEWS)).toEqual({ status: 'delivered', platformMessageId: 'connector-proactive-2' });
  });

  it('cannot write to someone who never wrote here (unknown-address)', async () => {
    expect(await sender.send({ channel: 'messenger', id: 'facebook:999' }, NEWS)).toEqual({ status: 'unreachable', reason: 'unknown-address' });
  });

  it('sends a place as its name and an OpenStreetMap link (Messenger has no outbound location)', async () => {
    let body: { type?: unknown; text?: unknown; attachments?: unknown } = {};
    const scope = nock(CONNECTOR)
      .post(PROACTIVE_PATH, (b: typeof body) => ((body = b), true))
      .reply(200, { id: 'p' });
    const office = { type: 'location', text: 'Secours Populaire, 12 rue Jangot', latitude: 45.7578137, longitude: 4.8320114 } as const;
    expect(await sender.send(ADDRESS, office)).toEqual({ status: 'delivered', platformMessageId: 'p' });
    expect(scope.isDone()).toBe(true);
    expect(body.type).toBe('message');
    expect(body.text).toBe('Secours Populaire, 12 rue Jangot\nhttps://www.openstreetmap.org/?mlat=45.7578137&mlon=4.8320114#map=17/45.7578137/4.8320114');
    expect(body.attachments).toBeUndefined();
  });

  it('sends choices as quick replies', async () => {
    let body: { suggestedActions?: unknown; text?: unknown } = {};
    nock(CONNECTOR)
      .post(PROACTIVE_PATH, (b: typeof body) => ((body = b), true))
      .reply(200, { id: 'p' });
    await sender.send(ADDRESS, { type: 'choices', text: 'Are you coming?', choices: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }] });
    expect(body.text).toBe('Are you coming?');
    expect(body.suggestedActions).toEqual({
      actions: [
        { type: 'postBack', title: 'Yes', value: 'yes' },
        { type: 'postBack', title: 'No', value: 'no' },
      ],
    });
  });
});

describe('Messenger send-result classification (Bot Connector errors)', () => {
  const connectorError = (code: string) => ({ error: { code, message: `${code} for conversation ${CONVERSATION_ID}` } });

  it.each([
    [403, connectorError('BotBlocked'), {}, { status: 'unreachable', reason: 'blocked' }],
    [404, connectorError('ConversationNotFound'), {}, { status: 'unreachable', reason: 'unknown-address' }],
    [429, connectorError('Throttled'), { 'Retry-After': '7' }, { status: 'rate-limited', retryAfterMs: 7000 }],
    [429, connectorError('Throttled'), {}, { status: 'rate-limited', retryAfterMs: 10_000 }],
    [500, connectorError('ServiceError'), {}, { status: 'transient-failure', detail: 'HTTP 500 ServiceError' }],
    [502, '<html>Bad Gateway</html>', {}, { status: 'transient-failure', detail: 'HTTP 502 PARSE_ERROR' }],
    [400, connectorError('BadArgument'), {}, { status: 'permanent-failure', detail: 'HTTP 400 BadArgument' }],
  ] as const)('HTTP %i -> classified once, without the SDK retrying', async (httpStatus, body, headers, expected) => {
    let calls = 0;
    nock(CONNECTOR)
      .post(PROACTIVE_PATH)
      .times(5)
      .reply(() => ((calls += 1), [httpStatus, body, headers]));
    expect(await sender.send(ADDRESS, NEWS)).toEqual(expected);
    expect(calls).toBe(1);
  });

  it('classifies no answer at all as transient, with no conversation id in the detail', async () => {
    // A real refused connection: a connector on a loopback port where nothing listens.
    const elsewhere = { channel: 'messenger', id: 'facebook:555' } as const;
    const reference = { channelId: 'facebook', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'c-555' }, user: { id: '555' }, bot: { id: PAGE_ID } };
    await app.store.reach.recordInbound(elsewhere, app.clock.now(), reference);
    expect(await sender.send(elsewhere, NEWS)).toEqual({ status: 'transient-failure', detail: 'RestError ECONNREFUSED' });
  });
});
