import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeepAliveJsonClient, RequestTimeoutError } from '../../../adapters/http-client/keep-alive-json-client.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: string[];
  readonly body: string;
  readonly socket: number;
}

/** A loopback API that records what it was sent and answers as the test says. */
describe('KeepAliveJsonClient', () => {
  // Why nock is taken out here: its interceptor passes loopback requests on over a connection of
  // its own per request, which would hide whether the client reuses its sockets. Only loopback is used.
  beforeAll(() => nock.restore());
  afterAll(() => nock.activate());
  let server: http.Server;
  let endpoint: string;
  let port: number;
  const seen: Seen[] = [];
  let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const sockets = new Map<unknown, number>();

  beforeEach(async () => {
    seen.length = 0;
    sockets.clear();
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size + 1);
        seen.push({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8'), socket: sockets.get(req.socket)! });
        answer(req, res);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    endpoint = `http://127.0.0.1:${port}/v23.0/123/messages?x=1`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('POSTs JSON with Host, one Content-Type and the exact length, and reads the JSON answer', async () => {
    const client = new KeepAliveJsonClient(endpoint);
    // The caller's own Content-Type and Host are the client's to write: not sent twice.
    const answered = await client.post({ authorization: 'Bearer t0ken', 'Content-Type': 'text/plain', Host: 'elsewhere' }, { text: 'Grüße, مرحبا' });
    client.close();

    expect(answered).toEqual({ status: 200, retryAfter: null, body: { ok: true } });
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v23.0/123/messages?x=1');
    expect(request?.body).toBe('{"text":"Grüße, مرحبا"}');
    const headers = request!.rawHeaders;
    const pairs = Array.from({ length: headers.length / 2 }, (_, i) => [headers[2 * i]!.toLowerCase(), headers[2 * i + 1]!]);
    expect(pairs.filter(([name]) => name === 'host')).toEqual([['host', `127.0.0.1:${port}`]]);
    expect(pairs.filter(([name]) => name === 'content-type')).toEqual([['content-type', 'application/json']]);
    expect(pairs.filter(([name]) => name === 'content-length')).toEqual([['content-length', String(Buffer.byteLength(request!.body))]]);
    expect(pairs.filter(([name]) => name === 'authorization')).toEqual([['authorization', 'Bearer t0ken']]);
    expect(pairs.filter(([name]) => name === 'connection')).toEqual([['connection', 'keep-alive']]);
  });

  it('reuses one connection for posts one after another, and posts to another path of the same host', async () => {
    const client = new KeepAliveJsonClient(endpoint, { maxSockets: 4 });
    for (let i = 0; i < 3; i++) await client.post({}, { i });
    await client.post({}, { i: 3 }, '/v23.0/123/media');
    client.close();

    expect(seen.map((s) => s.socket)).toEqual([1, 1, 1, 1]);
    expect(seen.map((s) => s.url)).toEqual(['/v23.0/123/messages?x=1', '/v23.0/123/messages?x=1', '/v23.0/123/messages?x=1', '/v23.0/123/media']);
  });

  it('gives the status and Retry-After of a refusal, and null for a body that is not JSON', async () => {
    answer = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end('slow down');
    const client = new KeepAliveJsonClient(endpoint);
    expect(await client.post({}, {})).toEqual({ status: 429, retryAfter: '7', body: null });
    client.close();
  });

  it('refuses a header value with a line break instead of sending it', async () => {
    const client = new KeepAliveJsonClient(endpoint);
    await expect(client.post({ authorization: 'Bearer x\r\nX-Injected: 1' }, {})).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
    client.close();
    expect(seen).toEqual([]);
  });

  it('gives up on an API that does not answer in time', async () => {
    answer = () => undefined;
    const client = new KeepAliveJsonClient(endpoint, { timeoutMs: 100 });
    await expect(client.post({}, {})).rejects.toBeInstanceOf(RequestTimeoutError);
    client.close();
  });
});
