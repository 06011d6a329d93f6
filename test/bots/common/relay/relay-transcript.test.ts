import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { controlWords } from '../../../../core/dialog/relay-input.ts';
import { LANGUAGES } from '../../../../core/i18n/languages.ts';
import { TALK_CONTROLS } from '../../../../bots/common/relay/relay.dialogs.ts';
import { buttons as waButtons, list as waList, text as waText } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { AMINA_WA, deeplSays, LEA_CHAT, lea, PLUMBING, relayTestbed, seedPerson, t } from './relay-harness.ts';

// Must show: a relay across channels. Amina writes Arabic on the WhatsApp Cloud API (nock at
// Graph), Léa writes French on Telegram (loopback fake); DeepL (nock) translates at send time.
// Each reads the other in their own language; a phone number is held until confirmed; Léa blocks.


let bed: Awaited<ReturnType<typeof relayTestbed>>;
beforeEach(async () => {
  bed = await relayTestbed();
});
afterEach(async () => {
  await bed.dispose();
});

const hint = (lang: string) => t(lang, 'common:relayHint', { words: controlWords(TALK_CONTROLS, lang, { text: (l, k) => t(l, k) }) });
const talk = (lang: string, peer: string) => `${t(lang, 'common:relay.talk', { view: { peer, subject: PLUMBING[lang]! } })}\n${hint(lang)}`;
const controlRows = (lang: string): [string, string][] => TALK_CONTROLS.map((c) => [c.id, t(lang, c.label)]);
const inline = (rows: [string, string][]) => {
  const perRow = rows.every(([, label]) => [...label].length <= 14) ? 2 : 1;
  const out: { text: string; callback_data: string }[][] = [];
  for (let i = 0; i < rows.length; i += perRow) out.push(rows.slice(i, i + perRow).map(([id, label]) => ({ text: label, callback_data: id })));
  return { inline_keyboard: out };
};
const tg = (text: string, rows?: [string, string][]) => ({ chat_id: LEA_CHAT, text, ...(rows ? { reply_markup: inline(rows) } : {}) });
const button = (id: string, title: string) => ({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });
const say = (body: string) => ({ type: 'text', text: { body } });

