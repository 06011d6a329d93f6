import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Choice, OutboundMessage } from '../../../core/messages.ts';
import { WhatsappCloudSender } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.sender.ts';
import { sendRendered } from '../../support/send-rendered.ts';
import { capturingLogger, GRAPH, MESSAGES_PATH, recordSends, TOKEN, WA_ID, wamid, whatsappApp, type WhatsappApp } from './whatsapp-cloud.fixtures.ts';

let app: WhatsappApp;
let logger: ReturnType<typeof capturingLogger>;
const person = { channel: 'whatsapp-cloud', id: WA_ID } as const;
const hello: OutboundMessage = { type: 'text', text: 'Your appointment is confirmed.' };
const HOUR = 3_600_000;

beforeEach(async () => {
  logger = capturingLogger();
  app = await whatsappApp({ logger });
  // The person wrote a minute ago: the 24 h window is open.
  await app.store.reach.recordInbound(person, app.clock.now(), null);
  app.clock.advance(60_000);
});
afterEach(async () => {
  await app.dispose();
  nock.cleanAll();
});

/** Answers the next `POST /messages` with a Graph error as Meta sends it. */
function graphError(httpStatus: number, error: Record<string, unknown>, headers: Record<string, string> = {}) {
  return nock(GRAPH)
    .post(MESSAGES_PATH)
    .reply(httpStatus, { error: { type: 'OAuthException', fbtrace_id: 'AbCdEf-GhIjKlMn_opQrSt', ...error } }, headers);
}
const details = (message: string) => ({ messaging_product: 'whatsapp', details: message });

