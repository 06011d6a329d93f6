import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../support/test-app.ts';

type TestApp = Awaited<ReturnType<typeof testApp>>;

describe('security headers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await testApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await app?.dispose();
  });

  const csp = (frameAncestors: string) =>
    `default-src 'self';base-uri 'none';connect-src 'self';font-src 'self';form-action 'self';frame-ancestors ${frameAncestors};img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self'`;

  it('sends a CSP, nosniff, a referrer policy and no HSTS over plain HTTP, on pages and API answers', async () => {
    for (const path of ['/webchat.js', '/healthz', '/api/broadcasts', '/api/webchat/strings']) {
      const res = await request(app.http).get(path);
      expect(res.headers['content-security-policy'], path).toBe(csp("'self'"));
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['referrer-policy'], path).toBe('no-referrer');
      expect(res.headers['x-frame-options'], path).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], path).toBeUndefined();
    }
  });

  it('lets any site frame the chat page (organisations embed it), under the same CSP otherwise', async () => {
    for (const path of ['/', '/index.html', '/?org=secours']) {
      const res = await request(app.http).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-security-policy'], path).toBe(csp('*'));
      expect(res.headers['x-frame-options'], path).toBeUndefined();
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
    }
  });

  it('sends HSTS when a trusted proxy says the request came over HTTPS', async () => {
    const res = await request(app.http).get('/').set('x-forwarded-proto', 'https');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('the web chat page under its CSP, in Chromium', () => {
  let app: TestApp;
  let server: Server;
  let framer: Server;
  let browser: Browser;
  beforeAll(async () => {
    app = await testApp();
    server = await new Promise<Server>((resolve) => {
      const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    // An organisation's site (another origin: another port) framing the chat.
    framer = await new Promise<Server>((resolve) => {
      const s = createServer((_req, res) => res.setHeader('content-type', 'text/html').end(`<iframe src="http://127.0.0.1:${port}/"></iframe>`)).listen(0, '127.0.0.1', () => resolve(s));
    });
    browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of [server, framer]) await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
    await app?.dispose();
  });

  it('works with no CSP violation, on its own and framed by an organisation’s site', async () => {
    const page = await browser.newPage();
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refusals.push(message.text());
    });
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('#choices button', { hasText: 'English' }).click();
    await expect.poll(() => page.locator('#log li.bot').count()).toBeGreaterThanOrEqual(2);
    // The fonts (/fonts) have loaded, or been refused, before the refusals are read.
    await page.evaluate(async () => {
      await document.fonts.ready;
    });
    expect(refusals).toEqual([]);

    const { port: framerPort } = framer.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${framerPort}/`);
    const framed = page.frameLocator('iframe');
    await framed.locator('#composer').waitFor();
    await expect.poll(() => framed.locator('#log li.bot').count()).toBeGreaterThanOrEqual(1);
    expect(refusals).toEqual([]);
    await page.close();
  });
});
