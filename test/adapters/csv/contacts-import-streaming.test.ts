import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openRequest, type OpenRequest } from '../../support/main-process.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
let server: Server | undefined;
let upload: OpenRequest | undefined;
afterEach(async () => {
  upload?.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await app?.dispose();
  app = undefined;
});

const rows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `Amina,+336${String(10_000_000 + from + i)},ar,whatsapp\n`).join('');

/** A chunked upload whose body is sent bit by bit, held open between writes. */
function startUpload(port: number, apiKey: string): OpenRequest {
  const open = openRequest(port);
  open.write(
    ['POST /api/contacts/import HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${apiKey}`, 'Content-Type: text/csv', 'Transfer-Encoding: chunked', 'Connection: close', '', ''].join('\r\n'),
  );
  return open;
}
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error('never happened');
}

describe('POST /api/contacts/import while the file is still arriving', () => {
  it('writes rows in batches before the upload ends, and refuses a second import of the same organisation with 409', async () => {
    app = await testApp();
    const alpha = await createOrg(app.store, { code: 'alpha' });
    const beta = await createOrg(app.store, { code: 'beta' });
    server = await new Promise<Server>((resolve) => {
      const s = app!.http.listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;

    upload = startUpload(port, alpha.apiKey);
    upload.write(chunk(`first_name,phone,language,channel\n${rows(0, 1200)}`));
    // Streamed, not buffered: two batches of 500 are stored while the rest has not been sent.
    await until(async () => (await app!.store.contacts.list(alpha.id, { limit: 2000 })).length >= 1000);
    expect(upload.answered()).toBe(false);

    const second = await request(app.http).post('/api/contacts/import').set('authorization', `Bearer ${alpha.apiKey}`).set('content-type', 'text/csv').send(`first_name,phone,language,channel\n${rows(5000, 1)}`);
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ error: 'an import for this organisation is already running; try again when it has finished' });
    const other = await request(app.http).post('/api/contacts/import').set('authorization', `Bearer ${beta.apiKey}`).set('content-type', 'text/csv').send(`first_name,phone,language,channel\n${rows(5000, 1)}`);
    expect(other.status).toBe(200);
    expect((await request(app.http).get('/healthz')).status).toBe(200);

    upload.write(chunk(rows(1200, 300)));
    upload.write('0\r\n\r\n');
    const done = await upload.response;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body.slice(done.body.indexOf('{'), done.body.lastIndexOf('}') + 1))).toEqual({ created: 1500, updated: 0, rejected: [] });

    // Once it has finished, the organisation can import again.
    const again = await request(app.http).post('/api/contacts/import').set('authorization', `Bearer ${alpha.apiKey}`).set('content-type', 'text/csv').send(`first_name,phone,language,channel\n${rows(0, 1)}`);
    expect(again.body).toEqual({ created: 0, updated: 1, rejected: [] });
  });

  it('answers 413 for a body announced larger than 20 MB, before reading it', async () => {
    app = await testApp();
    const alpha = await createOrg(app.store, { code: 'alpha' });
    const res = await request(app.http)
      .post('/api/contacts/import')
      .set('authorization', `Bearer ${alpha.apiKey}`)
      .set('content-type', 'text/csv')
      .set('content-length', String(21 * 1024 * 1024))
      .send('first_name');
    expect(res.status).toBe(413);
  });
});