describe('WhatsApp Cloud sender: results', () => {
  it('returns delivered with the wamid Meta gives', async () => {
    const sent = recordSends();
    expect(await app.channel.sender.send(person, hello)).toEqual({ status: 'delivered', platformMessageId: wamid(901) });
    expect(sent.bodies).toEqual([{ messaging_product: 'whatsapp', recipient_type: 'individual', to: WA_ID, type: 'text', text: { body: hello.text, preview_url: false } }]);
  });

  it('classifies Graph error bodies', async () => {
    const send = () => app.channel.sender.send(person, hello);

    graphError(400, { message: '(#130429) Rate limit hit', code: 130429, error_data: details('Cloud API message throughput has been reached.') });
    expect(await send()).toEqual({ status: 'rate-limited', retryAfterMs: 1_000 });

    graphError(400, { message: '(#130429) Rate limit hit', code: 130429 }, { 'retry-after': '7' });
    expect(await send()).toEqual({ status: 'rate-limited', retryAfterMs: 7_000 });

    graphError(400, {
      message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
      code: 131056,
      error_data: details('Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.'),
    });
    expect(await send()).toEqual({ status: 'rate-limited', retryAfterMs: 60_000 });

    graphError(400, {
      message: '(#131047) Re-engagement message',
      code: 131047,
      error_data: details('Message failed to send because more than 24 hours have passed since the customer last replied to this number.'),
    });
    expect(await send()).toEqual({ status: 'unreachable', reason: 'outside-window' });

    graphError(400, { message: '(#131026) Message undeliverable', code: 131026, error_data: details('Message Undeliverable.') });
    expect(await send()).toEqual({ status: 'unreachable', reason: 'not-on-channel' });

    graphError(401, { message: 'Error validating access token: Session has expired on Friday, 27-Nov-26 09:00:00 PST.', code: 190, error_subcode: 463 });
    expect(await send()).toEqual({ status: 'permanent-failure', detail: 'auth' });

    graphError(500, { message: '(#131000) Something went wrong', code: 131000, error_data: details('Something went wrong.') });
    expect(await send()).toEqual({ status: 'transient-failure', detail: 'graph error 131000 (HTTP 500)' });

    nock(GRAPH).post(MESSAGES_PATH).reply(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
    expect(await send()).toEqual({ status: 'transient-failure', detail: 'HTTP 502' });

    graphError(400, { message: '(#131051) Unsupported message type', code: 131051 });
    expect(await send()).toEqual({ status: 'permanent-failure', detail: 'graph error 131051 (HTTP 400)' });
  });

  it('classifies a network failure as transient, without throwing', async () => {
    // A real socket reset from a loopback server (nock's replyWithError never reaches node:http's request).
    const server = createServer((request) => request.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sender = new WhatsappCloudSender({ graphApiUrl: `http://127.0.0.1:${port}/v23.0`, phoneNumberId: '1', token: TOKEN, clock: app.clock, logger });
    try {
      expect(await sender.send(person, hello)).toEqual({ status: 'transient-failure', detail: 'network error ECONNRESET' });
    } finally {
      sender.close();
      server.close();
    }
  });

  it('classifies a Graph call that hangs as a transient timeout', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sender = new WhatsappCloudSender({ graphApiUrl: `http://127.0.0.1:${port}/v23.0`, phoneNumberId: '1', token: TOKEN, clock: app.clock, logger, timeoutMs: 50 });
    try {
      expect(await sender.send(person, hello)).toEqual({ status: 'transient-failure', detail: 'timeout' });
    } finally {
      sender.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('classifies a request refused before any answer (here by nock) as transient, and logs no token, number or text', async () => {
    const result = await app.channel.sender.send(person, hello);
    expect(result).toEqual({ status: 'transient-failure', detail: 'network error ENETUNREACH' });
    expect(logger.lines.some((line) => line.includes('Graph API unreachable'))).toBe(true);
    for (const secret of [TOKEN, WA_ID, hello.text]) expect(logger.lines.filter((line) => line.includes(secret))).toEqual([]);
  });

  it('keeps phone numbers and texts out of every failure detail', async () => {
    graphError(400, { message: `(#100) Invalid parameter: ${WA_ID}`, code: 100, error_data: details(`to ${WA_ID}: ${hello.text}`) });
    const result = await app.channel.sender.send(person, hello);
    expect(result).toEqual({ status: 'permanent-failure', detail: 'graph error 100 (HTTP 400)' });
    expect(logger.lines.filter((line) => line.includes(WA_ID) || line.includes(hello.text))).toEqual([]);
  });
});

// The window itself is the outbox's (core/outbox/windows.ts, test/core/outbox/windows.test.ts):
// the sender sends what it is given.
describe('WhatsApp Cloud sender: the 24-hour customer-service window', () => {
  it('still sends 23 h 58 min after the last message', async () => {
    const sent = recordSends();
    app.clock.advance(23 * HOUR + 57 * 60_000);
    expect((await app.channel.sender.send(person, hello)).status).toBe('delivered');
    expect(sent.bodies).toHaveLength(1);
  });
});

describe('WhatsApp Cloud sender: shapes', () => {
  const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: WA_ID };
  const options = (n: number, label = (i: number) => `Option ${i}`): Choice[] => Array.from({ length: n }, (_, i) => ({ id: `o${i + 1}`, label: label(i + 1) }));
  const reply = (message: OutboundMessage) => sendRendered(app.channel.sender, person, [{ lang: 'en', message }]);

  it('shows more than 10 choices, or labels longer than 20 characters, as a numbered text', async () => {
    const sent = recordSends();
    await reply({ type: 'choices', text: 'Pick a course:', choices: options(11) });
    await reply({ type: 'choices', text: 'Pick one:', choices: [{ id: 'a', label: 'Ausbildung Pflegefachkraft' }, { id: 'b', label: 'Deutschkurs' }] });
    expect(sent.bodies).toEqual([
      { ...envelope, type: 'text', text: { body: `Pick a course:\n\n${options(11).map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`, preview_url: false } },
      { ...envelope, type: 'text', text: { body: 'Pick one:\n\n1. Ausbildung Pflegefachkraft\n2. Deutschkurs', preview_url: false } },
    ]);
  });

  it('sends a body longer than 1024 characters as text first, then the rest with the buttons', async () => {
    const sent = recordSends();
    const sentence = 'This sentence is part of a long notice about your rights. ';
    const long = sentence.repeat(20).trim();
    expect(long.length).toBeGreaterThan(1024);
    const result = await app.channel.sender.send(person, { type: 'choices', text: long, choices: options(2) });
    expect(result).toEqual({ status: 'delivered', platformMessageId: wamid(902) });
    expect(sent.bodies).toHaveLength(2);
    const [first, second] = sent.bodies as [{ text: { body: string } }, { interactive: { body: { text: string }; action: unknown } }];
    expect(first).toMatchObject({ ...envelope, type: 'text' });
    expect(second).toMatchObject({ ...envelope, type: 'interactive', interactive: { type: 'button' } });
    expect(second.interactive.body.text.length).toBeLessThanOrEqual(1024);
    expect(`${first.text.body} ${second.interactive.body.text}`).toBe(long);
  });

  it('asks for a location (if a caller bypasses the capabilities) with a Skip reply button', async () => {
    const sent = recordSends();
    expect(app.channel.sender.capabilities).toEqual({ maxButtons: 10, maxButtonLabel: 20, maxTextLength: 4096, locationRequest: false, windowMs: 24 * HOUR, templates: true });
    await app.channel.sender.send(person, { type: 'location-request', text: 'Where are you?', skip: { id: 'skip', label: 'Skip' } });
    expect(sent.bodies).toEqual([
      {
        ...envelope,
        type: 'interactive',
        interactive: { type: 'button', body: { text: 'Where are you?' }, action: { buttons: [{ type: 'reply', reply: { id: 'skip', title: 'Skip' } }] } },
      },
    ]);
  });

  it('sends a place as one location message, named when it has a name', async () => {
    const sent = recordSends();
    const office = { type: 'location', text: 'Secours Populaire, 12 rue Jangot', latitude: 45.7578137, longitude: 4.8320114 } as const;
    expect(await reply(office)).toBeNull();
    expect(await app.channel.sender.send(person, { ...office, text: '' })).toEqual({ status: 'delivered', platformMessageId: wamid(902) });
    expect(sent.bodies).toEqual([
      { ...envelope, type: 'location', location: { latitude: 45.7578137, longitude: 4.8320114, name: 'Secours Populaire, 12 rue Jangot' } },
      { ...envelope, type: 'location', location: { latitude: 45.7578137, longitude: 4.8320114 } },
    ]);
  });

  it('sends the bearer token of the configuration', async () => {
    const scope = nock(GRAPH, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .post(MESSAGES_PATH)
      .reply(200, { messaging_product: 'whatsapp', messages: [{ id: wamid(5) }] });
    expect(await app.channel.sender.send(person, hello)).toEqual({ status: 'delivered', platformMessageId: wamid(5) });
    expect(scope.isDone()).toBe(true);
  });
});
