import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { deeplTranslatorFromConfig } from '../../../../adapters/deepl/deepl.translator.ts';
import { libreTranslateFromConfig } from '../../../../adapters/libretranslate/libretranslate.translator.ts';
import { LANGUAGES } from '../../../../core/i18n/languages.ts';
import { FREE_KEY } from '../../../adapters/deepl/deepl.fixtures.ts';
import { startFakeBotApi, type FakeBotApi } from '../../../fakes/telegram-bot-api.ts';
import { manualClock } from '../../../support/test-app.ts';
import { PLUMBING, relayTestbed, seedPerson, t, telegramPerson, type RelayTestbed } from './relay-harness.ts';

// Must show: the relay between Telegram (Ukrainian) and the web chat (Tigrinya, which DeepL
// lacks): the words go with a note naming their language, or through LibreTranslate when it is
// configured. Then 14 days of silence, a server restart in between: both are told it closed.

const LIBRE = 'https://libre.example.org';
const OLENA_CHAT = 7770101;
const olena = telegramPerson(OLENA_CHAT, 'Олена', 'uk');
const TSEGA = 'wc-5f0c1b7e-2d4a-4b7e-9a51-0c1d2e3f4a5b';
const name = (code: string) => LANGUAGES.find((l) => l.code === code)!.nativeName;
const DAY = 24 * 3_600_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  nock.cleanAll();
});

async function start(options: { libre: boolean; dataDir: string; api: FakeBotApi; clock: ReturnType<typeof manualClock> }): Promise<RelayTestbed> {
  const translators = {
    primary: deeplTranslatorFromConfig({ DEEPL_AUTH_KEY: FREE_KEY, DEEPL_SERVER_URL: undefined }, { maxRetries: 0 }),
    secondary: options.libre ? libreTranslateFromConfig({ LIBRETRANSLATE_URL: LIBRE, LIBRETRANSLATE_API_KEY: undefined }) : null,
  };
  const bed = await relayTestbed({ dataDir: options.dataDir, api: options.api, clock: options.clock, translators });
  return bed;
}

/** Olena asks about Tsega's offer; Tsega accepts in the web chat; Olena opens the relay on Telegram. */
async function meet(bed: RelayTestbed) {
  const { app } = bed;
  const now = app.clock.now();
  await seedPerson(app.store, now, { id: 'p-tsega', firstName: 'Tsega', lang: 'ti', at: { channel: 'webchat', id: TSEGA } });
  const o = await seedPerson(app.store, now, { id: 'p-olena', firstName: 'Олена', lang: 'uk', role: 'resident', at: { channel: 'telegram', id: String(OLENA_CHAT) } });
  await bed.webchat(TSEGA, { text: 'menu' });
  await bed.telegram((u) => u.text(olena, 'меню'));
  await app.relays.request('exchange-effect-ti', o, { subjectKind: 'test-post', subjectId: 'post-ti', toPersonId: 'p-tsega' });
  await bed.quiesce();
  expect((await bed.webchatSeen(TSEGA)).at(-1)).toBe(t('ti', 'common:relay.requestGeneric', { name: 'Олена', subject: PLUMBING['ti']! }));
  await bed.webchat(TSEGA, { choiceId: 'accept' });
  await bed.telegram((u) => u.callback(olena, 'open'));
}

const header = (lang: string, who: string) => t(lang, 'common:relay.fromHeader', { name: who, subject: PLUMBING[lang]! });

