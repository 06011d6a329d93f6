/**
 * bench:relay — the CPU cost of relaying one message between two people through the core: the
 * writer's turn (pipeline, dialog, SQLite write), the relay effect (both people and the relay read,
 * the message stored, translation through the TranslationService with an instant fake
 * translator, so the translator's latency is excluded), the outbox row and its dispatch to a fake
 * channel (unpaced: the channel's rate limit is not what is measured). Prints CPU per message, messages per second and p50/p99 latency of a message until sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../adapters/app.ts';
import { loadConfig } from '../adapters/config.ts';
import { LANGUAGE_CODES } from '../core/i18n/languages.ts';
import type { Address, InboundContent } from '../core/messages.ts';
import type { ChannelSender } from '../core/ports/channel.port.ts';
import { silentLogger } from '../core/ports/logger.port.ts';
import type { Person } from '../core/ports/people.port.ts';
import type { Translator } from '../core/ports/translator.port.ts';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 2000);

let delivered = 0;
/** Relayed messages only (headed "💬 name · subject:"), not prompts or notices. */
let relayedOut = 0;
const sender: ChannelSender = {
  channel: 'telegram',
  capabilities: { maxButtons: 8, maxButtonLabel: 64, maxTextLength: 4096, locationRequest: true },
  async send(_to, message) {
    delivered += 1;
    if (message.text.startsWith('💬')) relayedOut += 1;
    return { status: 'delivered', platformMessageId: `m${delivered}` };
  },
};
const translator: Translator = {
  name: 'instant',
  targets: async () => new Map(LANGUAGE_CODES.map((lang) => [lang, { lang, markup: true, glossary: false }])),
  translate: async (request) => ({ texts: request.texts.map((t) => `[${request.target}] ${t}`), detectedSource: null, billedCharacters: 0 }),
};

const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-relay-'));
const app = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', RATE_TELEGRAM: '100000' }), {
  logger: silentLogger,
  senders: [sender],
  translators: { primary: translator, secondary: null },
});
app.relays.registerSubject({ kind: 'bench-post', header: async (_id, lang) => (lang === 'ar' ? '🔧 سباكة' : '🔧 Plomberie') });

const now = new Date();
const seed = async (id: string, lang: string, chat: string): Promise<Person> => {
  const at: Address = { channel: 'telegram', id: chat };
  const person: Person = {
    id,
    role: 'newcomer',
    roleStatus: 'active',
    lang,
    firstName: id,
    place: null,
    consent: { noticeVersion: 1, givenAt: now.toISOString() },
    orgId: null,
    subscribed: true,
    identities: [at],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await app.store.people.create(person);
  return person;
};
const amina = await seed('Amina', 'ar', '1001');
const lea = await seed('Lea', 'fr', '1002');
let n = 0;
const say = async (chat: string, content: InboundContent): Promise<void> => {
  await app.pipeline.handle({ id: `bench-${++n}`, from: { channel: 'telegram', id: chat }, content, receivedAt: new Date() });
  await app.pipeline.idle();
  await app.settle();
};
await say('1001', { type: 'text', text: 'menu' });
await say('1002', { type: 'text', text: 'menu' });
await app.relays.request('bench-request', lea, { subjectKind: 'bench-post', subjectId: 'p1', toPersonId: amina.id });
await app.pipeline.idle();
await say('1001', { type: 'choice', choiceId: 'accept' });
await say('1002', { type: 'choice', choiceId: 'open' });

const before = relayedOut;
const latencies: number[] = [];
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < MESSAGES; i++) {
  const t0 = performance.now();
  await say(i % 2 === 0 ? '1001' : '1002', { type: 'text', text: i % 2 === 0 ? `رسالة رقم ${i} عن المغسلة` : `Message ${i} : samedi vers 10 h ?` });
  latencies.push(performance.now() - t0);
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const relayed = relayedOut - before;
await app.close();
rmSync(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(`bench:relay  ${MESSAGES} messages relayed between two people (Arabic <-> French), SQLite file (WAL), instant fake translator`);
console.log(`  relayed to the other side: ${relayed} of ${MESSAGES}`);
console.log(`  process CPU per relayed message (all threads, GC included): ${((cpuMs * 1000) / MESSAGES).toFixed(0)} µs   (CPU ${(cpuMs / 1000).toFixed(2)} s, wall ${seconds.toFixed(2)} s, ${(MESSAGES / seconds).toFixed(0)} messages/s one at a time)`);
console.log(`  latency from the writer's message to the reader's send: p50 ${pct(50)} ms   p99 ${pct(99)} ms   max ${latencies.at(-1)!.toFixed(2)} ms`);
if (relayed !== MESSAGES) process.exitCode = 1;
