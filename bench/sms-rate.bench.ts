/**
 * bench:sms — the SMS gate under a 2,000-recipient broadcast (Twilio back-end, its API a
 * loopback fake reached through TWILIO_API_URL) while 20 people text the bot through the signed
 * webhook. Prints the measured send rate against the configured one, the busiest second, and how
 * long the people waited for their replies (they go ahead of the bulk lane).
 *
 *   npm run bench:sms                 2,000 recipients at RATE_SMS=50
 *   BENCH_RATE=10 npm run bench:sms   Twilio's default rate (3.5 minutes)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import { silentLogger } from '../core/ports/logger.port.ts';
import { startFakeTwilio } from '../test/fakes/twilio-api.ts';
import { peakPerSecond } from '../test/support/audiences.ts';
import { BENCH_ORG } from './seed-contacts.ts';

const RECIPIENTS = Number(process.env['BENCH_RECIPIENTS'] ?? 2_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 50);
const PEOPLE = 20;
const SID = 'AC00000000000000000000000000bench';
const TOKEN = 'bench-auth-token-0123456789abcdef';
const PUBLIC_URL = 'https://bench.example.org';

const fake = await startFakeTwilio(SID, TOKEN);
const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-sms-'));
const app = await createApp(
  loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: '+33757000000', TWILIO_API_URL: fake.url, TWILIO_PUBLIC_URL: PUBLIC_URL, RATE_SMS: String(RATE) }),
  { logger: silentLogger },
);
await app.store.organisations.create({ ...BENCH_ORG, createdAt: new Date().toISOString() });
const phones = Array.from({ length: RECIPIENTS }, (_, i) => `+3360${String(i).padStart(7, '0')}`);
for (let i = 0; i < RECIPIENTS; i += 500) {
  const rows = phones.slice(i, i + 500).map((phone, j) => ({ firstName: `P${i + j}`, phone, lang: 'fr', channel: 'sms' as const, address: { channel: 'sms' as const, id: phone }, tags: [] }));
  await app.store.contacts.importMany(BENCH_ORG.id, rows, () => crypto.randomUUID(), new Date());
}
const server = app.http.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/twilio/sms`;
await app.start();

const broadcastPhones = new Set(phones);
const bulkTimes: number[] = [];
const waits: number[] = [];
const asked = new Map<string, number>();
fake.onMessage((m) => {
  if (broadcastPhones.has(m.to)) bulkTimes.push(m.at);
  const since = asked.get(m.to);
  if (since !== undefined) {
    waits.push(m.at - since);
    asked.delete(m.to);
  }
});

/** One person texts the bot, signed as Twilio signs. */
async function text(from: string, body: string, n: number): Promise<void> {
  const sid = `SM${n.toString(16).padStart(32, '0')}`;
  const fields = { MessageSid: sid, SmsSid: sid, AccountSid: SID, From: from, To: '+33757000000', Body: body, NumMedia: '0' };
  const signature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC_URL}/webhooks/twilio/sms`, fields);
  asked.set(from, performance.now());
  const res = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(fields) });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
}

const { broadcast } = await app.broadcasts.create({ orgId: BENCH_ORG.id, text: 'Distribution de colis samedi à 10 h à la mairie. Apportez votre carte.', sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
const started = performance.now();
const expectedSeconds = RECIPIENTS / (RATE * app.config.RATE_BULK_SHARE);
// People text at even times through the broadcast's first half (each a first message: the language picker comes back).
const texting = Array.from({ length: PEOPLE }, (_, i) =>
  new Promise<void>((resolve, reject) => setTimeout(() => text(`+4915${String(i).padStart(8, '0')}`, 'Bonjour', i + 1).then(resolve, reject), ((i + 1) * expectedSeconds * 500) / PEOPLE)),
);
await Promise.all(texting);
while ((await app.store.outbox.openCount(broadcast.id)) > 0) await new Promise((r) => setTimeout(r, 250));
const seconds = (performance.now() - started) / 1000;
const stats = await app.store.outbox.stats(broadcast.id);
await app.close();
server.close();
await fake.close();
rmSync(dir, { recursive: true, force: true });

const sorted = [...waits].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const measured = (bulkTimes.length - 1) / ((Math.max(...bulkTimes) - Math.min(...bulkTimes)) / 1000);
console.log(`bench:sms  ${RECIPIENTS} SMS recipients, RATE_SMS=${RATE}/s (bulk share ${app.config.RATE_BULK_SHARE}: ${RATE * app.config.RATE_BULK_SHARE}/s), ${PEOPLE} people texting meanwhile`);
console.log(`  broadcast: ${stats.byStatus['sent'] ?? 0} sent in ${seconds.toFixed(1)} s; measured bulk rate ${measured.toFixed(2)}/s; busiest second ${peakPerSecond(bulkTimes)} bulk sends (limit ${RATE})`);
console.log(`  all SMS (bulk + replies) in the busiest second: ${peakPerSecond(fake.messages.map((m) => m.at))} (limit ${RATE})`);
console.log(`  replies to people texting: ${waits.length}/${PEOPLE}, wait p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms, max ${Math.max(...waits).toFixed(0)} ms (the bulk lane had ${RECIPIENTS} queued)`);
