import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADDRESS as LEA_MESSENGER, captureConnector, messageActivity, PSID, quickReply } from '../../adapters/messenger/messenger.fixtures.ts';
import { wamid } from '../../adapters/whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { AMINA_WA, deeplSays, relayTestbed, seedPerson, t, type RelayTestbed } from '../common/relay/relay-harness.ts';
import { PIN } from './exchange-harness.ts';

// Must show: the exchange across channels. Amina, a newcomer on the WhatsApp Cloud API (nock at
// Graph) writing Arabic, posts an offer with a pin; Léa on Messenger (Bot Connector, nock) writing
// French types her town, searches, finds it at "about 2 km" and asks; Amina accepts; they write
// through the relay, DeepL (nock) translating for each reader; a phone number is held and
// confirmed; Amina blocks. Faults: a redelivered webhook, and a DeepL outage during the search.

let bed: RelayTestbed;
let connector: ReturnType<typeof captureConnector>;
beforeEach(async () => {
  bed = await relayTestbed({ env: { MESSENGER_EMULATOR: 'true' } });
  connector = captureConnector();
});
afterEach(async () => {
  await bed.dispose();
});

const ar = (key: string, params = {}) => t('ar', key, params);
const fr = (key: string, params = {}) => t('fr', key, params);
const say = (body: string) => ({ type: 'text', text: { body } });
const row = (id: string, title = id) => ({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title } } });
const button = (id: string, title = id) => ({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });

/** The text a person reads in a Graph message body (text, or an interactive message's body). */
function waText(body: unknown): string {
  const b = body as { text?: { body: string }; interactive?: { body: { text: string } } };
  return b.text?.body ?? b.interactive?.body.text ?? '';
}