describe('a relay between WhatsApp (Arabic) and Telegram (French)', () => {
  it('asks, accepts, relays three messages each way translated for each reader, holds a phone number, blocks; nothing of one side reaches the other', async () => {
    const { app } = bed;
    const now = app.clock.now();
    const amina = await seedPerson(app.store, now, { id: 'p-amina', firstName: 'Amina', lang: 'ar', at: { channel: 'whatsapp-cloud', id: AMINA_WA } });
    const leaP = await seedPerson(app.store, now, { id: 'p-lea', firstName: 'Léa', lang: 'fr', role: 'resident', at: { channel: 'telegram', id: String(LEA_CHAT) } });
    const allToAmina: unknown[] = [];
    const allToLea: unknown[] = [];
    const wa = async (message: Record<string, unknown>, id?: string) => {
      const sent = await bed.whatsapp(AMINA_WA, message, id);
      allToAmina.push(...sent);
      return sent;
    };
    const tgSend = async (update: Parameters<typeof bed.telegram>[0]) => {
      const sent = await bed.telegram(update);
      allToLea.push(...sent);
      return sent;
    };

    // Both are at their menu.
    expect(await wa(say('القائمة'))).toHaveLength(1);
    expect(await tgSend((u) => u.text(lea, 'menu'))).toHaveLength(1);

    // Léa is interested in Amina's offer: the exchange asks the relay for contact.
    const asked = await app.relays.request('exchange-effect-1', leaP, {
      subjectKind: 'test-post',
      subjectId: 'post-1',
      toPersonId: amina.id,
      intro: 'Bonjour ! Je peux passer samedi ?',
      context: { km: 3 },
    });
    expect(asked).toMatchObject({ kind: 'requested', peer: 'Amina' });
    await bed.quiesce();
    const request = `Léa، على بعد حوالي 3 كم، ترغب في الرد على عرضك ${PLUMBING['ar']}\n«${deeplSays('Bonjour ! Je peux passer samedi ?', 'ar')}»`;
    const decision = (lang: string): [string, string][] => [
      ['accept', t(lang, 'common:relay.accept')],
      ['decline', t(lang, 'common:relay.decline')],
      ['later', t(lang, 'common:relay.later')],
    ];
    expect(bed.wa.bodies.at(-1)).toEqual(waButtons(request, decision('ar'), AMINA_WA));
    allToAmina.push(bed.wa.bodies.at(-1));

    // Amina accepts: she is in the relay; Léa is told and opens it.
    const accepted = await wa(button('accept', t('ar', 'common:relay.accept')));
    expect(accepted).toEqual([waList(talk('ar', 'Léa'), controlRows('ar'), AMINA_WA)]);
    const toLea = bed.api.sentMessages().slice(-1);
    allToLea.push(...toLea);
    expect(toLea).toEqual([
      tg(t('fr', 'common:relay.nudgeAccepted', { name: 'Amina', subject: PLUMBING['fr']! }), [
        ['open', t('fr', 'common:relay.open')],
        ['later', t('fr', 'common:relay.later')],
      ]),
    ]);
    expect(await tgSend((u) => u.callback(lea, 'open'))).toEqual([tg(talk('fr', 'Amina'), controlRows('fr'))]);

    // Three messages each way, each read in the reader's language, headed with name and subject.
    const fromAmina = ['مرحبا ليا، السبت مناسب لي', 'المغسلة في المطبخ', 'شكرا جزيلا'];
    const fromLea = ['Parfait, vers 10 h ?', "J'apporte mes outils.", 'À samedi !'];
    for (let i = 0; i < 3; i++) {
      expect(await wa(say(fromAmina[i]!))).toEqual([]);
      const got = bed.api.sentMessages().slice(-1);
      allToLea.push(...got);
      expect(got).toEqual([tg(`${t('fr', 'common:relay.fromHeader', { name: 'Amina', subject: PLUMBING['fr']! })}\n${deeplSays(fromAmina[i]!, 'fr')}`)]);
      const before = bed.wa.bodies.length;
      expect(await tgSend((u) => u.text(lea, fromLea[i]!))).toEqual([]);
      const toAmina = bed.wa.bodies.slice(before);
      allToAmina.push(...toAmina);
      expect(toAmina).toEqual([waText(`${t('ar', 'common:relay.fromHeader', { name: 'Léa', subject: PLUMBING['ar']! })}\n${deeplSays(fromLea[i]!, 'ar')}`, AMINA_WA)]);
    }
    const translated = bed.deepl.seen.map((s) => ({ target: s.form.get('target_lang'), source: s.form.get('source_lang'), texts: s.texts }));
    expect(translated.slice(-6)).toEqual([
      { target: 'fr', source: 'ar', texts: [fromAmina[0]] },
      { target: 'ar', source: 'fr', texts: [fromLea[0]] },
      { target: 'fr', source: 'ar', texts: [fromAmina[1]] },
      { target: 'ar', source: 'fr', texts: [fromLea[1]] },
      { target: 'fr', source: 'ar', texts: [fromAmina[2]] },
      { target: 'ar', source: 'fr', texts: [fromLea[2]] },
    ]);

    // Léa types her phone number: held, and she is asked first; nothing reaches Amina yet.
    const waBefore = bed.wa.bodies.length;
    const phone = 'Appelez-moi au 06 12 34 56 78';
    const held = await tgSend((u) => u.text(lea, phone));
    expect(held).toEqual([
      tg(t('fr', 'common:relay.held.phone'), [
        ['yes', t('fr', 'common:relay.sendAnyway')],
        ['no', t('fr', 'common:relay.dontSend')],
      ]),
    ]);
    expect(bed.wa.bodies.length).toBe(waBefore);
    expect(await tgSend((u) => u.callback(lea, 'yes'))).toEqual([tg(t('fr', 'common:relay.sent')), tg(talk('fr', 'Amina'), controlRows('fr'))]);
    const phoneToAmina = bed.wa.bodies.slice(waBefore);
    allToAmina.push(...phoneToAmina);
    expect(phoneToAmina).toEqual([waText(`${t('ar', 'common:relay.fromHeader', { name: 'Léa', subject: PLUMBING['ar']! })}\n${deeplSays(phone, 'ar')}`, AMINA_WA)]);

    // "original" (typed in Arabic) shows the last message as Léa wrote it.
    const original = await wa(say('الأصل'));
    expect(original).toEqual([waText(t('ar', 'common:relay.originalText', { lang: LANGUAGES.find((l) => l.code === 'fr')!.nativeName, text: phone }), AMINA_WA)]);

    // Léa blocks: she is told; Amina only learns that the conversation ended, and is asked once how it went.
    const waBlock = bed.wa.bodies.length;
    const blocked = await tgSend((u) => u.callback(lea, 'block'));
    expect(blocked[0]).toEqual(tg(t('fr', 'common:relay.blocked', { view: { peer: 'Amina' } })));
    const endedForAmina = bed.wa.bodies.slice(waBlock);
    allToAmina.push(...endedForAmina);
    expect(endedForAmina).toEqual([
      waText(t('ar', 'common:relay.nudgeEnded', { name: 'Léa', subject: PLUMBING['ar']! }), AMINA_WA),
      waButtons(
        t('ar', 'common:relay.outcome.question'),
        [
          ['yes', t('ar', 'common:relay.outcome.yes')],
          ['no', t('ar', 'common:relay.outcome.no')],
          ['not-yet', t('ar', 'common:relay.outcome.notYet')],
        ],
        AMINA_WA,
      ),
    ]);
    const thanks = await wa(button('yes', t('ar', 'common:relay.outcome.yes')));
    expect(thanks[0]).toEqual(waText(t('ar', 'common:relay.outcome.thanks'), AMINA_WA));
    expect(await app.relays.outcomes('test-post', 'post-1')).toEqual({ yes: 1, no: 0, notYet: 0 });
    expect(await app.relays.isBlockedEitherWay('p-amina', 'p-lea')).toBe(true);
    expect(await app.relays.blockedEitherWay('p-amina')).toEqual(['p-lea']);
    expect(await app.relays.request('exchange-effect-2', leaP, { subjectKind: 'test-post', subjectId: 'post-1', toPersonId: amina.id })).toEqual({ kind: 'blocked' });

    // Nothing sent to one side carries the other's number, chat id or handle.
    const toAminaText = JSON.stringify(allToAmina);
    const toLeaText = JSON.stringify(allToLea);
    expect(toAminaText).not.toContain(String(LEA_CHAT));
    expect(toLeaText).not.toContain(AMINA_WA);
    expect(toLeaText).not.toContain('963 944');
    // Every Graph request went to Amina's own number, every Telegram message to Léa's own chat.
    expect(new Set(bed.wa.bodies.map((b) => (b as { to: string }).to))).toEqual(new Set([AMINA_WA]));
    expect(new Set(bed.api.sentMessages().map((m) => m['chat_id']))).toEqual(new Set([LEA_CHAT]));
  });
});
