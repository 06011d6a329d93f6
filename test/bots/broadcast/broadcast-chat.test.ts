import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocales } from '../../../bots/locales.ts';
import type { Address, InboundContent } from '../../../core/messages.ts';
import { recordingSender } from '../../fakes/recording-sender.ts';
import { FakeTranslator, full } from '../../core/translation/translation.fakes.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

const locales = loadLocales();
/** One of the bot's own strings, as the product renders it (English when a language lacks it). */
function say(lang: string, key: string): string {
  const [ns, name] = key.split(':') as [string, string];
  const table = (locales[lang]?.[ns] ?? locales['en']![ns]) as Record<string, string>;
  return table[name] ?? (locales['en']![ns] as Record<string, string>)[name]!;
}

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

let n = 0;
/** The senders of the current test: replies to the writer are taken off them, broadcasts and notices stay. */
let recorders: ReturnType<typeof recordingSender>[] = [];
/**
 * One message from a person; returns the replies they read. The outbox sends them (to the
 * recording sender, or in the web chat's answer), and they are taken off the recording so that
 * what remains there is what the test looks at: broadcasts, answers and staff notices.
 */
async function send(from: Address, content: InboundContent): Promise<string[]> {
  const replies = await app!.pipeline.handle({ id: `chat-${++n}`, from, content, receivedAt: app!.clock.now() });
  const before = recorders.map((r) => r.sent.length);
  await app!.settle();
  const received: string[] = [];
  recorders.forEach((r, i) => {
    const added = r.sent.splice(before[i]!);
    const toWriter = (s: (typeof added)[number]) => s.to.id === from.id && s.to.channel === from.channel;
    received.push(...added.filter(toWriter).map((s) => s.message.text));
    r.sent.push(...added.filter((s) => !toWriter(s)));
  });
  return from.channel === 'webchat' ? replies.map((r) => r.message.text) : received;
}
const text = (t: string): InboundContent => ({ type: 'text', text: t });
const choice = (id: string): InboundContent => ({ type: 'choice', choiceId: id });

async function onboard(from: Address, role: string, name: string, start?: InboundContent): Promise<string[]> {
  await send(from, start ?? { type: 'start' });
  await send(from, text('English'));
  await send(from, choice('agree'));
  await send(from, choice(role));
  await send(from, text(name));
  return send(from, choice('skip'));
}

async function setup() {
  // Lists of up to 10 choices, as WhatsApp shows them: a reply's text is then its first line.
  const lists = { maxButtons: 10, maxButtonLabel: 24, maxTextLength: 4096, locationRequest: false };
  const wa = recordingSender('whatsapp-cloud', undefined, lists);
  const telegram = recordingSender('telegram', undefined, lists);
  const translator = new FakeTranslator('fake', ['en', 'fr', 'ar'].map(full));
  app = await testApp({ RATE_WHATSAPP_CLOUD: '10000', RATE_TELEGRAM: '10000' }, { senders: [wa, telegram], translators: { primary: translator, secondary: null } });
  recorders = [wa, telegram];
  const org = await createOrg(app.store, { code: 'alpha', name: 'Alpha Aid', lang: 'fr', staffChatId: '-100777' });
  return { wa, telegram, translator, org };
}

async function deliverAll() {
  await app!.broadcasts.tick();
  await app!.outbox.drain('whatsapp-cloud');
  await app!.broadcasts.tick();
}

