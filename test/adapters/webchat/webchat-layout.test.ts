import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS } from '../../support/chromium.ts';
import { choose, pageHarness, type, type PageHarness } from './webchat-page.harness.ts';

// The chat as a panel on a small phone, a common phone and a desktop, in a right-to-left
// language, an Ethiopic one and a Cyrillic one: after a dozen turns the input and the current
// buttons are still on screen, nothing scrolls sideways, and a reload brings the history back.

const VIEWPORTS = [
  [320, 568],
  [375, 667],
  [1280, 800],
] as const;
const PEOPLE = { ar: 'أمينة', ti: 'ሰላም', uk: 'Оксана' } as const;

let h: PageHarness;
beforeAll(async () => {
  h = await pageHarness();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await h?.close();
});

/** Where the input and the buttons are, and whether the page itself scrolls either way. */
async function geometry(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element) => el.getBoundingClientRect();
    const root = document.documentElement;
    return {
      input: box(document.querySelector('#text')!),
      send: box(document.querySelector('#send')!),
      buttons: Array.from(document.querySelectorAll('#choices button'), box),
      viewport: { width: root.clientWidth, height: window.innerHeight },
      scrollWidth: root.scrollWidth,
      scrollHeight: root.scrollHeight,
      scrollY: window.scrollY,
      bubbles: document.querySelectorAll('#log li').length,
      log: box(document.querySelector('#log')!),
      narrowest: Math.min(...Array.from(document.querySelectorAll('#log li.me'), (li) => box(li).width)),
    };
  });
}

describe('web chat panel layout', () => {
  for (const [width, height] of VIEWPORTS) {
    for (const lang of ['ar', 'ti', 'uk'] as const) {
      it(`${lang} at ${width}x${height}: after 12 turns the input and the buttons are on screen, no sideways scroll`, async () => {
        const { page, context } = await h.open(width, height);
        await choose(page, lang);
        await choose(page, 'agree');
        await choose(page, 'newcomer');
        await type(page, PEOPLE[lang]);
        await choose(page, 'skip');
        for (let turn = 6; turn <= 12; turn++) {
          if (turn % 2 === 0) await choose(page, 'help');
          else await type(page, `${PEOPLE[lang]} ${turn}`);
        }
        const g = await geometry(page);
        expect(g.bubbles).toBeGreaterThan(20);
        expect(g.scrollY).toBe(0);
        expect(g.scrollHeight).toBeLessThanOrEqual(g.viewport.height);
        expect(g.scrollWidth).toBeLessThanOrEqual(g.viewport.width);
        for (const r of [g.input, g.send, ...g.buttons]) {
          expect(r.top).toBeGreaterThanOrEqual(0);
          expect(r.bottom).toBeLessThanOrEqual(g.viewport.height);
          expect(r.left).toBeGreaterThanOrEqual(0);
          expect(r.right).toBeLessThanOrEqual(g.viewport.width);
        }
        // The send button keeps a margin from the screen's edge.
        expect(Math.min(g.send.left, g.viewport.width - g.send.right)).toBeGreaterThanOrEqual(8);
        expect(g.buttons.length).toBeGreaterThan(0);
        // The location button shows only while a place is asked for.
        expect(await page.locator('#locate').isVisible()).toBe(false);
        // A short answer gets a short bubble.
        expect(g.narrowest).toBeLessThan(g.log.width * 0.5);
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: fileURLToPath(new URL(`${lang}-${width}x${height}.png`, SCREENSHOTS)) });
        await context.close();
      });
    }
  }

  it('at 320 px the location button fits in the input row', async () => {
    const { page, context } = await h.open(320, 568);
    await choose(page, 'ti');
    await choose(page, 'agree');
    await choose(page, 'newcomer');
    await type(page, PEOPLE.ti);
    await page.locator('#locate').waitFor();
    const g = await geometry(page);
    expect(g.scrollWidth).toBeLessThanOrEqual(320);
    expect(g.send.right).toBeLessThanOrEqual(320 - 8);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: fileURLToPath(new URL('ti-320x568-location.png', SCREENSHOTS)) });
    await context.close();
  });

  it('a reload shows the last 50 messages, and loads only the fonts of the scripts on screen', async () => {
    const userId = 'web-reload-tigrinya-1';
    for (let i = 1; i <= 60; i++) {
      await h.app.store.webchat.append(userId, {
        author: i % 2 ? 'person' : 'bot',
        lang: i % 2 ? null : 'ti',
        message: { type: 'text', text: `ሰላም ${i}` },
        clientId: null,
        at: new Date(Date.UTC(2026, 10, 28, 10, i)).toISOString(),
      });
    }
    const context = await h.browser.newContext({ viewport: { width: 375, height: 667 } });
    await context.addInitScript((id) => localStorage.setItem('passerelle.userId', id), userId);
    const page = await context.newPage();
    const fonts: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/fonts/') && !r.url().endsWith('.css')) fonts.push(new URL(r.url()).pathname.split('/')[2]!);
    });
    await page.goto(h.url);
    await page.locator('#log li').nth(49).waitFor();
    await page.evaluate(() => document.fonts.ready);
    expect(await page.locator('#log li').count()).toBe(50);
    expect(await page.locator('#log li').first().evaluate((li) => li.firstChild?.textContent)).toBe('ሰላም 11');
    expect(await page.locator('#log li').last().evaluate((li) => li.firstChild?.textContent)).toBe('ሰላም 60');
    // No start request was sent: the history is the conversation.
    expect((await h.app.store.webchat.list(userId, { limit: 100 })).length).toBe(60);
    expect(fonts).toContain('noto-sans-ethiopic');
    expect(fonts).not.toContain('noto-sans-arabic');
    await context.close();
  });
});
