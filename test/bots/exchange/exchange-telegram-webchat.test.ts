import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relayTestbed, seedPerson, t, telegramPerson, type RelayTestbed } from '../common/relay/relay-harness.ts';
import { PIN } from './exchange-harness.ts';

// Must show: the same exchange between Telegram (Ukrainian, loopback fake) and the web chat
// (Tigrinya, which DeepL lacks: words reach the Tigrinya reader as written, with a note). Fault:
// Telegram delivers one update twice; the message arrives once.

let bed: RelayTestbed;
beforeEach(async () => {
  bed = await relayTestbed();
});
afterEach(async () => {
  await bed.dispose();
});

const OKSANA_CHAT = 5550202;
const oksana = telegramPerson(OKSANA_CHAT, 'Оксана', 'uk');
const HANA = 'hana-webchat-7f3a';
const uk = (key: string, params = {}) => t('uk', key, params);
const ti = (key: string, params = {}) => t('ti', key, params);

describe('the exchange between Telegram (Ukrainian, a pin) and the web chat (Tigrinya, a typed town)', () => {
  it('posts, finds with the untranslated note, asks, accepts, relays both ways, once despite a redelivered update', async () => {
    const { app } = bed;
    const now = app.clock.now();
    await seedPerson(app.store, now, { id: 'p-oksana', firstName: 'Оксана', lang: 'uk', at: { channel: 'telegram', id: String(OKSANA_CHAT) } });
    await seedPerson(app.store, now, { id: 'p-hana', firstName: 'ሃና', lang: 'ti', at: { channel: 'webchat', id: HANA } });
    const tg = async (update: Parameters<RelayTestbed['telegram']>[0]) => (await bed.telegram(update)).map((m) => String(m['text']));

    // Oksana gives away a bike, with a pin.
    await tg((u) => u.text(oksana, 'меню'));
    expect(await tg((u) => u.callback(oksana, 'exchange'))).toEqual([uk('exchange:hub')]);
    await tg((u) => u.callback(oksana, 'offer'));
    await tg((u) => u.callback(oksana, 'bike'));
    await tg((u) => u.text(oksana, 'Віддам дитячий велосипед'));
    expect(await tg((u) => u.callback(oksana, 'gift'))).toEqual([uk('common:places.ask')]);
    const placed = await tg((u) => u.location(oksana, PIN.latitude, PIN.longitude));
    expect(placed[0]).toBe(uk('common:places.set', { found: { label: 'Aubervilliers, Франція' } }));
    expect((await tg((u) => u.callback(oksana, 'publish')))[0]).toBe(uk('exchange:published', { published: { expires: '28 грудня' } }));
    await tg((u) => u.text(oksana, 'меню'));
    const [post] = await app.store.exchange.listByPerson('p-oksana');

    // Hana, in the web chat, types her town: the Ukrainian words come as written, with the note.
    await bed.webchat(HANA, { text: 'menu' });
    expect(await bed.webchat(HANA, { choiceId: 'exchange' })).toEqual([ti('exchange:hub')]);
    await bed.webchat(HANA, { choiceId: 'findHelp' });
    await bed.webchat(HANA, { choiceId: 'bike' });
    await bed.webchat(HANA, { choiceId: '5' });
    const found = await bed.webchat(HANA, { text: 'Aubervilliers' });
    expect(found[1]).toBe(
      [`1. ${ti('exchange:cat.bike')} · ${ti('common:places.aboutKm', { km: 2 })}`, '“Віддам дитячий велосипед”', ti('exchange:isGift'), ti('exchange:notTranslated'), `Оксана · ${ti('exchange:postedToday')}`].join('\n'),
    );
    expect(await app.store.exchange.translations(post!.id, ['ti'])).toEqual(new Map());

    // Interested: Oksana is asked in Ukrainian.
    await bed.webchat(HANA, { choiceId: post!.id });
    expect((await bed.webchat(HANA, { choiceId: 'skip' }))[0]).toBe(ti('common:relay.requestSent', { sent: { peer: 'Оксана' } }));
    const request = bed.api.sentMessages().at(-1)!;
    expect(request['text']).toBe(uk('exchange:wouldAnswerOffer', { name: 'ሃና', distance: uk('common:places.aboutKm', { km: 2 }), subject: uk('exchange:cat.bike') }));
    await bed.webchat(HANA, { text: 'menu' });
    await tg((u) => u.callback(oksana, 'accept'));
    // A turn of the web chat caused by someone else (no request of Hana's to answer with it) is
    // inserted as if a request would answer it: the worker takes it over once that lease (10 s) ends.
    app.clock.advance(15_000);
    await bed.quiesce();
    expect((await bed.webchatSeen(HANA)).slice(-2)).toContain(ti('common:relay.nudgeAccepted', { name: 'Оксана', subject: ti('exchange:cat.bike') }));
    await bed.webchat(HANA, { choiceId: 'open' });

    // Hana writes Tigrinya, which DeepL cannot read (the fake answers 400 like DeepL): Oksana reads
    // it as written, with the note; Oksana answers: Hana reads it as written, with the note.
    const fromHana = 'ሰላም፡ ጽባሕ ክመጽእ እኽእል ዶ፧';
    expect(await bed.webchat(HANA, { text: fromHana })).toEqual([]);
    expect(bed.api.sentMessages().at(-1)!['text']).toBe(`${uk('common:relay.fromHeader', { name: 'ሃና', subject: uk('exchange:cat.bike') })}\n${fromHana}\n${uk('common:relay.untranslated', { lang: 'ትግርኛ' })}`);
    const answer = bed.u.text(oksana, 'Так, завтра о 10');
    await bed.telegram(() => answer);
    // Fault: Telegram delivers the same update again.
    await bed.telegram(() => answer);
    const seen = await bed.webchatSeen(HANA);
    const expected = `${ti('common:relay.fromHeader', { name: 'Оксана', subject: ti('exchange:cat.bike') })}\nТак, завтра о 10\n${ti('common:relay.untranslated', { lang: 'Українська' })}`;
    expect(seen.filter((line) => line === expected)).toHaveLength(1);

    // Nothing sent to one side names the other's chat id or web chat id.
    expect(JSON.stringify(seen)).not.toContain(String(OKSANA_CHAT));
    expect(JSON.stringify(bed.api.sentMessages())).not.toContain(HANA);
  });
});