describe('the exchange between WhatsApp Cloud (Arabic, a pin) and Messenger (French, a typed town)', () => {
  it('posts, finds at "about 2 km", asks, accepts, relays both ways translated, holds a phone number, blocks; nothing of one side reaches the other', async () => {
    const { app } = bed;
    const now = app.clock.now();
    await seedPerson(app.store, now, { id: 'p-amina', firstName: 'أمينة', lang: 'ar', at: { channel: 'whatsapp-cloud', id: AMINA_WA } });
    await seedPerson(app.store, now, { id: 'p-lea', firstName: 'Léa', lang: 'fr', role: 'resident', at: LEA_MESSENGER });
    const toAmina: unknown[] = [];
    const wa = async (message: Record<string, unknown>, id?: string) => {
      const sent = await bed.whatsapp(AMINA_WA, message, id);
      toAmina.push(...sent);
      return sent.map(waText);
    };
    /** Léa's activity on Messenger; returns the texts the connector received for her. */
    const messenger = async (activity: Record<string, unknown>) => {
      const before = connector.calls.length;
      const res = await request(app.http).post('/api/messages').set('content-type', 'application/json').send(activity);
      expect(res.status).toBe(200);
      await bed.quiesce();
      return connector.calls.slice(before).map((c) => String(c.body['text']));
    };
    const catchUp = () => {
      const fresh = bed.wa.bodies.filter((b) => !toAmina.includes(b));
      toAmina.push(...fresh);
      return fresh.map(waText);
    };

    // Amina posts an offer: plumbing, for children's clothes, with a pin.
    await wa(say('القائمة'));
    expect(await wa(row('exchange'))).toEqual([ar('exchange:hub')]);
    await wa(row('offer'));
    expect(await wa(row('plumbing'))).toEqual([ar('exchange:askDescription')]);
    await wa(say('أصلح المغاسل والحنفيات'));
    expect(await wa(say('ملابس أطفال'))).toEqual([ar('common:places.ask')]);
    const placed = await wa({ type: 'location', location: { ...PIN, name: 'بيتي' } });
    expect(placed[0]).toBe(ar('common:places.set', { found: { label: 'Aubervilliers, فرنسا' } }));
    const publish = wamid(900);
    expect((await wa(button('publish'), publish))[0]).toBe(ar('exchange:published', { published: { expires: '28 ديسمبر' } }));
    // Fault: Meta delivers the same tap again: nothing more is published or said.
    expect(await wa(button('publish'), publish)).toEqual([]);
    const posts = await app.store.exchange.listByPerson('p-amina');
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts)).not.toMatch(/48\.925|2\.365/);
    // Back at her menu, where a request is shown at once.
    await wa(say('القائمة'));

    // Léa, on Messenger, types her town and searches; DeepL fails the first time.
    expect(await messenger(messageActivity('menu'))).toHaveLength(1);
    expect(await messenger(quickReply('🤝 Entraide', 'exchange'))).toEqual([fr('exchange:hub')]);
    await messenger(quickReply("🔎 Trouver de l'aide", 'findHelp'));
    await messenger(quickReply('🔧 Plomberie', 'plumbing'));
    expect(await messenger(quickReply('5 km', '5'))).toEqual([fr('common:places.ask')]);
    bed.deepl.failNext = 1;
    const head = `1. ${fr('exchange:cat.plumbing')} · ${fr('common:places.aboutKm', { km: 2 })}`;
    expect(await messenger(messageActivity('aubervilliers'))).toEqual([
      fr('common:places.set', { found: { label: 'Aubervilliers, France' } }),
      [head, '“أصلح المغاسل والحنفيات”', fr('exchange:inReturnAsks', { text: 'ملابس أطفال' }), fr('exchange:notTranslated'), `أمينة · ${fr('exchange:postedToday')}`].join('\n'),
      fr('exchange:resultsPrompt'),
    ]);
    expect(bed.deepl.failed).toBe(1);
    await messenger(quickReply('Nouvelle recherche', 'again'));
    await messenger(quickReply('🔧 Plomberie', 'plumbing'));
    await messenger(quickReply('5 km', '5'));
    const found = await messenger(messageActivity('Aubervilliers'));
    expect(found[1]).toBe([head, `“${deeplSays('أصلح المغاسل والحنفيات', 'fr')}”`, fr('exchange:inReturnAsks', { text: deeplSays('ملابس أطفال', 'fr') }), `أمينة · ${fr('exchange:postedToday')}`].join('\n'));

    // "I'm interested": a few words, and Amina is asked in Arabic, with the rounded distance.
    expect(await messenger(quickReply('✋ Intéressé·e par 1', posts[0]!.id))).toEqual([fr('exchange:askIntro')]);
    expect((await messenger(messageActivity("Bonjour ! J'ai des vêtements 4 ans.")))[0]).toBe(fr('common:relay.requestSent', { sent: { peer: 'أمينة' } }));
    const asked = catchUp();
    expect(asked).toEqual([`${ar('exchange:wouldAnswerOffer', { name: 'Léa', distance: ar('common:places.aboutKm', { km: 2 }), subject: ar('exchange:cat.plumbing') })}\n«${deeplSays("Bonjour ! J'ai des vêtements 4 ans.", 'ar')}»`]);

    // Amina accepts; Léa, back at her menu, is told and opens the relay.
    await messenger(messageActivity('menu'));
    await wa(button('accept'));
    const toLeaAccepted = connector.calls.slice(-1).map((c) => String(c.body['text']));
    expect(toLeaAccepted).toEqual([fr('common:relay.nudgeAccepted', { name: 'أمينة', subject: fr('exchange:cat.plumbing') })]);
    await messenger(quickReply('Ouvrir', 'open'));

    // Three messages each way, each read in the reader's language.
    const fromAmina = ['مرحبا ليا، السبت مناسب لي', 'المغسلة في المطبخ', 'شكرا جزيلا'];
    const fromLea = ['Parfait, vers 10 h ?', "J'apporte mes outils.", 'À samedi !'];
    for (let i = 0; i < 3; i++) {
      const before = connector.calls.length;
      expect(await wa(say(fromAmina[i]!))).toEqual([]);
      expect(connector.calls.slice(before).map((c) => String(c.body['text']))).toEqual([`${fr('common:relay.fromHeader', { name: 'أمينة', subject: fr('exchange:cat.plumbing') })}\n${deeplSays(fromAmina[i]!, 'fr')}`]);
      expect(await messenger(messageActivity(fromLea[i]!))).toEqual([]);
      expect(catchUp()).toEqual([`${ar('common:relay.fromHeader', { name: 'Léa', subject: ar('exchange:cat.plumbing') })}\n${deeplSays(fromLea[i]!, 'ar')}`]);
    }

    // Léa types her phone number: held, she is asked first; confirmed, it goes.
    const phone = 'Appelez-moi au 06 12 34 56 78';
    expect(await messenger(messageActivity(phone))).toEqual([fr('common:relay.held.phone')]);
    expect(catchUp()).toEqual([]);
    await messenger(quickReply(fr('common:relay.sendAnyway'), 'yes'));
    expect(catchUp()).toEqual([`${ar('common:relay.fromHeader', { name: 'Léa', subject: ar('exchange:cat.plumbing') })}\n${deeplSays(phone, 'ar')}`]);

    // Amina blocks: Léa only learns that the conversation ended; Amina's post no longer shows to her.
    const before = connector.calls.length;
    expect((await wa(row('block')))[0]).toBe(ar('common:relay.blocked', { view: { peer: 'Léa' } }));
    expect(connector.calls.slice(before).map((c) => String(c.body['text']))[0]).toBe(fr('common:relay.nudgeEnded', { name: 'أمينة', subject: fr('exchange:cat.plumbing') }));
    await messenger(messageActivity('menu'));
    await messenger(quickReply('🤝 Entraide', 'exchange'));
    await messenger(quickReply("🔎 Trouver de l'aide", 'findHelp'));
    await messenger(quickReply('🔧 Plomberie', 'plumbing'));
    await messenger(quickReply('5 km', '5'));
    expect(await messenger(messageActivity('Aubervilliers'))).toEqual([
      fr('common:places.set', { found: { label: 'Aubervilliers, France' } }),
      fr('exchange:nothing', { radius: '5' }),
      fr('exchange:pickRadius'),
    ]);

    // Nothing sent to one side carries the other's number, PSID or chat id; each request went to its own person.
    const toLea = JSON.stringify(connector.calls.map((c) => c.body));
    expect(toLea).not.toContain(AMINA_WA);
    expect(toLea).not.toContain('963 944');
    expect(JSON.stringify(toAmina)).not.toContain(PSID);
    expect(new Set(bed.wa.bodies.map((b) => (b as { to: string }).to))).toEqual(new Set([AMINA_WA]));
    expect(new Set(connector.calls.map((c) => (c.body['recipient'] as { id: string }).id))).toEqual(new Set([PSID]));
  });
});
