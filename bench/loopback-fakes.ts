/**
 * Lean loopback fakes of the platforms for the broadcast benchmark: the Telegram Bot API, the
 * WhatsApp Cloud (Graph) API, the Bot Framework connector and DeepL, on one HTTP server. They
 * count, they do not record (a 100,000-message run must not measure the fakes' memory).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fakes saw. */
export interface FakeCounts {
  telegram: number;
  whatsappCloud: number;
  messenger: number;
  translateRequests: number;
  billedCharacters: number;
  /** Recipients per channel address, to check that nobody got two copies. */
  readonly seen: Set<string>;
  duplicates: number;
  /** performance.now() of the first and last delivered message. */
  firstAt: number;
  lastAt: number;
  readonly lastByChannel: Record<string, number>;
}

/** DeepL target codes the fake lists (Tigrinya and Kurmanji absent, like the real one). */
const DEEPL_TARGETS = ['AR', 'FA', 'PS', 'SO', 'UK', 'TR', 'FR', 'ES', 'EN-GB', 'EN-US'];

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the fakes on 127.0.0.1; returns their base URL, the counts and a stop function. */
export async function startLoopbackFakes(): Promise<{ url: string; counts: FakeCounts; close(): Promise<void> }> {
  const counts: FakeCounts = { telegram: 0, whatsappCloud: 0, messenger: 0, translateRequests: 0, billedCharacters: 0, seen: new Set(), duplicates: 0, firstAt: 0, lastAt: 0, lastByChannel: {} };
  let id = 0;
  const once = (key: string) => {
    counts.lastAt = performance.now();
    counts.lastByChannel[key.split(':')[0]!] = counts.lastAt;
    if (counts.firstAt === 0) counts.firstAt = counts.lastAt;
    if (counts.seen.has(key)) counts.duplicates++;
    else counts.seen.add(key);
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = await body(req);
    const json = (status: number, value: unknown) => {
      const payload = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    if (url.pathname.endsWith('/sendMessage')) {
      counts.telegram++;
      const chatId = (JSON.parse(text) as { chat_id: number | string }).chat_id;
      once(`telegram:${chatId}`);
      return json(200, { ok: true, result: { message_id: ++id, date: 0, chat: { id: Number(chatId), type: 'private' }, text: '' } });
    }
    if (url.pathname.endsWith('/getMe')) {
      return json(200, { ok: true, result: { id: 7000000009, is_bot: true, first_name: 'Bench', username: 'bench_bot' } });
    }
    if (/\/messages$/.test(url.pathname) && url.pathname.includes('/v23.0/')) {
      counts.whatsappCloud++;
      const to = (JSON.parse(text) as { to: string }).to;
      once(`whatsapp-cloud:${to}`);
      return json(200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.${++id}` }] });
    }
    if (url.pathname.startsWith('/v3/conversations/')) {
      counts.messenger++;
      once(`messenger:${url.pathname.split('/')[3]}`);
      return json(200, { id: String(++id) });
    }
    if (url.pathname === '/v2/languages') {
      return json(200, DEEPL_TARGETS.map((language) => ({ language, name: language, supports_formality: false })));
    }
    if (url.pathname === '/v2/glossary-language-pairs') return json(200, { supported_languages: [] });
    if (url.pathname === '/v2/translate') {
      counts.translateRequests++;
      const form = new URLSearchParams(text);
      const target = form.get('target_lang') ?? '';
      const translations = form.getAll('text').map((t) => {
        counts.billedCharacters += [...t].length;
        return { detected_source_language: 'EN', text: `[${target}] ${t}`, billed_characters: [...t].length };
      });
      return json(200, { translations });
    }
    json(404, { error: 'not faked' });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
