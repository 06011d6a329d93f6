import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../support/test-app.ts';

// The web chat page in a real headless Chromium: the script, the buttons, and the document
// direction are what a person on a phone gets, which the JSON endpoint tests cannot show.

type TestApp = Awaited<ReturnType<typeof testApp>>;
let app: TestApp;
let server: Server;
let browser: Browser;
let page: Page;

const ar = JSON.parse(readFileSync(new URL('../../../bots/onboarding/locales/ar.json', import.meta.url), 'utf8')) as Record<string, string>;

beforeAll(async () => {
  app = await testApp();
  server = await new Promise<Server>((resolve, reject) => {
    const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.setDefaultTimeout(5_000);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await app?.dispose();
});

/** The text, lang and dir of the bot's last message, and the page's lang and dir. */
async function lastBotMessage() {
  return page.evaluate(() => {
    const items = document.querySelectorAll<HTMLLIElement>('#log li.bot');
    const last = items[items.length - 1];
    return {
      text: last?.textContent ?? null,
      lang: last?.getAttribute('lang') ?? null,
      dir: last?.getAttribute('dir') ?? null,
      pageLang: document.documentElement.lang,
      pageDir: document.documentElement.dir,
      buttons: Array.from(document.querySelectorAll('#choices button'), (b) => b.textContent),
    };
  });
}

describe('web chat page in Chromium', () => {
  it('switches to Arabic, right to left, when العربية is clicked, then asks the role after agreeing', async () => {
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);

    const arabic = page.locator('#choices button', { hasText: 'العربية' });
    await arabic.waitFor();
    expect(await page.locator('#choices button').allTextContents()).toEqual([
      'العربية',
      'فارسی / دری',
      'پښتو',
      'Українська',
      'ትግርኛ',
      'Soomaali',
      'Türkçe',
      'Français',
      'Español',
      'English',
    ]);

    await arabic.click();
    await page.locator('#log li.bot', { hasText: ar['privacy']! }).waitFor();
    expect(await lastBotMessage()).toEqual({
      text: ar['privacy'],
      lang: 'ar',
      dir: 'rtl',
      pageLang: 'ar',
      pageDir: 'rtl',
      buttons: [ar['agree'], ar['disagree']],
    });
    // What the person tapped is echoed in the log, as they see it.
    expect(await page.locator('#log li.me').allTextContents()).toEqual(['العربية']);

    await page.locator('#choices button', { hasText: ar['agree']! }).click();
    await page.locator('#log li.bot', { hasText: ar['askRole']! }).waitFor();
    expect(await lastBotMessage()).toEqual({
      text: ar['askRole'],
      lang: 'ar',
      dir: 'rtl',
      pageLang: 'ar',
      pageDir: 'rtl',
      buttons: [ar['roleNewcomer'], ar['roleResident'], ar['roleStaff'], ar['roleRecruiter']],
    });
  });
});
