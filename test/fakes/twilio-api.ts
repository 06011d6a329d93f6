/**
 * A fake of Twilio's Messages API on loopback (`POST /2010-04-01/Accounts/{Sid}/Messages.json`,
 * form-encoded, basic auth), for benches and tests that need a real socket: the product points
 * at it with TWILIO_API_URL. It answers 201 with a message resource, and records when each
 * message arrived and to whom.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message the fake accepted. */
export interface TwilioFakeMessage {
  readonly to: string;
  readonly body: string;
  /** performance.now() when it arrived. */
  readonly at: number;
}

export async function startFakeTwilio(accountSid: string, authToken: string) {
  const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const messages: TwilioFakeMessage[] = [];
  const listeners: ((m: TwilioFakeMessage) => void)[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: object) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
      };
      if (req.method !== 'POST' || req.url !== path) return reply(404, { code: 20404, message: 'not found', status: 404 });
      if (req.headers.authorization !== expected) return reply(401, { code: 20003, message: 'Authenticate', status: 401 });
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const message = { to: form.get('To') ?? '', body: form.get('Body') ?? '', at: performance.now() };
      messages.push(message);
      for (const listener of listeners) listener(message);
      reply(201, { sid: `SM${(++n).toString(16).padStart(32, '0')}`, account_sid: accountSid, to: message.to, body: message.body, status: 'queued' });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    /** Called with every message as it arrives. */
    onMessage: (listener: (m: TwilioFakeMessage) => void) => void listeners.push(listener),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
