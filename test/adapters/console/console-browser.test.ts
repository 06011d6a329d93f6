import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.ts';
import { arabicPersonJoins, chatTexts, consoleHarness, lastCode, orgWithAdmin, type ConsoleHarness } from './console.harness.ts';

// One complete NGO session in a real headless Chromium: sign-in with a code sent to the admin's
// web chat, a CSV import with bad rows, a broadcast reviewed and edited in Arabic, its progress
// live, a reply read next to its translation and answered. The person gets what was edited.

const SCREENSHOTS = new URL('../../../test-results/console/', import.meta.url);
const ADMIN_CHAT = 'admin-chat-0001';
const PERSON_CHAT = 'person-chat-0001';
const LANGS = ['ar', 'fa', 'uk', 'fr', 'ti'];
const NAMES = ['Amal', 'Yusuf', 'Olena', 'Hana', 'Dawit', 'Samir', 'Leila', 'Omid'];
/** Lines (the header is line 1) of the four bad rows, and what the report says of each. */
const BAD = new Map<number, [string, string]>([
  [10, ['Karim', 'not-a-phone,ar,whatsapp,']],
  [50, ['Sara', '+33 6 12 00 00 50,klingon,whatsapp,']],
  [120, ['Nadia', '+33 6 12 00 01 20,ar,carrier-pigeon,']],
  [201, ['R2D2', '+33 6 12 00 02 01,fr,whatsapp,']],
]);

function contactsCsv(): string {
  const lines = ['first_name,phone,language,channel,tags'];
  for (let line = 2; line <= 201; line++) {
    const bad = BAD.get(line);
    if (bad) lines.push(`${bad[0]},${bad[1]}`);
    else lines.push(`${NAMES[line % NAMES.length]},+33 6 12 ${String(line).padStart(6, '0').replace(/(\d\d)(\d\d)(\d\d)/, '$1 $2 $3')},${LANGS[line % LANGS.length]},whatsapp,paris|food`);
  }
  return `${lines.join('\n')}\n`;
}

let h: ConsoleHarness;
let browser: Browser;
const shots: string[] = [];

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const [w, hgt] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: hgt });
    const file = fileURLToPath(new URL(`${name}-${w}x${hgt}.png`, SCREENSHOTS));
    await page.screenshot({ path: file, fullPage: false });
    shots.push(file);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

