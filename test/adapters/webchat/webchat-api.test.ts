import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from '../../support/test-app.ts';

type App = Awaited<ReturnType<typeof testApp>>;
let app: App;
afterEach(async () => {
  await app?.dispose();
});

const userId = 'web-test-user-1';
async function post(body: object) {
  return request(app.http).post('/api/webchat/messages').send(body);
}
async function texts(body: object): Promise<string[]> {
  const res = await post({ userId, ...body });
  expect(res.status).toBe(200);
  return (res.body as { replies: { text: string }[] }).replies.map((r) => r.text);
}

describe('web chat endpoint', () => {
  it('answers malformed JSON with 400 naming the body', async () => {
    app = await testApp();
    const res = await request(app.http).post('/api/webchat/messages').set('content-type', 'application/json').send('{"userId": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid request', issues: [{ field: 'body', message: 'malformed JSON' }] });
  });

  it('answers unknown or invalid fields with 400 naming each field', async () => {
    app = await testApp();
    const unknown = await post({ userId, text: 'hi', admin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toContainEqual({ field: 'admin', message: 'unknown field' });
    const badUser = await post({ userId: 'x', text: 'hi' });
    expect(badUser.status).toBe(400);
    expect(badUser.body.issues[0].field).toBe('userId');
    const none = await post({ userId });
    expect(none.status).toBe(400);
    expect(none.body.issues[0]).toEqual({ field: 'text', message: 'exactly one of text, choiceId, location or start is required' });
    const badLocation = await post({ userId, location: { latitude: 100, longitude: 0 } });
    expect(badLocation.body.issues[0].field).toBe('location.latitude');
  });

  it('replies politely to an empty or a 10 kB message and keeps the conversation', async () => {
    app = await testApp();
    await texts({ start: true });
    expect(await texts({ text: 'English' })).toHaveLength(1);
    expect(await texts({ text: '' })).toEqual([
      'Your message was empty.',
      expect.stringMatching(/^Hello! I am Passerelle/),
    ]);
    expect(await texts({ text: 'x'.repeat(10_240) })).toEqual([
      'That message is too long. Please send a shorter answer.',
      expect.stringMatching(/^Hello! I am Passerelle/),
    ]);
    expect(await texts({ choiceId: 'agree' })).toEqual(['Who are you?']);
  });

  it('processes the same message id once', async () => {
    app = await testApp();
    const first = await post({ userId, messageId: 'm-1', start: true });
    const again = await post({ userId, messageId: 'm-1', start: true });
    expect(first.body.replies).toHaveLength(1);
    expect(again.status).toBe(200);
    expect(again.body.replies).toEqual([]);
  });

  it('processes 20 concurrent messages from one person one at a time, in order', async () => {
    app = await testApp();
    await texts({ start: true });
    await texts({ text: 'English' });
    await texts({ choiceId: 'agree' });
    await texts({ choiceId: 'newcomer' });
    // 20 answers fired at once, as a channel delivering a burst would: the first is the name,
    // the second skips the place, the rest land on the menu. Any reordering changes the replies.
    const answers = Array.from({ length: 20 }, (_, i) => (i === 0 ? 'Amina' : i === 1 ? 'skip' : 'nonsense'));
    const results = await Promise.all(
      answers.map((text, i) =>
        app.pipeline.handle({ id: `c-${i}`, from: { channel: 'webchat', id: userId }, content: { type: 'text', text }, receivedAt: new Date() }),
      ),
    );
    const bodies = results.map((replies) => replies.map((x) => x.message.text));
    expect(bodies[0]).toEqual(['Where are you? Share your location, or type your town or postcode. You can also skip.']);
    expect(bodies[1]).toEqual(['Welcome, Amina! You are signed up.', 'Menu: what would you like to do?']);
    for (const body of bodies.slice(2)) expect(body.at(-1)).toBe('Menu: what would you like to do?');
    const person = await app.store.people.findByAddress({ channel: 'webchat', id: userId });
    expect(person).toMatchObject({ firstName: 'Amina', role: 'newcomer', place: null, lang: 'en' });
    const stored = await app.store.conversations.load(`webchat:${userId}`);
    expect(stored?.value.session).toMatchObject({ dialog: 'menu', step: 'root' });
    // 4 sequential turns written once each (the turn, its replies handed to the outbox in the same
    // write), then the name and the skip written twice (the turn, then once its effect is done),
    // then 18 free texts at the menu written twice (the turn, then the result of its reply lookup
    // with that result's replies handed on in the same write): no write lost, none doubled.
    expect(stored?.version).toBe(4 * 1 + 2 * 2 + 18 * 2);
    expect(stored?.value).toMatchObject({ effects: [], outgoing: [], inputs: [] });
  });

  it('keeps the page (HTML, CSS, script, its words, manifest) under 60 KB uncompressed, fonts apart', async () => {
    app = await testApp();
    const sizes: Record<string, number> = {};
    for (const path of ['/', '/webchat.css', '/webchat.js', '/api/webchat/strings', '/manifest.webmanifest']) {
      const res = await request(app.http).get(path).buffer(true).parse((r, done) => {
        let n = 0;
        r.on('data', (chunk: Buffer) => (n += chunk.length));
        r.on('end', () => done(null, n));
      });
      expect(res.status, path).toBe(200);
      sizes[path] = res.body as number;
    }
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    // Printed so that a change's weight shows in the test output.
    console.info(`web chat page weight: ${total} bytes`, sizes);
    expect(total).toBeLessThan(60 * 1024);
  });

  it('serves fonts for every script from the product itself, each face limited to its unicode-range', async () => {
    app = await testApp();
    const css = await request(app.http).get('/fonts/fonts.css');
    expect(css.status).toBe(200);
    const families = [...new Set([...css.text.matchAll(/font-family: '([^']+)'/g)].map((m) => m[1]))];
    expect(families).toEqual(['Noto Sans', 'Noto Sans Arabic', 'Noto Sans Ethiopic', 'Noto Emoji']);
    const faces = css.text.split('@font-face').slice(1);
    for (const face of faces) expect(face).toMatch(/unicode-range: U\+/);
    expect(css.text).not.toMatch(/https?:\/\//);
    const ethiopic = /url\((\/fonts\/noto-sans-ethiopic\/[^)]+\.woff2)\)/.exec(css.text)?.[1];
    const font = await request(app.http).get(ethiopic!);
    expect(font.status).toBe(200);
    expect(font.headers['content-type']).toBe('font/woff2');
    expect(font.headers['cache-control']).toBe('public, max-age=2592000, immutable');
    expect((await request(app.http).get('/fonts/noto-sans-ethiopic/../../package.json')).status).toBe(404);
  });

  it('serves the web app manifest with its icons, and the embed snippet', async () => {
    app = await testApp();
    const manifest = await request(app.http).get('/manifest.webmanifest');
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
    const icons = (JSON.parse(manifest.text) as { icons: { src: string }[] }).icons;
    for (const icon of icons) expect((await request(app.http).get(icon.src)).status, icon.src).toBe(200);
    expect((await request(app.http).get('/embed.js')).text).toContain('data-org');
  });

  it('serves the web chat page and health probes', async () => {
    app = await testApp();
    const page = await request(app.http).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/webchat.js" defer></script>');
    expect((await request(app.http).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(app.http).get('/readyz')).body).toEqual({ status: 'ready' });
    await app.store.close();
    expect((await request(app.http).get('/readyz')).status).toBe(503);
  });
});
