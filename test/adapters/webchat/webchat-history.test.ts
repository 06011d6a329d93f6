import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { WebchatSender, WebchatSignals } from '../../../adapters/webchat/webchat.sender.ts';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import { silentLogger } from '../../../core/ports/logger.port.ts';
import { testApp } from '../../support/test-app.ts';

const t = createTextRenderer(loadLocales());
type App = Awaited<ReturnType<typeof testApp>>;
const apps: App[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  for (const app of apps.splice(0)) await app.dispose();
});

async function open(env: Record<string, string> = {}): Promise<App> {
  const app = await testApp(env);
  apps.push(app);
  return app;
}
const userId = 'web-history-user-1';
const post = (app: App, body: object) => request(app.http).post('/api/webchat/messages').send({ userId, ...body });
const history = async (app: App, query = '') => (await request(app.http).get(`/api/webchat/messages?userId=${userId}${query}`)).body as { entries: { author: string; text: string; cursor: number; lang: string | null; dir: string; clientId?: string }[]; cursor: number };

/** Onboards the person in Arabic up to the menu. */
async function onboard(app: App): Promise<void> {
  await post(app, { start: true });
  await post(app, { choiceId: 'ar', label: 'العربية', messageId: 'm1' });
  await post(app, { choiceId: 'agree', label: 'أوافق', messageId: 'm2' });
  await post(app, { text: '١', messageId: 'm3' });
  await post(app, { text: 'أمينة', messageId: 'm4' });
  await post(app, { choiceId: 'skip', label: 'تخطي', messageId: 'm5' });
}

/** Reads server-sent events from a real loopback connection until `count` have arrived. */
async function events(port: number, path: string, count: number, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: abort.signal, headers });
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const got: { id: number; data: { text: string; lang: string; dir: string; author: string }; at: number }[] = [];
  while (got.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) got.push({ id: Number(id), data: JSON.parse(data), at: Date.now() });
    }
  }
  abort.abort();
  return got;
}

async function listen(app: App): Promise<number> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

