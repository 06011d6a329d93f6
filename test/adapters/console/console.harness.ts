import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { deeplTranslatorFromConfig } from '../../../adapters/deepl/deepl.translator.ts';
import { runCli } from '../../../adapters/cli/cli.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';
import { FREE, FREE_KEY, interceptTranslate } from '../deepl/deepl.fixtures.ts';
import { ENV as WHATSAPP_ENV, GRAPH, MESSAGES_PATH } from '../whatsapp-cloud/whatsapp-cloud.fixtures.ts';

/** The languages DeepL (the fake) translates into, as DeepL spells them. */
const DEEPL_TARGETS = ['AR', 'FA', 'UK', 'FR', 'ES', 'EN-GB', 'EN-US'];

/** Broadcast templates for every imported language but Ukrainian, whose rows are then held (closed window). */
const TEMPLATES = JSON.stringify({
  broadcast: Object.fromEntries(['ar', 'fa', 'fr', 'ti', 'en'].map((l) => [l, { name: 'news', language: l }])),
});

/**
 * A product listening on loopback with DeepL and WhatsApp's Graph API behind nock (the fake
 * translates by prefixing the target language: `[AR] text`), an organisation, and one invited
 * admin known in the web chat.
 */
export async function consoleHarness(env: Record<string, string> = {}, faults: { readonly throttleFirst?: number } = {}) {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  nock(FREE).persist().get('/v2/languages').query({ type: 'target' }).reply(200, DEEPL_TARGETS.map((language) => ({ language, name: language, supports_formality: false })));
  const deepl = interceptTranslate(FREE);
  const sentToWhatsapp: Record<string, unknown>[] = [];
  let throttled = 0;
  nock(GRAPH)
    .persist()
    .post(MESSAGES_PATH)
    .reply((_uri, body) => {
      // Meta's throughput limit on the first sends: the gate must pause and send each message once anyway.
      if (throttled < (faults.throttleFirst ?? 0)) {
        throttled++;
        return [429, { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'x' } }, { 'retry-after': '1' }];
      }
      sentToWhatsapp.push(body as Record<string, unknown>);
      return [200, { messaging_product: 'whatsapp', contacts: [], messages: [{ id: `wamid.${sentToWhatsapp.length}` }] }];
    });
  const app = await testApp(
    { ...WHATSAPP_ENV, WHATSAPP_TEMPLATES: TEMPLATES, RATE_WHATSAPP_CLOUD: '25', WEBCHAT_RATE_PER_MINUTE: '100000', ...env },
    { translators: { primary: deeplTranslatorFromConfig({ DEEPL_AUTH_KEY: FREE_KEY, DEEPL_SERVER_URL: undefined }, { maxRetries: 0 }), secondary: null }, tickMs: 200, pollMs: 50 },
  );
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.http.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    url,
    deepl,
    sentToWhatsapp,
    throttled: () => throttled,
    async close() {
      app.endStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.dispose();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}
export type ConsoleHarness = Awaited<ReturnType<typeof consoleHarness>>;

/** An organisation and its admin, known in the web chat as `chatId`, invited with the CLI. */
export async function orgWithAdmin(h: ConsoleHarness, code: string, email: string, chatId: string) {
  const org = await createOrg(h.app.store, { code, name: `Secours ${code}`, lang: 'en' });
  const at = '2026-11-01T00:00:00.000Z';
  const admin: Person = {
    id: `person-${chatId}`,
    role: 'ngo-staff',
    roleStatus: 'active',
    lang: 'en',
    firstName: 'Amina',
    place: null,
    consent: { noticeVersion: 1, givenAt: at },
    orgId: org.id,
    subscribed: true,
    identities: [{ channel: 'webchat', id: chatId }],
    createdAt: at,
    updatedAt: at,
  };
  await h.app.store.people.create(admin);
  const out: string[] = [];
  const io = { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => out.push(s) } };
  const code0 = await runCli(['console:invite', '--org', code, '--email', email, '--person', admin.id], io as never, { store: h.app.store });
  if (code0 !== 0) throw new Error(out.join(''));
  return { org, admin, cliOutput: out.join('') };
}

/** The last sign-in code that reached a web-chat identity. */
export async function lastCode(h: ConsoleHarness, chatId: string): Promise<string> {
  await h.app.settle();
  const entries = await h.app.store.webchat.list(chatId, { limit: 50 });
  const texts = entries.filter((e) => e.author === 'bot').map((e) => e.message.text ?? '');
  const code = /\b(\d{6})\b/.exec(texts.at(-1) ?? '')?.[1];
  if (!code) throw new Error('no sign-in code reached the web chat');
  return code;
}

/** A person who joins the organisation in the web chat, in Arabic, as people do (the chat's own API). */
export async function arabicPersonJoins(h: ConsoleHarness, orgCode: string, userId: string, name: string): Promise<void> {
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(`${h.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, ...body }) });
    if (res.status !== 200) throw new Error(`web chat answered ${res.status}`);
  };
  await post({ start: true, payload: orgCode });
  await post({ choiceId: 'ar' });
  await post({ choiceId: 'agree' });
  await post({ choiceId: 'newcomer' });
  await post({ text: name });
  await post({ choiceId: 'skip' });
}

/** The bot's messages in a person's web chat, oldest first. */
export async function chatTexts(h: ConsoleHarness, userId: string): Promise<string[]> {
  await h.app.settle();
  return (await h.app.store.webchat.list(userId, { limit: 100 })).filter((e) => e.author === 'bot').map((e) => e.message.text ?? '');
}

/** A browser as far as the server can tell: a cookie jar of one session cookie, and the page's CSRF token. */
export class ConsoleClient {
  cookie = '';
  csrf = '';

  constructor(private readonly base: string) {}

  /** Sends a request with the session cookie; keeps the cookie the answer sets and the token its page carries. */
  async request(method: string, path: string, body?: Record<string, string | string[]> | string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; location: string | null }> {
    let payload: string | undefined;
    const h: Record<string, string> = { ...headers, ...(this.cookie ? { cookie: this.cookie } : {}) };
    if (typeof body === 'string') payload = body;
    else if (body) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
      payload = form.toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(`${this.base}${path}`, { method, headers: h, body: payload, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    const match = set ? /pc_session=([^;]*)/.exec(set) : null;
    if (match) this.cookie = match[1] ? `pc_session=${match[1]}` : '';
    const text = await res.text();
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, text, location: res.headers.get('location') };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /** A form post with the session's CSRF token (unless the body already says otherwise). */
  post(path: string, body: Record<string, string | string[]> = {}) {
    return this.request('POST', path, { _csrf: this.csrf, ...body });
  }

  /** Signs in with the code sent to the chat identity. */
  async signIn(h: ConsoleHarness, email: string, chatId: string): Promise<void> {
    await this.get('/console/sign-in');
    await this.post('/console/sign-in', { email });
    const res = await this.post('/console/sign-in/code', { code: await lastCode(h, chatId) });
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
    await this.get('/console');
  }
}
