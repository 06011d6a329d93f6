/**
 * A fake of "SMS Gateway for Android" on loopback: the phone's local REST API (`POST /message`
 * with basic auth, answered 202 `{id, state, recipients}`) and its webhooks (events signed with
 * `X-Signature`: hex HMAC-SHA256, with the signing key, of the raw body followed by the
 * `X-Timestamp` header). Faults: `failNext(status)` answers the next sends with an HTTP error;
 * `dropNext()` closes the next connection without an answer (the phone went out of wifi).
 *
 * ```ts
 * const phone = await startFakeSmsGateway();
 * // the product: SMS_GATEWAY_URL: phone.url, SMS_GATEWAY_USERNAME/PASSWORD, SMS_GATEWAY_SIGNING_KEY: phone.signingKey
 * await phone.receive(`${appUrl}/webhooks/sms-gateway`, '+33612345678', 'Bonjour');
 * phone.sent;            // every SMS the phone accepted, in order
 * await phone.close();
 * ```
 */
import { createHmac, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An SMS the fake phone accepted. */
export interface GatewaySms {
  readonly id: string;
  readonly to: string;
  readonly text: string;
  readonly at: number;
}

/** The signature headers the app puts on a webhook body. */
export function gatewaySignature(body: string, signingKey: string, at = new Date()): { 'x-signature': string; 'x-timestamp': string } {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return { 'x-signature': createHmac('sha256', signingKey).update(body + timestamp).digest('hex'), 'x-timestamp': timestamp };
}

/** Starts the fake phone on a free loopback port. */
export async function startFakeSmsGateway(options: { username?: string; password?: string; signingKey?: string } = {}) {
  const username = options.username ?? 'sms';
  const password = options.password ?? 'gateway-password';
  const signingKey = options.signingKey ?? 'gateway-signing-key-0123456789';
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const sent: GatewaySms[] = [];
  const failures: number[] = [];
  let drops = 0;
  let requests = 0;
  let events = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      if (drops > 0) {
        drops--;
        req.socket.destroy();
        return;
      }
      const answer = (status: number, body: object) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
      };
      if (req.method !== 'POST' || req.url !== '/message') return answer(404, { message: 'not found' });
      if (req.headers.authorization !== expected) return answer(401, { message: 'Unauthorized' });
      const failure = failures.shift();
      if (failure !== undefined) return answer(failure, { message: 'refused' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { textMessage?: { text: string }; phoneNumbers: string[] };
      const id = randomUUID().replace(/-/g, '').slice(0, 21);
      for (const to of body.phoneNumbers) sent.push({ id, to, text: body.textMessage?.text ?? '', at: Date.now() });
      answer(202, { id, state: 'Pending', isHashed: false, isEncrypted: false, recipients: body.phoneNumbers.map((phoneNumber) => ({ phoneNumber, state: 'Pending' })) });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  /** Posts one webhook event as the app does, signed (or with a wrong key). */
  const post = async (webhookUrl: string, event: string, payload: Record<string, unknown>, key = signingKey, id = `ev-${++events}`) => {
    const body = JSON.stringify({ deviceId: 'ffffffffceb0b1db00000193991c27e5', event, id, payload, webhookId: 'LreFUt-Z3sSq0JufY9uWB' });
    return fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...gatewaySignature(body, key) }, body });
  };

  return {
    url: `http://127.0.0.1:${port}`,
    username,
    password,
    signingKey,
    sent,
    requests: () => requests,
    /** The next sends answer this HTTP status, one per entry. */
    failNext: (...statuses: number[]) => void failures.push(...statuses),
    /** The next `n` requests get no answer at all. */
    dropNext: (n = 1) => void (drops += n),
    /** A person's SMS reaches the phone: the app posts `sms:received` (`id` repeats a redelivery). */
    receive: (webhookUrl: string, from: string, text: string, opts: { key?: string; id?: string } = {}) =>
      post(webhookUrl, 'sms:received', { messageId: randomUUID().slice(0, 8), message: text, phoneNumber: from, simNumber: 1, receivedAt: new Date().toISOString() }, opts.key, opts.id),
    /** The phone reports a sent message's fate. */
    report: (webhookUrl: string, event: 'sms:sent' | 'sms:delivered' | 'sms:failed', messageId: string, phoneNumber: string) =>
      post(webhookUrl, event, { messageId, phoneNumber, simNumber: 1, [`${event.slice(4)}At`]: new Date().toISOString() }),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
export type FakeSmsGateway = Awaited<ReturnType<typeof startFakeSmsGateway>>;