describe('web chat history', () => {
  it('keeps both sides of a conversation with growing cursors; a reload reads it back', async () => {
    const app = await open();
    const first = await post(app, { start: true });
    expect(first.body.replies[0]).toMatchObject({ author: 'bot', lang: 'en', dir: 'ltr', type: 'choices', cursor: expect.any(Number), at: expect.any(String) });
    await post(app, { choiceId: 'ar', label: 'العربية', messageId: 'm1' });
    // The page retries a message it got no answer for: kept once, processed once.
    const retry = await post(app, { choiceId: 'ar', label: 'العربية', messageId: 'm1' });
    expect(retry.body.replies).toEqual([]);
    const { entries, cursor } = await history(app);
    expect(entries.map((e) => [e.author, e.lang, e.dir, e.text.split('\n')[0]])).toEqual([
      ['bot', 'en', 'ltr', '🌐 Choose your language'],
      ['person', null, 'auto', 'العربية'],
      ['bot', 'ar', 'rtl', t('ar', 'onboarding:privacy')],
    ]);
    expect(entries[1]?.clientId).toBe('m1');
    expect(entries.map((e) => e.cursor)).toEqual([...entries.map((e) => e.cursor)].sort((a, b) => a - b));
    expect(cursor).toBe(entries[2]?.cursor);
    expect((await history(app, `&after=${entries[0]!.cursor}&limit=1`)).entries.map((e) => e.text)).toEqual(['العربية']);
  });

  it('shows the last 50 messages on reload', async () => {
    const app = await open();
    await onboard(app);
    for (let i = 0; i < 30; i++) await post(app, { text: `سؤال ${i}`, messageId: `q${i}` });
    const { entries } = await history(app);
    expect(entries).toHaveLength(50);
    expect(entries.filter((e) => e.author === 'person').at(-1)).toMatchObject({ text: 'سؤال 29' });
    expect((await request(app.http).get(`/api/webchat/messages?userId=${userId}&limit=101`)).status).toBe(400);
  });

  it('gives a broadcast sent to a web chat person their language and direction, and a place its map link', async () => {
    const app = await open();
    await onboard(app);
    const webchat = new WebchatSender({ store: app.store, signals: new WebchatSignals(), clock: app.clock, logger: silentLogger });
    expect(await webchat.send({ channel: 'webchat', id: userId }, { type: 'text', text: '📢 Secours Populaire\nمرحبا' })).toMatchObject({ status: 'delivered' });
    await webchat.send({ channel: 'webchat', id: userId }, { type: 'location', text: 'Secours Populaire', latitude: 45.7578137, longitude: 4.8320114 });
    const { entries } = await history(app, '&limit=2');
    expect(entries.map((e) => [e.lang, e.dir, e.text])).toEqual([
      ['ar', 'rtl', '📢 Secours Populaire\nمرحبا'],
      ['ar', 'rtl', 'Secours Populaire\nhttps://www.openstreetmap.org/?mlat=45.7578137&mlon=4.8320114#map=17/45.7578137/4.8320114'],
    ]);
  });

  it('"forget" erases the history: the goodbye is shown in the answer only, and a reload shows nothing', async () => {
    const app = await open();
    await onboard(app);
    await post(app, { text: 'انسني', messageId: 'f1' });
    const goodbye = await post(app, { choiceId: 'yes', label: 'نعم', messageId: 'f2' });
    expect(goodbye.body.replies.map((r: { text: string }) => r.text)).toEqual([t('ar', 'common:forgotten')]);
    // Nothing is kept under the id of the person just forgotten, not even the goodbye.
    const { entries } = await history(app);
    expect(entries).toEqual([]);
    expect(await app.store.people.findByAddress({ channel: 'webchat', id: userId })).toBeNull();
  });

  it('streams new entries as server-sent events, resuming after Last-Event-ID', async () => {
    const app = await open();
    const port = await listen(app);
    await post(app, { start: true });
    const [start] = (await history(app)).entries;
    const streamed = events(port, `/api/webchat/events?userId=${userId}&after=${start!.cursor}`, 2);
    await post(app, { choiceId: 'fr', label: 'Français', messageId: 'm1' });
    const got = await streamed;
    expect(got.map((e) => [e.data.author, e.data.text.slice(0, 8)])).toEqual([
      ['person', 'Français'],
      ['bot', 'Bonjour\u00a0'],
    ]);
    const resumed = await events(port, `/api/webchat/events?userId=${userId}&after=0`, 1, { 'last-event-id': String(got[0]!.id) });
    expect(resumed[0]?.id).toBe(got[1]?.id);
    expect((await request(app.http).get('/api/webchat/events?userId=x')).status).toBe(400);
  });

  it('streams a message that another server process stored in the shared store, within a second', async () => {
    const one = await open();
    const two = await open({ DATA_DIR: one.dataDir });
    const port = await listen(one);
    await post(one, { start: true });
    const streamed = events(port, `/api/webchat/events?userId=${userId}`, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The other process's own sender: its notification never reaches this process.
    const elsewhere = new WebchatSender({ store: two.store, signals: new WebchatSignals(), clock: two.clock, logger: silentLogger });
    const sentAt = Date.now();
    await elsewhere.send({ channel: 'webchat', id: userId }, { type: 'text', text: 'Distribution demain à 10 h' });
    const [event] = await streamed;
    expect(event?.data.text).toBe('Distribution demain à 10 h');
    expect(event!.at - sentAt).toBeLessThan(1_000);
  });

  it('ends open streams at shutdown, so that the server need not wait for open pages', async () => {
    const app = await open();
    const port = await listen(app);
    const res = await fetch(`http://127.0.0.1:${port}/api/webchat/events?userId=${userId}`);
    const reader = res.body!.getReader();
    await reader.read();
    app.endStreams();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
