import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { DeepLTranslator } from '../../../adapters/deepl/deepl.translator.ts';
import type { ContactImport } from '../../../core/ports/contacts.port.ts';
import { recordingSender } from '../../fakes/recording-sender.ts';
import { FREE, interceptTranslate, targetLanguages } from '../../adapters/deepl/deepl.fixtures.ts';
import { createOrg } from '../../support/organisations.ts';
import { manualClock, testApp } from '../../support/test-app.ts';
import { loadLocales } from '../../../bots/locales.ts';

const LANGS = ['ar', 'fr', 'uk', 'tr', 'es', 'en'] as const;
let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
  nock.cleanAll();
});

/** 50 contacts per language, reachable on the WhatsApp Cloud API by phone. */
function contacts(count: number): ContactImport[] {
  return Array.from({ length: count }, (_, i) => {
    const digits = `3361${String(i).padStart(7, '0')}`;
    return {
      firstName: `Name${i}`,
      phone: `+${digits}`,
      lang: LANGS[i % LANGS.length]!,
      channel: 'whatsapp-cloud',
      address: { channel: 'whatsapp-cloud', id: digits },
      tags: i % 2 === 0 ? ['even'] : ['odd'],
    };
  });
}

const locales = loadLocales();

async function setup(translate?: Parameters<typeof interceptTranslate>[1], clock?: ReturnType<typeof manualClock>) {
  targetLanguages(FREE, ['AR', 'FR', 'UK', 'TR', 'ES', 'EN-GB', 'EN-US', 'FA']).persist();
  const deepl = interceptTranslate(FREE, translate);
  const sender = recordingSender('whatsapp-cloud');
  app = await testApp(
    { RATE_WHATSAPP_CLOUD: '100000' },
    {
      senders: [sender],
      translators: { primary: new DeepLTranslator({ authKey: 'test-key:fx', maxRetries: 0 }), secondary: null },
      ...(clock ? { clock } : {}),
    },
  );
  const org = await createOrg(app.store, { code: 'secours', name: 'Secours Solidaire', lang: 'en' });
  await app.store.contacts.importMany(org.id, contacts(300), () => crypto.randomUUID(), app.clock.now());
  return { deepl, sender, org, app };
}

async function send(text: string, orgId: string) {
  const { broadcast } = await app!.broadcasts.create({ orgId, text, sourceLang: 'en', audience: { type: 'all' }, origin: 'api' });
  await app!.broadcasts.tick();
  await app!.outbox.drain('whatsapp-cloud');
  await app!.broadcasts.tick();
  return broadcast.id;
}

