import nock from 'nock';
import request from 'supertest';
import { deeplTranslatorFromConfig } from '../../../../adapters/deepl/deepl.translator.ts';
import { WhatsappCloudChannel } from '../../../../adapters/whatsapp-cloud/whatsapp-cloud.channel.ts';
import { loadLocales } from '../../../../bots/locales.ts';
import { createTextRenderer } from '../../../../core/i18n/text-renderer.ts';
import type { Json } from '../../../../core/dialog/json.ts';
import type { Address } from '../../../../core/messages.ts';
import type { Person } from '../../../../core/ports/people.port.ts';
import type { Translator } from '../../../../core/ports/translator.port.ts';
import type { Store } from '../../../../core/ports/store.port.ts';
import { FREE, FREE_KEY, targetLanguages } from '../../../adapters/deepl/deepl.fixtures.ts';
import { PUBLIC_URL, SECRET } from '../../../adapters/telegram/telegram-harness.ts';
import { deliver, ENV as WHATSAPP_ENV, inbound, recordSends, wamid } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { startFakeBotApi, type FakeBotApi } from '../../../fakes/telegram-bot-api.ts';
import { telegramUpdates, type FakePerson } from '../../../fakes/telegram-updates.ts';
import { manualClock, testApp } from '../../../support/test-app.ts';

const render = createTextRenderer(loadLocales());
/** The product's words in a language, with nested params (`{{view.peer}}`). */
export const t = (lang: string, key: string, params: Record<string, Json> = {}): string => render(lang, key, params);

/** A Telegram person of the fake. */
export const telegramPerson = (id: number, firstName: string, languageCode: string): FakePerson => ({ id, firstName, languageCode });

/** The subject every relay test talks about: an offer of plumbing, with its header per language. */
export const PLUMBING: Record<string, string> = {
  ar: '🔧 سباكة',
  fr: '🔧 Plomberie',
  uk: '🔧 Сантехніка',
  ti: '🔧 ቧንቧ',
  en: '🔧 Plumbing',
};

/** DeepL's languages as the adapter lists them (no Tigrinya: DeepL lacks it). */
export const DEEPL_TARGETS = ['AR', 'EN-GB', 'EN-US', 'FR', 'UK', 'FA', 'TR', 'ES'];

/** What the nocked DeepL answers: the text, marked with the target language, so each reader's copy is recognisable. */
export const deeplSays = (text: string, target: string): string => `‹${target}› ${text}`;

/**
 * DeepL's `POST /v2/translate` (nock, persisting): each text marked with its target, every request
 * recorded; `failNext` makes the next requests answer 503 (an outage), counted in `failed`.
 */
export function nockDeepl() {
  const seen: { form: URLSearchParams; texts: string[] }[] = [];
  const state = { failNext: 0, failed: 0 };
  nock(FREE)
    .persist()
    .post('/v2/translate')
    .reply((_uri, body) => {
      const form = new URLSearchParams(typeof body === 'string' ? body : '');
      if (state.failNext > 0) {
        state.failNext -= 1;
        state.failed += 1;
        return [503, { message: 'Service Unavailable' }];
      }
      const texts = form.getAll('text');
      seen.push({ form, texts });
      // DeepL reads no Tigrinya: its real answer to such a source.
      if (form.get('source_lang')?.toLowerCase() === 'ti') return [400, { message: "Value for 'source_lang' not supported." }];
      return [200, { translations: texts.map((text) => ({ detected_source_language: 'EN', text: deeplSays(text, form.get('target_lang') ?? '?'), billed_characters: text.length })) }];
    });
  return Object.assign(state, { seen });
}

