import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS } from '../../support/chromium.ts';
import { createOrg } from '../../support/organisations.ts';
import { botTexts, choose, idle, pageHarness, type, type PageHarness } from './webchat-page.harness.ts';

// The web chat page in a real headless Chromium: the script, the buttons, directions and errors
// are what a person on a phone gets, which the JSON endpoint tests cannot show.

const locale = (flow: string, lang: string) =>
  JSON.parse(readFileSync(new URL(`../../../bots/${flow}/locales/${lang}.json`, import.meta.url), 'utf8')) as Record<string, string> & { webchat: Record<string, string> };
const ar = locale('onboarding', 'ar');
const arCommon = locale('common', 'ar');

let h: PageHarness;
beforeAll(async () => {
  h = await pageHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('web chat page in Chromium', () => {
  it('switches to Arabic, right to left, with numbered buttons and its own words localised', async () => {
    const { page, context } = await h.open();
    const arabic = page.locator('#choices button', { hasText: 'العربية' });
    await arabic.waitFor();
    expect(await page.locator('#choices button').allTextContents()).toEqual(['العربية', 'فارسی / دری', 'پښتو', 'Українська', 'ትግርኛ', 'Soomaali', 'Türkçe', 'Français', 'Español', 'English']);
    expect(await page.$$eval('#choices button', (bs) => bs.map((b) => getComputedStyle(b, '::before').content))).toEqual(
      Array.from({ length: 10 }, (_, i) => `"${i + 1} "`),
    );
    await choose(page, 'ar');
    expect((await botTexts(page)).at(-1)).toBe(ar['privacy']);
    expect(
      await page.evaluate(() => {
        const last = Array.from(document.querySelectorAll('#log li.bot')).at(-1)!;
        const input = document.querySelector('#text')!;
        return {
          lang: last.getAttribute('lang'),
          dir: getComputedStyle(last).direction,
          page: [document.documentElement.lang, document.documentElement.dir],
          placeholder: input.getAttribute('placeholder'),
          inputLabel: input.getAttribute('aria-label'),
          sendLabel: document.querySelector('#send')!.getAttribute('aria-label'),
          arrow: getComputedStyle(document.querySelector('#send svg')!).transform,
          numbers: Array.from(document.querySelectorAll('#choices button')).map((b) => b.getAttribute('data-n')),
        };
      }),
    ).toEqual({
      lang: 'ar',
      dir: 'rtl',
      page: ['ar', 'rtl'],
      placeholder: arCommon.webchat['placeholder'],
      inputLabel: arCommon.webchat['message'],
      sendLabel: arCommon.webchat['send'],
      arrow: 'matrix(-1, 0, 0, 1, 0, 0)',
      numbers: ['1', '2'],
    });
    // What the person tapped is echoed in the log, as they see it.
    expect(await page.locator('#log li.me').evaluateAll((items) => items.map((li) => li.firstChild?.textContent))).toEqual(['العربية']);
    await choose(page, 'agree');
    expect((await botTexts(page)).at(-1)).toBe(ar['askRole']);
    expect(await page.locator('#choices button').allTextContents()).toEqual([ar['roleNewcomer'], ar['roleResident'], ar['roleStaff'], ar['roleRecruiter']]);
    await context.close();
  });

  it('sends one choice for a double click, and keeps the buttons off while the turn runs', async () => {
    const { page, context } = await h.open();
    await page.locator('#choices button[data-choice-id="fr"]').dblclick();
    await idle(page);
    expect(await page.locator('#log li.me').count()).toBe(1);
    const userId = await page.evaluate(() => localStorage.getItem('passerelle.userId'));
    const entries = await h.app.store.webchat.list(userId!, { limit: 50 });
    expect(entries.filter((e) => e.author === 'person').map((e) => e.message.text)).toEqual(['Français']);
    // A slow turn: the buttons are disabled until its answer arrives.
    await page.route('**/api/webchat/messages', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    await page.locator('#choices button[data-choice-id="agree"]').click();
    expect(await page.locator('#choices button:not([disabled])').count()).toBe(0);
    expect(await page.locator('#log li.typing').count()).toBe(1);
    await idle(page);
    expect(await page.locator('#choices button:not([disabled])').count()).toBe(4);
    await context.close();
  });

  it('says in Arabic when a message could not be sent, and its retry sends it once', async () => {
    const { page, context } = await h.open();
    await choose(page, 'ar');
    let failNext = true;
    await page.route('**/api/webchat/messages', (route) => {
      if (route.request().method() === 'POST' && failNext) {
        failNext = false;
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    await page.locator('#choices button[data-choice-id="agree"]').click();
    const error = page.locator('#log li.error');
    await error.waitFor();
    expect(await error.getAttribute('lang')).toBe('ar');
    expect(await error.textContent()).toBe(`${arCommon.webchat['offline']} ${arCommon.webchat['retry']}`);
    await error.locator('button').click();
    await idle(page);
    expect((await botTexts(page)).at(-1)).toBe(ar['askRole']);
    expect(await page.locator('#log li.me').count()).toBe(2);
    expect(await page.locator('#log li.error').count()).toBe(0);
    await context.close();
  });

  it('tells a person who refused the location to type their town, in their language', async () => {
    const { page, context } = await h.open();
    await choose(page, 'ar');
    await choose(page, 'agree');
    await choose(page, 'newcomer');
    await type(page, 'أمينة');
    const locate = page.locator('#locate');
    await locate.waitFor();
    await locate.click();
    const error = page.locator('#log li.error');
    await error.waitFor();
    expect(await error.textContent()).toBe(arCommon.webchat['locationDenied']);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');
    await context.close();
  });

  it('shows a broadcast within a second, in the reader’s direction, with links that leave punctuation out', async () => {
    const org = await createOrg(h.app.store, { code: 'secours', name: 'Secours Populaire', lang: 'fr' });
    // The embed snippet's page: the person joins the organisation by its code.
    const { page, context } = await h.open(375, 667, { path: '/?org=secours' });
    await choose(page, 'ar');
    await choose(page, 'agree');
    await choose(page, 'newcomer');
    await type(page, 'أمينة');
    await choose(page, 'skip');
    const userId = await page.evaluate(() => localStorage.getItem('passerelle.userId'));
    expect(await h.app.store.contacts.findByAddress({ channel: 'webchat', id: userId! })).toMatchObject([{ orgId: org.id, lang: 'ar' }]);
    const res = await fetch(`${h.url}/api/broadcasts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Cours de français (https://example.org/cours).', sourceLang: 'fr' }),
    });
    expect(res.status).toBe(201);
    const before = await page.locator('#log li.bot').count();
    await h.app.broadcasts.tick();
    const sentAt = Date.now();
    await h.app.outbox.drain('webchat');
    await page.locator('#log li.bot').nth(before).waitFor({ timeout: 1_000 });
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    const bubble = await page.locator('#log li.bot').nth(before).evaluate((li) => ({
      lang: li.getAttribute('lang'),
      direction: getComputedStyle(li).direction,
      link: [li.querySelector('a')?.getAttribute('href'), li.querySelector('a')?.textContent, li.querySelector('a')?.nextSibling?.textContent?.slice(0, 3)],
    }));
    expect(bubble).toEqual({ lang: 'ar', direction: 'rtl', link: ['https://example.org/cours', 'https://example.org/cours', ').'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: fileURLToPath(new URL('ar-375x667-broadcast.png', SCREENSHOTS)) });
    await context.close();
  });

  it('embeds in an organisation’s own page with one script tag: a button opens the chat with the organisation’s code', async () => {
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    // The NGO's site: another origin than the chat's, on loopback too (Chromium keeps pages
    // from loading scripts off a more private address space).
    const site = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><h1>Secours</h1><script src="${h.url}/embed.js" data-org="secours" async></script>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
    await page.locator('button[aria-label="Passerelle"]').click();
    const frame = page.locator('iframe[title="Passerelle"]');
    expect(await frame.getAttribute('src')).toBe(`${h.url}/?org=secours`);
    await page.frameLocator('iframe[title="Passerelle"]').locator('#choices button', { hasText: 'العربية' }).waitFor();
    await page.locator('button[aria-label="Passerelle"]').click();
    expect(await frame.isVisible()).toBe(false);
    await context.close();
    await new Promise((resolve) => site.close(resolve));
  });

  it('fails with what to install when Chromium is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(/Chromium at \/nonexistent\/chromium\. Install Debian's package with `apt-get install -y chromium`/);
  });
});