describe('translated broadcasts', () => {
  it('sends 300 people in 6 languages one copy each, with one translate request per target language', async () => {
    const { deepl, sender, org } = await setup();
    const id = await send('Hello {{firstName}}, the food bank opens at 10:00 tomorrow.', org.id);

    // 5 target languages (English is the source): one request each, all texts of a language together.
    const targets = deepl.seen.map((r) => r.form.get('target_lang')?.toLowerCase());
    expect(targets.sort()).toEqual(['ar', 'es', 'fr', 'tr', 'uk']);
    for (const request of deepl.seen) {
      expect(request.form.get('tag_handling')).toBe('xml');
      expect(request.texts).toEqual(['Hello <x id="firstName"/>, the food bank opens at 10:00 tomorrow.']);
    }

    expect(sender.sent).toHaveLength(300);
    expect(new Set(sender.sent.map((s) => s.to.id)).size).toBe(300);
    for (const { to, message } of sender.sent) {
      const i = Number(to.id.slice(4));
      const lang = LANGS[i % LANGS.length]!;
      const body = message.text.split('\n')[1];
      expect(body).toBe(lang === 'en' ? `Hello Name${i}, the food bank opens at 10:00 tomorrow.` : `[${lang}] Hello Name${i}, the food bank opens at 10:00 tomorrow.`);
    }
    const res = await app!.store.broadcasts.get(org.id, id);
    expect(res?.status).toBe('done');
    const stats = await app!.store.outbox.stats(id);
    expect(stats).toMatchObject({ total: 300, byStatus: { sent: 300 } });
    expect(stats.byLang['uk']).toEqual({ sent: 50 });

    // The same text again: every language comes from the translation cache.
    deepl.seen.length = 0;
    await send('Hello {{firstName}}, the food bank opens at 10:00 tomorrow.', org.id);
    expect(deepl.seen).toHaveLength(0);
    expect(sender.sent).toHaveLength(600);
  });

  it('sends the source text with a note where no translator covers the language', async () => {
    const { sender, org } = await setup();
    await app!.store.contacts.importMany(
      org.id,
      [{ firstName: 'Selam', phone: '+33700000001', lang: 'ti', channel: 'whatsapp-cloud', address: { channel: 'whatsapp-cloud', id: '33700000001' }, tags: [] }],
      () => 'c-ti',
      new Date(),
    );
    const id = await send('Hello {{firstName}}.', org.id);
    const tigrinya = sender.sent.find((s) => s.to.id === '33700000001');
    const note = (locales['ti']?.['broadcast'] ?? locales['en']!['broadcast']) as Record<string, string>;
    expect(tigrinya?.message.text.split('\n').slice(1, 3)).toEqual(['Hello Selam.', note['untranslated']]);
    const translations = (await app!.store.broadcasts.translations(id)).get('ti');
    expect(translations).toEqual({ kind: 'source', text: 'Hello {{firstName}}.', reason: 'unsupported' });
  });

  it('loses no delivery when DeepL answers 456 (quota) or 429 (too many requests)', async () => {
    let failures = 2;
    const clock = manualClock();
    const { sender, org, deepl } = await setup(undefined, clock);
    deepl.scope.persist(false);
    nock.cleanAll();
    targetLanguages(FREE, ['AR', 'FR', 'UK', 'TR', 'ES', 'EN-GB']).persist();
    nock(FREE)
      .persist()
      .post('/v2/translate')
      .reply(function (_uri, body) {
        const form = new URLSearchParams(String(body));
        const target = form.get('target_lang')?.toLowerCase();
        if (target === 'ar' && failures-- > 0) return [failures === 1 ? 456 : 429, { message: target === 'ar' ? 'Quota exceeded' : 'Too many requests' }];
        return [200, { translations: form.getAll('text').map((text) => ({ detected_source_language: 'EN', text: `[${target}] ${text}` })) }];
      });
    const { broadcast } = await app!.broadcasts.create({ orgId: org.id, text: 'Hi {{firstName}}', sourceLang: 'en', audience: { type: 'all' }, origin: 'api' });
    await app!.broadcasts.tick();
    await app!.outbox.drain('whatsapp-cloud');
    // Arabic waits for its translation; every other language went out.
    expect(sender.sent).toHaveLength(250);
    const waiting = await app!.store.outbox.stats(broadcast.id);
    expect(waiting.byLang['ar']).toEqual({ pending: 50 });
    expect(await app!.store.outbox.openCount(broadcast.id)).toBe(50);

    // 30 s later the retry meets a 429 again; a minute after that DeepL answers.
    clock.advance(31_000);
    await app!.outbox.drain('whatsapp-cloud');
    expect(sender.sent).toHaveLength(250);
    clock.advance(61_000);
    await app!.outbox.drain('whatsapp-cloud');
    await app!.broadcasts.tick();
    expect(sender.sent).toHaveLength(300);
    expect(new Set(sender.sent.map((s) => s.to.id)).size).toBe(300);
    expect(sender.sent.filter((s) => s.message.text.includes('[ar] Hi Name'))).toHaveLength(50);
    expect((await app!.store.broadcasts.get(org.id, broadcast.id))?.status).toBe('done');
  });
});