beforeAll(async () => {
  // WhatsApp answers the first sends with 429 (throughput): every message must still arrive once.
  h = await consoleHarness({}, { throttleFirst: 3 });
  await h.app.start();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the NGO console in Chromium', () => {
  it('runs one complete NGO session, and the person receives the edited Arabic and the answer', { timeout: 90_000 }, async () => {
    const { org } = await orgWithAdmin(h, 'secours', 'amina@secours.org', ADMIN_CHAT);
    await arabicPersonJoins(h, 'secours', PERSON_CHAT, 'مريم');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const hosts = new Set<string>();
    page.on('request', (r) => hosts.add(new URL(r.url()).host));
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });

    // Sign in: the code arrives in the admin's web chat, through the outbox.
    await page.goto(`${h.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await shoot(page, 'sign-in');
    await page.getByLabel('E-mail address').first().fill('amina@secours.org');
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('Code (6 digits)').fill(await lastCode(h, ADMIN_CHAT));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${h.url}/console`);
    expect(await page.locator('h1').textContent()).toBe('Overview');
    expect(await page.locator('.brand').textContent()).toBe(org.name);

    // Import 200 contacts, 4 of them bad: the report names each by line.
    await page.goto(`${h.url}/console/contacts`);
    await page.locator('#csv-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(contactsCsv()) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('#rejected').waitFor();
    expect(await page.locator('#import-progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(100);
    expect(await page.locator('#import-report .notice').textContent()).toBe('196 added, 0 updated, 4 rejected.');
    expect(await page.locator('#rejected tbody tr td:first-child').allTextContents()).toEqual(['10', '50', '120', '201']);
    expect(await page.locator('#rejected tbody tr td:nth-child(2)').allTextContents()).toEqual([
      'phone: missing country code (start with +)',
      'language: not supported (use one of ar, fa, ps, uk, ti, so, tr, fr, es, en)',
      'channel: must be one of whatsapp-cloud, whatsapp-web, telegram, messenger',
      'first_name: must be letters (no digits, symbols or formatting characters)',
    ]);
    await shoot(page, 'contacts');

    // Compose: the audience count follows the filters live.
    await page.goto(`${h.url}/console/compose`);
    await page.getByLabel('Message', { exact: true }).fill('Hello {{firstName}}, the food distribution is on Monday at 10.');
    await page.locator('#sourceLang').selectOption('en');
    expect(await page.locator('#count').textContent()).toBe('197 people will receive it');
    await page.locator('input[name="langs"][value="ar"]').check();
    await page.locator('#count', { hasText: '38 people will receive it' }).waitFor();
    await page.locator('input[name="langs"][value="ar"]').uncheck();
    await page.locator('#count', { hasText: '197 people will receive it' }).waitFor();
    await shoot(page, 'compose');
    await page.getByRole('button', { name: 'Review translations' }).click();
    await page.locator('#t-ar').waitFor();
    expect(await page.locator('#t-ar').inputValue()).toBe('[ar] Hello {{firstName}}, the food distribution is on Monday at 10.');
    expect(await page.locator('[data-back="ar"]').textContent()).toMatch(/^\[en(-gb|-us)?\] \[ar\] Hello \{\{firstName\}\}/i);
    expect(await page.locator('#sum').textContent()).toBe('197 messages in all');
    const edited = 'مرحبا {{firstName}}، توزيع الطعام يوم الاثنين الساعة العاشرة.';
    await page.locator('#t-ar').fill(edited);
    // A term the translator should always use, saved to the glossary from the review, in place.
    await page.getByText('Save a term to the glossary').click();
    await page.locator('#g-lang').selectOption('ar');
    await page.getByLabel('Term in the original').fill('food distribution');
    await page.getByLabel('Its translation').fill('توزيع الطعام');
    await page.getByRole('button', { name: 'Save term' }).click();
    await page.locator('.inline-result', { hasText: 'Saved to the glossary.' }).waitFor();
    expect((await h.app.store.organisations.get(org.id))?.glossary).toEqual({ ar: { 'food distribution': 'توزيع الطعام' } });
    expect(await page.locator('#t-ar').inputValue()).toBe(edited);
    await shoot(page, 'review');
    await page.getByRole('button', { name: 'Send the broadcast' }).click();

    // The broadcast's page follows the sending live, without reloading.
    await page.waitForURL(/\/console\/broadcasts\/[^/]+$/);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const seen = new Set<number>();
    const started = Date.now();
    for (;;) {
      const value = await page.locator('#progress').evaluate((p: HTMLProgressElement) => p.value);
      seen.add(value);
      if (value === 100 || Date.now() - started > 40_000) break;
      await page.waitForTimeout(100);
    }
    expect(Math.max(...seen)).toBe(100);
    expect([...seen].some((v) => v > 0 && v < 100)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(await page.locator('#progress-label').textContent()).toBe('100% handled');
    expect(await page.locator('#by-lang tr[data-key="ar"] td[data-col="sent"]').textContent()).toBe('38');
    // Ukrainian has no approved template: its rows wait for the people to write (held, and why).
    expect(await page.locator('#by-lang tr[data-key="uk"] td[data-col="held"]').textContent()).toBe('40');
    // WhatsApp reports deliveries and reads afterwards: the funnel goes on to them.
    for (let i = 1; i <= 10; i++) await h.app.store.receipts.record('whatsapp-cloud', `wamid.${i}`, 'delivered', new Date());
    for (let i = 1; i <= 4; i++) await h.app.store.receipts.record('whatsapp-cloud', `wamid.${i}`, 'read', new Date());
    await page.reload();
    const cloud = page.locator('#by-channel tr[data-key="whatsapp-cloud"]');
    expect([await cloud.locator('td[data-col="sent"]').textContent(), await cloud.locator('td[data-col="delivered"]').textContent(), await cloud.locator('td[data-col="read"]').textContent()]).toEqual(['156', '10', '4']);
    expect(await page.locator('section', { hasText: 'Held messages' }).locator('tbody tr').count()).toBe(40);
    await shoot(page, 'broadcast');

    // Throttled at first, each WhatsApp recipient still got exactly one message.
    expect(h.throttled()).toBe(3);
    const recipients = h.sentToWhatsapp.map((b) => b['to']);
    expect([recipients.length, new Set(recipients).size]).toEqual([156, 156]);
    // The person got the Arabic as edited, with their name, once.
    const personTexts = await chatTexts(h, PERSON_CHAT);
    expect(personTexts.filter((t) => t.includes('مرحبا مريم، توزيع الطعام يوم الاثنين الساعة العاشرة.')).length).toBe(1);
    expect(personTexts.join('\n')).not.toContain('[ar] Hello');

    // They reply; the inbox shows it next to its translation; the admin answers, with a preview.
    const reply = 'شكرا، هل يمكنني أن آتي مع أطفالي؟';
    const res = await fetch(`${h.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: PERSON_CHAT, text: reply }) });
    expect(res.status).toBe(200);
    await h.app.settle();
    await page.goto(`${h.url}/console`);
    expect(await page.locator('a[href="/console/inbox"]', { hasText: 'unread' }).textContent()).toBe('1 unread replies');
    await page.goto(`${h.url}/console/inbox`);
    const thread = page.locator('section.thread', { hasText: 'مريم' });
    expect(await thread.locator('.them .original').textContent()).toBe(reply);
    expect(await thread.locator('.them .translation').textContent()).toMatch(/^\[en(-gb|-us)?\] شكرا، هل يمكنني أن آتي مع أطفالي؟$/i);
    await shoot(page, 'inbox');
    await thread.getByLabel('Your answer').fill('Yes, of course. Come with them.');
    await thread.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('#translated').inputValue()).toBe('[ar] Yes, of course. Come with them.');
    await shoot(page, 'answer-preview');
    // A double click on send: the answer still goes once.
    await page.getByRole('button', { name: 'Send the answer' }).dblclick();
    await page.waitForURL(/\/console\/inbox(#[^/]*)?$/);
    await page.locator('.thread .us').waitFor();
    const answers = (await chatTexts(h, PERSON_CHAT)).filter((t) => /\[ar\] Yes, of course\. Come with them\.$/.test(t));
    expect(answers.length).toBe(1);

    // The other pages, for people to look at.
    for (const [path, name] of [
      ['/console', 'overview'],
      ['/console/broadcasts', 'broadcasts'],
      ['/console/approvals', 'approvals'],
      ['/console/moderation', 'moderation'],
      ['/console/settings', 'settings'],
      ['/console/audit', 'audit'],
    ] as const) {
      await page.goto(`${h.url}${path}`);
      await shoot(page, name);
    }
    expect(await page.locator('#audit tbody td:nth-child(3)').allTextContents()).toEqual(
      expect.arrayContaining(['signed-in', 'contacts.imported', 'broadcast.sent', 'contact.answered']),
    );
    // The console in Arabic, right to left, chosen in the settings.
    await page.goto(`${h.url}/console/settings`);
    await page.locator('#lang').selectOption('ar');
    await page.locator('#lang').locator('xpath=..').getByRole('button').click();
    await page.goto(`${h.url}/console`);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction])).toEqual(['ar', 'rtl', 'rtl']);
    expect(await page.locator('h1').textContent()).toBe('نظرة عامة');
    await shoot(page, 'overview-ar');
    // Everything came from the product's own address.
    expect([...hosts]).toEqual([new URL(h.url).host]);
    // The strict Content-Security-Policy let every page and its script run: no violation, no script error.
    expect(errors).toEqual([]);
    expect(shots.length).toBe(28);
    await context.close();
  });
});