describe('Telegram (Ukrainian) and the web chat (Tigrinya)', () => {
  it('without a translator for Tigrinya: the words go as written, with a note naming their language; 14 silent days after a restart close it for both', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-relay-ti-'));
    const api = await startFakeBotApi();
    const clock = manualClock();
    cleanups.push(async () => {
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    let bed = await start({ libre: false, dataDir, api, clock });
    await meet(bed);

    await bed.webchat(TSEGA, { text: 'ሰላም፡ ቀዳም ጽቡቕ እዩ' });
    expect(api.sentMessages().at(-1)).toEqual({ chat_id: OLENA_CHAT, text: `${header('uk', 'Tsega')}\nሰላም፡ ቀዳም ጽቡቕ እዩ\n${t('uk', 'common:relay.untranslated', { lang: name('ti') })}` });
    await bed.telegram((u) => u.text(olena, 'Добре, до суботи!'));
    expect((await bed.webchatSeen(TSEGA)).at(-1)).toBe(`${header('ti', 'Олена')}\nДобре, до суботи!\n${t('ti', 'common:relay.untranslated', { lang: name('uk') })}`);

    // 14 days and a minute of silence, the server restarted in between: the sweep of the new process closes it.
    clock.advance(7 * DAY);
    await bed.stop();
    nock.cleanAll();
    clock.advance(7 * DAY + 60_000);
    bed = await start({ libre: false, dataDir, api, clock });
    cleanups.push(() => bed.stop());
    const beforeTg = api.sentMessages().length;
    expect(await bed.app.relays.sweep()).toBe(1);
    await bed.quiesce();
    const closedUk = `${t('uk', 'common:relay.nudgeClosed', { name: 'Tsega', subject: PLUMBING['uk']! })}\n${t('uk', 'common:relay.typeMenu')}`;
    const closedTi = `${t('ti', 'common:relay.nudgeClosed', { name: 'Олена', subject: PLUMBING['ti']! })}\n${t('ti', 'common:relay.typeMenu')}`;
    expect(api.sentMessages().slice(beforeTg)).toEqual([{ chat_id: OLENA_CHAT, text: closedUk }]);
    expect((await bed.webchatSeen(TSEGA)).at(-1)).toBe(closedTi);
    expect(await bed.app.relays.sweep()).toBe(0);

    // Back the next day, Tsega is asked once how it went.
    clock.advance(DAY);
    const back = await bed.webchat(TSEGA, { text: 'ሰላም' });
    expect(back).toContain(t('ti', 'common:relay.outcome.question'));
    const thanks = await bed.webchat(TSEGA, { choiceId: 'not-yet' });
    expect(thanks[0]).toBe(t('ti', 'common:relay.outcome.thanks'));
    expect(await bed.app.relays.outcomes('test-post', 'post-ti')).toEqual({ yes: 0, no: 0, notYet: 1 });
  });

  it('with LibreTranslate: Tigrinya is translated both ways, DeepL keeping the languages it has', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-relay-ti-'));
    const api = await startFakeBotApi();
    cleanups.push(async () => {
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const libre: { q: string; source: string; target: string }[] = [];
    nock(LIBRE)
      .get('/languages')
      .reply(200, [
        { code: 'ti', name: 'Tigrinya', targets: ['uk', 'en'] },
        { code: 'uk', name: 'Ukrainian', targets: ['ti', 'en'] },
      ]);
    nock(LIBRE)
      .persist()
      .post('/translate')
      .reply((_uri, body) => {
        const b = body as { q: string[] | string; source: string; target: string };
        const q = Array.isArray(b.q) ? b.q : [b.q];
        for (const one of q) libre.push({ q: one, source: b.source, target: b.target });
        return [200, { translatedText: Array.isArray(b.q) ? q.map((x) => `«${b.target}» ${x}`) : `«${b.target}» ${b.q}` }];
      });
    const bed = await start({ libre: true, dataDir, api, clock: manualClock() });
    cleanups.push(() => bed.stop());
    await meet(bed);

    await bed.webchat(TSEGA, { text: 'ሰላም፡ ቀዳም ጽቡቕ እዩ' });
    expect(api.sentMessages().at(-1)).toEqual({ chat_id: OLENA_CHAT, text: `${header('uk', 'Tsega')}\n«uk» ሰላም፡ ቀዳም ጽቡቕ እዩ` });
    await bed.telegram((u) => u.text(olena, 'Добре, до суботи!'));
    expect((await bed.webchatSeen(TSEGA)).at(-1)).toBe(`${header('ti', 'Олена')}\n«ti» Добре, до суботи!`);
    expect(libre).toEqual([
      { q: 'ሰላም፡ ቀዳም ጽቡቕ እዩ', source: 'ti', target: 'uk' },
      { q: 'Добре, до суботи!', source: 'uk', target: 'ti' },
    ]);
  });
});

describe('forget, the other side on the web chat', () => {
  it('takes the person’s words out of the web chat’s stored history, and their name out of what the bot said', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-relay-ti-'));
    const api = await startFakeBotApi();
    cleanups.push(async () => {
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const bed = await start({ libre: false, dataDir, api, clock: manualClock() });
    cleanups.push(() => bed.stop());
    await meet(bed);
    await bed.telegram((u) => u.text(olena, 'Я живу біля вокзалу.'));
    expect((await bed.webchatSeen(TSEGA)).join('\n')).toContain('Я живу біля вокзалу.');
    await bed.webchat(TSEGA, { text: 'ሕራይ' });
    await bed.telegram((u) => u.text(olena, '#забудь'));
    await bed.telegram((u) => u.callback(olena, 'yes'));
    await bed.quiesce();
    const history = JSON.stringify(await bed.app.store.webchat.list(TSEGA, { limit: 200 }));
    expect(history).not.toContain('Я живу біля вокзалу.');
    expect(history).not.toContain('Олена');
    expect(history).toContain('ሕራይ');
    // Tsega was reading the relay: she is told there, and back at her menu.
    expect((await bed.webchatSeen(TSEGA)).slice(-2)).toEqual([t('ti', 'common:relay.nudgeLeft', { subject: PLUMBING['ti']! }), t('ti', 'menu:title')]);
  });
});