/** Two people on two channels, with the whole product between them: WhatsApp Cloud (nock at Graph), Telegram (loopback fake), DeepL (nock). */
export async function relayTestbed(options: { dataDir?: string; api?: FakeBotApi; clock?: ReturnType<typeof manualClock>; env?: Record<string, string>; translators?: { primary: Translator | null; secondary: Translator | null } } = {}) {
  const api: FakeBotApi = options.api ?? (await startFakeBotApi());
  const clock = options.clock ?? manualClock();
  targetLanguages(FREE, DEEPL_TARGETS);
  const deepl = nockDeepl();
  const translators = options.translators ?? { primary: deeplTranslatorFromConfig({ DEEPL_AUTH_KEY: FREE_KEY, DEEPL_SERVER_URL: undefined }, { maxRetries: 0 }), secondary: null };
  const env = {
    ...WHATSAPP_ENV,
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_URL: PUBLIC_URL,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...options.env,
  };
  const app = await testApp(env, { clock, translators });
  const channel = app.channels.find((c): c is WhatsappCloudChannel => c instanceof WhatsappCloudChannel);
  if (!channel) throw new Error('the WhatsApp Cloud channel did not start');
  // A subject of the tests' own (the exchange registers the real 'exchange-post').
  app.relays.registerSubject({
    kind: 'test-post',
    header: async (_id, lang) => PLUMBING[lang] ?? PLUMBING['en']!,
    requestText: async (relay, lang, name, header) =>
      lang === 'ar' ? `${name}، على بعد حوالي ${String(relay.context?.['km'] ?? '?')} كم، ترغب في الرد على عرضك ${header}` : null,
  });
  const wa = recordSends();
  const u = telegramUpdates();
  let waCount = 0;

  /** Lets every signal, task and outbox row run to its end. */
  const quiesce = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      await app.pipeline.idle();
      await app.settle();
      const swept = await app.pipeline.sweep();
      await app.pipeline.idle();
      await app.settle();
      if (swept === 0) return;
    }
  };

  return {
    app: Object.assign(app, { clock, channel }),
    api,
    deepl,
    wa,
    quiesce,
    /** A WhatsApp message from `waId` (`id` fixed to replay a delivery); returns the Graph bodies it caused. */
    async whatsapp(waId: string, message: Record<string, unknown>, id = wamid(++waCount)): Promise<unknown[]> {
      const before = wa.bodies.length;
      const res = await deliver(Object.assign(app, { clock, channel }), inbound(Object.assign(app, { clock, channel }), id, message, waId));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      await quiesce();
      return wa.bodies.slice(before);
    },
    /** A Telegram update from `person`; returns the sendMessage bodies it caused. */
    async telegram(update: (u: ReturnType<typeof telegramUpdates>) => object): Promise<Record<string, unknown>[]> {
      const before = api.sentMessages().length;
      const res = await request(app.http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(update(u));
      if (res.status !== 200) throw new Error(`telegram webhook answered ${res.status}`);
      await quiesce();
      return api.sentMessages().slice(before);
    },
    u,
    /** A web chat message from `userId`; returns the texts of the replies in its answer. */
    async webchat(userId: string, body: Record<string, unknown>): Promise<string[]> {
      const res = await request(app.http).post('/api/webchat/messages').send({ userId, ...body });
      if (res.status !== 200) throw new Error(`web chat answered ${res.status}`);
      await quiesce();
      return (res.body as { replies: { text: string }[] }).replies.map((r) => r.text);
    },
    /** Everything the web chat shows `userId`, bot side, oldest first. */
    async webchatSeen(userId: string): Promise<string[]> {
      const entries = await app.store.webchat.list(userId, { limit: 100 });
      return entries.filter((e) => e.author === 'bot').map((e) => e.message.text);
    },
    /** Closes the product (not the Telegram fake, which a restarted product keeps using). */
    async stop() {
      await app.close();
    },
    async dispose() {
      await app.dispose();
      await api.close();
      nock.cleanAll();
    },
  };
}

/** A testbed of {@link relayTestbed}. */
export type RelayTestbed = Awaited<ReturnType<typeof relayTestbed>>;

/** Amina (Arabic, WhatsApp) and Léa (French, Telegram), at their menus, then in one open relay about post-1. */
export const AMINA_WA = '963944123456';
export const LEA_CHAT = 5550101;
export const lea = telegramPerson(LEA_CHAT, 'Léa', 'fr');

export async function pairInRelay(bed: RelayTestbed, leaOrg: string | null = null) {
  const { app } = bed;
  const now = app.clock.now();
  const amina = await seedPerson(app.store, now, { id: 'p-amina', firstName: 'Amina', lang: 'ar', at: { channel: 'whatsapp-cloud', id: AMINA_WA } });
  const leaP = await seedPerson(app.store, now, { id: 'p-lea', firstName: 'Léa', lang: 'fr', role: 'resident', at: { channel: 'telegram', id: String(LEA_CHAT) } });
  if (leaOrg) {
    await app.store.contacts.join(leaOrg, { personId: leaP.id, firstName: 'Léa', phone: null, lang: 'fr', channel: 'telegram', address: { channel: 'telegram', id: String(LEA_CHAT) }, tags: [] }, `c-${leaP.id}`, now);
  }
  await bed.whatsapp(AMINA_WA, { type: 'text', text: { body: 'القائمة' } });
  await bed.telegram((u) => u.text(lea, 'menu'));
  const asked = await app.relays.request('exchange-effect-1', leaP, { subjectKind: 'test-post', subjectId: 'post-1', toPersonId: amina.id, context: { km: 3 } });
  if (asked.kind !== 'requested') throw new Error(`request: ${asked.kind}`);
  await bed.quiesce();
  await bed.whatsapp(AMINA_WA, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'accept', title: 'قبول' } } });
  await bed.telegram((u) => u.callback(lea, 'open'));
  return { amina, lea: leaP, relayId: asked.relayId };
}

/** Seeds a person who finished onboarding on one channel and wrote just now (their window is open). */
export async function seedPerson(store: Store, now: Date, person: { id: string; firstName: string; lang: string; role?: Person['role']; at: Address; orgId?: string | null }): Promise<Person> {
  const at = now.toISOString();
  const stored: Person = {
    id: person.id,
    role: person.role ?? 'newcomer',
    roleStatus: 'active',
    lang: person.lang,
    firstName: person.firstName,
    place: null,
    consent: { noticeVersion: 1, givenAt: at },
    orgId: person.orgId ?? null,
    subscribed: true,
    identities: [person.at],
    createdAt: at,
    updatedAt: at,
  };
  await store.people.create(stored);
  await store.reach.recordInbound(person.at, now, null);
  return stored;
}
