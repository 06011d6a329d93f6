/**
 * Request-body parsing for the fake Bot API: the real API accepts the query string, JSON,
 * urlencoded forms and multipart (telegraf uses JSON, and multipart when a file is attached).
 */
import type { IncomingMessage } from 'node:http';

/** Fields the Bot API takes as JSON-serialised strings in form and multipart bodies. */
const JSON_FIELDS = new Set(['reply_markup', 'allowed_updates', 'entities', 'caption_entities', 'media', 'results', 'link_preview_options', 'reply_parameters']);

function decodeField(name: string, value: string): unknown {
  if (!JSON_FIELDS.has(name)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Splits a multipart body; file parts become `{ filename, bytes }`. */
function parseMultipart(raw: Buffer, boundary: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const part of raw.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) continue;
    const head = part.slice(0, split);
    const name = /name="([^"]*)"/.exec(head)?.[1];
    if (!name) continue;
    const content = part.slice(split + 4).replace(/\r\n$/, '');
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    fields[name] = filename
      ? { filename, bytes: Buffer.byteLength(content, 'latin1') }
      : decodeField(name, Buffer.from(content, 'latin1').toString('utf8'));
  }
  return fields;
}

/** Reads the whole body and merges it over the query-string parameters. */
export async function parseBotApiBody(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of url.searchParams) fields[name] = decodeField(name, value);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return fields;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    const parsed = JSON.parse(raw.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? { ...fields, ...(parsed as Record<string, unknown>) } : fields;
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) fields[name] = decodeField(name, value);
    return fields;
  }
  const boundary = /boundary=([^;]+)/.exec(type)?.[1];
  if (type.startsWith('multipart/form-data') && boundary) return { ...fields, ...parseMultipart(raw, boundary) };
  return fields;
}
