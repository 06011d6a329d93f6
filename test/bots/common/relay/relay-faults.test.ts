import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttons as waButtons, text as waText, wamid } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { BOT_API_ERRORS } from '../../../fakes/telegram-bot-api.ts';
import { AMINA_WA, deeplSays, LEA_CHAT, lea, pairInRelay, PLUMBING, relayTestbed, seedPerson, t, type RelayTestbed } from './relay-harness.ts';

// Must show, for the relay: a 429 from the channel, a DeepL 5xx and a redelivered webhook, and
// each message still arrives exactly once, translated.

let bed: RelayTestbed;
beforeEach(async () => {
  bed = await relayTestbed();
});
afterEach(async () => {
  await bed.dispose();
});

const say = (body: string) => ({ type: 'text', text: { body } });
const toLea = (text: string) => ({ chat_id: LEA_CHAT, text: `${t('fr', 'common:relay.fromHeader', { name: 'Amina', subject: PLUMBING['fr']! })}\n${deeplSays(text, 'fr')}` });
const relayedToLea = (text: string) => bed.api.sentMessages().filter((m) => m['text'] === toLea(text).text);

describe('relay faults', () => {
  it('a 429 from Telegram: the message waits for retry_after and arrives once', async () => {
    await pairInRelay(bed);
    bed.api.failNext('sendMessage', BOT_API_ERRORS.tooManyRequests(1));
    await bed.whatsapp(AMINA_WA, say('هل ما زال العرض متاحا؟'));
    expect(relayedToLea('هل ما زال العرض متاحا؟')).toEqual([]);
    expect(bed.api.callsTo('sendMessage').at(-1)?.status).toBe(429);
    bed.app.clock.advance(1_500);
    await bed.quiesce();
    expect(relayedToLea('هل ما زال العرض متاحا؟')).toEqual([toLea('هل ما زال العرض متاحا؟')]);
    bed.app.clock.advance(60_000);
    await bed.quiesce();
    expect(relayedToLea('هل ما زال العرض متاحا؟')).toHaveLength(1);
  });

  it('DeepL answers 503: the relay is tried again, and the message arrives once, translated', async () => {
    await pairInRelay(bed);
    bed.deepl.failNext = 2;
    await bed.whatsapp(AMINA_WA, say('أنا في البيت بعد الظهر'));
    expect(bed.deepl.failed).toBe(1);
    expect(relayedToLea('أنا في البيت بعد الظهر')).toEqual([]);
    // The effect's backoff (1 s, then 2 s), then the sweep replays it.
    bed.app.clock.advance(1_100);
    await bed.quiesce();
    expect(bed.deepl.failed).toBe(2);
    bed.app.clock.advance(2_100);
    await bed.quiesce();
    expect(relayedToLea('أنا في البيت بعد الظهر')).toEqual([toLea('أنا في البيت بعد الظهر')]);
    bed.app.clock.advance(600_000);
    await bed.quiesce();
    expect(relayedToLea('أنا في البيت بعد الظهر')).toHaveLength(1);
    expect(await bed.app.store.relays.messages((await bed.app.store.relays.listFor('p-amina', 1))[0]!.id, 10)).toMatchObject([{ text: 'أنا في البيت بعد الظهر', shownText: deeplSays('أنا في البيت بعد الظهر', 'fr') }]);
  });

  it('DeepL down for good: after two minutes the words go as written, with a note, once', async () => {
    await pairInRelay(bed);
    bed.deepl.failNext = 1_000;
    await bed.whatsapp(AMINA_WA, say('شكرا'));
    for (let i = 0; i < 8; i++) {
      bed.app.clock.advance(30_000);
      await bed.quiesce();
    }
    const untranslated = `${t('fr', 'common:relay.fromHeader', { name: 'Amina', subject: PLUMBING['fr']! })}\nشكرا\n${t('fr', 'common:relay.untranslated', { lang: 'العربية' })}`;
    expect(bed.api.sentMessages().filter((m) => m['text'] === untranslated)).toHaveLength(1);
  });

  it('a webhook delivered twice by Meta relays the message once', async () => {
    await pairInRelay(bed);
    const id = wamid(777);
    await bed.whatsapp(AMINA_WA, say('غدا الساعة العاشرة'), id);
    await bed.whatsapp(AMINA_WA, say('غدا الساعة العاشرة'), id);
    expect(relayedToLea('غدا الساعة العاشرة')).toEqual([toLea('غدا الساعة العاشرة')]);
    // And a Telegram update delivered twice, the other way.
    const update = bed.u.text(lea, 'Très bien, à demain.');
    await bed.telegram(() => update);
    await bed.telegram(() => update);
    const header = t('ar', 'common:relay.fromHeader', { name: 'Léa', subject: PLUMBING['ar']! });
    expect(bed.wa.bodies.filter((b) => JSON.stringify(b) === JSON.stringify(waText(`${header}\n${deeplSays('Très bien, à demain.', 'ar')}`, AMINA_WA)))).toHaveLength(1);
  });
});