describe('broadcasts in chat', () => {
  it('people join by deep link or JOIN code; approved staff write, preview in two languages, confirm', async () => {
    const { wa, org } = await setup();
    // A newcomer arrives through t.me/<bot>?start=alpha: after signing up, they are in.
    const amir: Address = { channel: 'whatsapp-cloud', id: '33611111111' };
    const end = await onboard(amir, 'newcomer', 'Amir', { type: 'start', payload: 'alpha' });
    expect(end).toEqual(['Welcome, Amir! You are signed up.', 'You joined Alpha Aid. You will receive its news here.', 'Menu: what would you like to do?']);
    // Another types JOIN at the menu; a wrong code is explained.
    const hana: Address = { channel: 'whatsapp-cloud', id: '33622222222' };
    await onboard(hana, 'resident', 'Hana');
    expect(await send(hana, text('JOIN nowhere'))).toEqual([say('en', 'broadcast:unknownCode'), 'Menu: what would you like to do?']);
    expect(await send(hana, text('join ALPHA'))).toEqual(['You joined Alpha Aid. You will receive its news here.', 'Menu: what would you like to do?']);

    // Staff: pending until approved, then the menu offers a new broadcast.
    const staff: Address = { channel: 'webchat', id: 'staff-0001' };
    await onboard(staff, 'ngo-staff', 'Sara');
    await send(staff, choice('broadcast'));
    const person = await app!.store.people.findByAddress(staff);
    expect(await send(staff, choice('broadcast'))).toEqual([say('en', 'broadcast:notApproved'), 'Menu: what would you like to do?']);
    await app!.store.people.update(person!.id, { roleStatus: 'active', orgId: org.id }, new Date());
    expect(await send(staff, choice('broadcast'))).toEqual(['Write the message to send. Each person will receive it in their own language.']);
    expect(await send(staff, text('Hello {{firstName}}, meeting at 18:00.'))).toEqual(['Preview in which language? (1/2)']);
    expect(await send(staff, text('Français'))).toEqual(['And in which second language? (2/2)']);
    const preview = await send(staff, text('العربية'));
    expect(preview).toEqual([
      `Preview (recipients: 2):\n\nFrançais:\n[fr] Hello ${say('fr', 'broadcast:sampleName')}, meeting at 18:00.\n\nالعربية:\n[ar] Hello ${say('ar', 'broadcast:sampleName')}, meeting at 18:00.`,
      'Send this message now?',
    ]);
    expect(wa.sent).toEqual([]);
    expect(await send(staff, choice('send'))).toEqual(['Done. Recipients: 2.', 'Menu: what would you like to do?']);
    await deliverAll();
    expect(wa.sent.map((s) => [s.to.id, s.message.text])).toEqual(
      expect.arrayContaining([
        ['33611111111', `📢 Alpha Aid\nHello Amir, meeting at 18:00.\n\n${say('en', 'broadcast:replyHint').replace('{{org}}', 'Alpha Aid')}`],
        ['33622222222', `📢 Alpha Aid\nHello Hana, meeting at 18:00.\n\n${say('en', 'broadcast:replyHint').replace('{{org}}', 'Alpha Aid')}`],
      ]),
    );
  });

  it("a reply reaches the NGO's inbox and staff chat in its language; the NGO's answer arrives translated", async () => {
    const { wa, telegram, org } = await setup();
    const amir: Address = { channel: 'whatsapp-cloud', id: '33611111111' };
    await onboard(amir, 'newcomer', 'Amir', { type: 'start', payload: 'alpha' });
    await app!.broadcasts.create({ orgId: org.id, text: 'Distribution demain.', sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
    await deliverAll();
    expect(wa.sent).toHaveLength(1);

    expect(await send(amir, text('Can I come with my son?'))).toEqual(['Thank you. Your message was passed to Alpha Aid.', 'Menu: what would you like to do?']);
    const inbox = await app!.store.inbox.list(org.id, { limit: 10 });
    expect(inbox).toMatchObject([{ direction: 'in', text: 'Can I come with my son?', lang: 'en', translatedText: '[fr] Can I come with my son?', translatedLang: 'fr' }]);
    expect(telegram.sent).toEqual([
      {
        to: { channel: 'telegram', id: '-100777' },
        message: { type: 'text', text: `${say('fr', 'broadcast:staffForward').replace('{{name}}', 'Amir').replace('{{lang}}', 'en').replace('{{text}}', '[fr] Can I come with my son?')}\n${say('fr', 'broadcast:staffOriginal').replace('{{text}}', 'Can I come with my son?')}` },
      },
    ]);

    const answered = await request(app!.http)
      .post(`/api/contacts/${inbox[0]!.contactId}/messages`)
      .set('authorization', `Bearer ${org.apiKey}`)
      .send({ text: 'Oui, bien sûr.' });
    // 202: the answer is queued in the outbox, which sends it right away (the window is open).
    expect(answered.status).toBe(202);
    expect(answered.body.delivery).toEqual({ id: expect.stringMatching(/^answer:/), status: 'pending' });
    await app!.settle();
    expect(wa.sent.at(-1)).toEqual({ to: amir, message: { type: 'text', text: '✉️ Alpha Aid:\n[en] Oui, bien sûr.' } });
  });

  it('an imported contact who never signed up can reply; "stop" keeps every later broadcast away', async () => {
    const { wa, org } = await setup();
    const laila: Address = { channel: 'whatsapp-cloud', id: '33633333333' };
    await app!.store.contacts.importMany(org.id, [{ firstName: 'Laila', phone: '+33633333333', lang: 'ar', channel: 'whatsapp-cloud', address: laila, tags: [] }], () => 'c-laila', new Date());
    await app!.broadcasts.create({ orgId: org.id, text: 'Bonjour {{firstName}}', sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
    await deliverAll();
    expect(wa.sent[0]?.message.text.split('\n')[1]).toBe('[ar] Bonjour Laila');

    const first = await send(laila, text('شكرا'));
    // Told in her own language that the NGO got it, then asked to pick a language as anyone new.
    expect(first[0]).toBe(say('ar', 'onboarding:replyForwarded').replace('{{first.orgName}}', 'Alpha Aid'));
    expect(await app!.store.inbox.list(org.id, { limit: 5 })).toMatchObject([{ text: 'شكرا', lang: 'ar', translatedText: '[fr] شكرا' }]);

    expect((await send(laila, text('توقف'))).length).toBeGreaterThan(0);
    await app!.broadcasts.create({ orgId: org.id, text: 'Encore', sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
    await deliverAll();
    expect(wa.sent).toHaveLength(1);
    expect((await app!.store.contacts.get(org.id, 'c-laila'))?.subscribed).toBe(false);
  });
});

describe('broadcasts to the web chat', () => {
  it('a web chat user who joined finds the broadcast in their history, in their language', async () => {
    const { org } = await setup();
    const web: Address = { channel: 'webchat', id: 'web-user-0042' };
    await onboard(web, 'newcomer', 'Nour');
    expect(await send(web, text('JOIN alpha'))).toEqual(['You joined Alpha Aid. You will receive its news here.', 'Menu: what would you like to do?']);
    const { broadcast } = await app!.broadcasts.create({ orgId: org.id, text: 'Bonjour {{firstName}}', sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
    await app!.broadcasts.tick();
    await app!.outbox.drain('webchat');
    expect((await app!.store.outbox.stats(broadcast.id)).byStatus).toEqual({ sent: 1 });
    // The history holds every bot message (the turns' replies too); the broadcast is the last.
    const poll = await request(app!.http).get('/api/webchat/messages?userId=web-user-0042');
    expect(poll.body.entries.slice(-1).map((r: { text: string; lang: string; author: string }) => [r.author, r.lang, r.text])).toEqual([
      ['bot', 'en', `📢 Alpha Aid\n[en] Bonjour Nour\n\n${say('en', 'broadcast:replyHint').replace('{{org}}', 'Alpha Aid')}`],
    ]);
    expect((await request(app!.http).get(`/api/webchat/messages?userId=web-user-0042&after=${poll.body.cursor}`)).body.entries).toEqual([]);
    expect((await request(app!.http).get('/api/webchat/messages?userId=x')).status).toBe(400);
  });
});

describe('a race after effects ran', () => {
  it('files a reply once even when another process saves the conversation between the two saves of a turn', async () => {
    const { org } = await setup();
    const amir: Address = { channel: 'whatsapp-cloud', id: '33611111111' };
    await onboard(amir, 'newcomer', 'Amir', { type: 'start', payload: 'alpha' });
    await app!.broadcasts.create({ orgId: org.id, text: 'Distribution demain.', sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
    await deliverAll();

    // Another server process touches the conversation right after this turn's first save.
    const conversations = app!.store.conversations;
    const save = conversations.save.bind(conversations);
    let saves = 0;
    conversations.save = async (key, record, expected, wakeAt) => {
      const version = await save(key, record, expected, wakeAt);
      if (++saves === 1) await save(key, record, version, wakeAt);
      return version;
    };
    const replies = await send(amir, text('Merci !'));
    conversations.save = save;
    expect(replies).toEqual(['Thank you. Your message was passed to Alpha Aid.', 'Menu: what would you like to do?']);
    expect(await app!.store.inbox.list(org.id, { limit: 10 })).toHaveLength(1);
  });
});

describe('forget, after joining, broadcasts and replies', () => {
  it('leaves no row anywhere that names the person', async () => {
    const { org } = await setup();
    const who: Address = { channel: 'whatsapp-cloud', id: '33699887766' };
    await onboard(who, 'newcomer', 'Zainabunique', { type: 'start', payload: 'alpha' });
    await app!.broadcasts.create({ orgId: org.id, text: 'Bonjour {{firstName}}', sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
    await deliverAll();
    await send(who, text('My secret reply text'));
    expect(await app!.store.inbox.list(org.id, { limit: 5 })).toHaveLength(1);

    expect(await send(who, text('forget'))).toHaveLength(1);
    expect(await send(who, choice('yes'))).toEqual([say('en', 'common:forgotten')]);
    await app!.settle();

    const db = (app!.store as unknown as { db: { prepare(sql: string): { all(): unknown[]; pluck(): { all(): unknown[] } } } }).db;
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    const dump = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
    for (const trace of ['33699887766', 'Zainabunique', 'My secret reply text', '[fr] My secret reply text']) expect(dump, dump.split('\n').find((t) => t.includes(trace))).not.toContain(trace);
  });
});
