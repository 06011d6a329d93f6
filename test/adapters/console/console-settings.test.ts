import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRouter } from '../../../adapters/console/console.router.ts';
import { ConsoleClient, consoleHarness, orgWithAdmin, type ConsoleHarness } from './console.harness.ts';

// Settings that depend on the channels: the WhatsApp web client's pairing QR code on the page
// (a fake pairing state here: the real client needs a phone), the templates, the Telegram code.

let h: ConsoleHarness;
let server: Server;
let url: string;
let pairing: { state: string; qr: string | null } = { state: 'qr', qr: '2@Qm9ndXMgcGFpcmluZyBjb2Rl,abc,def' };

beforeAll(async () => {
  h = await consoleHarness({ CONSOLE_SIGNIN_PER_MINUTE: '1000' });
  await orgWithAdmin(h, 'secours', 'admin@secours.org', 'chat-admin');
  const { app } = h;
  const router = consoleRouter({
    store: app.store,
    accounts: app.accounts,
    broadcasts: app.broadcasts,
    replies: app.replies,
    relays: app.relays,
    beforeErase: async () => undefined,
    approve: async () => ({ ok: true }),
    clock: app.clock,
    ids: { newId: () => crypto.randomUUID() },
    costs: undefined,
    templates: app.config.WHATSAPP_TEMPLATES,
    pairing: () => pairing,
    signInPerMinute: 1000,
  });
  server = await new Promise<Server>((resolve) => {
    const s = express().use(router).listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await h?.close();
});

describe('console settings', () => {
  it('shows the WhatsApp web pairing QR code to admins, the templates per language, and a Telegram linking code', async () => {
    const client = new ConsoleClient(url);
    await client.signIn(h, 'admin@secours.org', 'chat-admin');
    const page = await client.get('/console/settings');
    expect(page.text).toContain('State: qr');
    expect(page.text).toMatch(/<div class="qr"><svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(page.text).toContain('On the NGO&#39;s phone: WhatsApp, Linked devices, Link a device, then scan this code.');
    for (const lang of ['ar', 'fa', 'fr', 'ti', 'en']) expect(page.text).toContain(`<tr><td>broadcast</td><td>${lang}</td><td>news (${lang})</td></tr>`);
    pairing = { state: 'ready', qr: null };
    const ready = await client.get('/console/settings');
    expect(ready.text).toContain('State: ready');
    expect(ready.text).not.toContain('<div class="qr">');
    const linked = await client.post('/console/settings/telegram/link-code');
    const code = /<code>link ([A-Za-z0-9_-]+)<\/code>/.exec(linked.text)?.[1];
    expect(code).toBeDefined();
    expect((await h.app.store.organisations.findByCode('secours'))?.linkCode).toBe(code);
  });
});
