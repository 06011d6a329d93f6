import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.ts';
import { testApp } from '../../support/test-app.ts';

/** A product listening on loopback and a Chromium to open its page in. */
export interface PageHarness {
  readonly app: Awaited<ReturnType<typeof testApp>>;
  readonly browser: Browser;
  readonly url: string;
  /** A fresh browser profile (its own user id) at a viewport size. */
  open(width?: number, height?: number, options?: { readonly path?: string }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** Starts the product and the browser. */
export async function pageHarness(): Promise<PageHarness> {
  // One browser, one address, many people typing fast: the per-address limit is not under test here.
  const app = await testApp({ WEBCHAT_RATE_PER_MINUTE: '100000' });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  return {
    app,
    browser,
    url,
    async open(width = 375, height = 667, options = {}) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      page.setDefaultTimeout(5_000);
      await page.goto(`${url}${options.path ?? '/'}`);
      return { context, page };
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.dispose();
    },
  };
}

/** Clicks the current button with this choice id and waits for the turn to finish. */
export async function choose(page: Page, choiceId: string): Promise<void> {
  await page.locator(`#choices button[data-choice-id="${choiceId}"]:not([disabled])`).click();
  await idle(page);
}

/** Types a message and sends it, then waits for the turn to finish. */
export async function type(page: Page, text: string): Promise<void> {
  await page.locator('#text').fill(text);
  await page.locator('#send:not([disabled])').click();
  await idle(page);
}

/** Waits until no request is in flight (no typing indicator). */
export async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('#log li.typing') && !(document.querySelector('#send') as HTMLButtonElement).disabled);
}

/** The bot's bubbles' texts, without their time stamps. */
export async function botTexts(page: Page): Promise<string[]> {
  return page.$$eval('#log li.bot:not(.typing)', (items) => items.map((li) => Array.from(li.childNodes, (n) => (n.nodeName === 'TIME' ? '' : n.textContent)).join('')));
}