describe('a reader outside the 24-hour window', () => {
  it('holds the message for them (the outbox), and tells the writer once that it will arrive when they are back', async () => {
    await pairInRelay(bed);
    // Amina last wrote a day and more ago: WhatsApp's window is closed.
    bed.app.clock.advance(25 * 3_600_000);
    const waBefore = bed.wa.bodies.length;
    const told = await bed.telegram((u) => u.text(lea, 'Vous êtes là ?'));
    const away = { chat_id: LEA_CHAT, text: t('fr', 'common:relay.readerAway', { name: 'Amina' }) };
    expect(told).toEqual([away]);
    expect(await bed.telegram((u) => u.text(lea, 'Je repasse demain.'))).toEqual([]);
    expect(bed.wa.bodies.length).toBe(waBefore);
    // Amina writes again: what waited for her arrives, in order, before the relay goes on.
    await bed.whatsapp(AMINA_WA, say('نعم، أنا هنا'));
    const header = t('ar', 'common:relay.fromHeader', { name: 'Léa', subject: PLUMBING['ar']! });
    expect(bed.wa.bodies.slice(waBefore)).toEqual([
      waText(`${header}\n${deeplSays('Vous êtes là ?', 'ar')}`, AMINA_WA),
      waText(`${header}\n${deeplSays('Je repasse demain.', 'ar')}`, AMINA_WA),
    ]);
    expect(relayedToLea('نعم، أنا هنا')).toHaveLength(1);
  });
});

describe('several relays at once', () => {
  it('a message for a relay the person is not reading comes as one short notice with a button to open it', async () => {
    const { app } = bed;
    await pairInRelay(bed);
    const omar = await seedPerson(app.store, app.clock.now(), { id: 'p-omar', firstName: 'Omar', lang: 'fr', at: { channel: 'telegram', id: '5550202' } });
    const before = bed.wa.bodies.length;
    const opened = await app.relays.request('exchange-effect-omar', omar, { subjectKind: 'test-post', subjectId: 'post-9', toPersonId: 'p-amina', open: true, intro: 'Bonjour, le vélo est encore là ?' });
    expect(opened.kind).toBe('opened');
    await bed.quiesce();
    const notice = t('ar', 'common:relay.nudgeOpened', { name: 'Omar', subject: PLUMBING['ar']! });
    expect(bed.wa.bodies.slice(before)).toEqual([
      waButtons(notice, [['open', t('ar', 'common:relay.open')], ['later', t('ar', 'common:relay.later')]], AMINA_WA),
    ]);
    // Later: back in the relay with Léa, where her words still go.
    const later = await bed.whatsapp(AMINA_WA, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'later', title: t('ar', 'common:relay.later') } } });
    expect(later).toHaveLength(1);
    await bed.whatsapp(AMINA_WA, say('ليا، هل ما زلت هنا؟'));
    expect(relayedToLea('ليا، هل ما زلت هنا؟')).toHaveLength(1);
    // Opened from "My conversations", Omar's relay shows his unread words in Arabic.
    await bed.whatsapp(AMINA_WA, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'menu', title: t('ar', 'common:relayMenu') } } });
    await bed.whatsapp(AMINA_WA, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'conversations', title: t('ar', 'common:relay.myConversations') } } });
    const shown = await bed.whatsapp(AMINA_WA, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: opened.kind === 'opened' ? opened.relayId : '', title: 'Omar' } } });
    expect(shown[0]).toEqual(waText(`Omar: ${deeplSays('Bonjour, le vélo est encore là ?', 'ar')}`, AMINA_WA));
  });
});
