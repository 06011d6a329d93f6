import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text as waText } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { createOrg } from '../../../support/organisations.ts';
import { AMINA_WA, deeplSays, LEA_CHAT, lea, pairInRelay, PLUMBING, relayTestbed, t, type RelayTestbed } from './relay-harness.ts';

// Must show: "forget" by one side of a relay. A full dump of every SQLite table (and the file's
// bytes) holds nothing of theirs: not their id, name, chat id, words nor the translations of
// them, nor the report they made; the other side's view of the relay says the person left.

let bed: RelayTestbed;
beforeEach(async () => {
  bed = await relayTestbed();
});
afterEach(async () => {
  await bed.dispose();
});

const say = (body: string) => ({ type: 'text', text: { body } });
const listReply = (id: string, title: string) => ({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title } } });

/** Every row of every table, as text. */
function dump(db: Database.Database): string {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
  return tables.map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())}`).join('\n');
}

describe('forget in a relay', () => {
  it('erases the person’s side down to the bytes; the other side is told the person left, and sees it in "My conversations"', async () => {
    const { app } = bed;
    const ngo = await createOrg(app.store, { code: 'secours', lang: 'fr' });
    const { relayId } = await pairInRelay(bed, ngo.id);
    const words = ['Bonjour Amina, je suis Léa de Montreuil.', 'Je préfère arrêter ici.'];
    await bed.whatsapp(AMINA_WA, say('مرحبا ليا'));
    await bed.telegram((u) => u.text(lea, words[0]!));
    await bed.telegram((u) => u.text(lea, words[1]!));
    // Léa reports (her report is hers to erase); Amina answers how it went.
    await bed.telegram((u) => u.callback(lea, 'report'));
    expect(await app.store.relays.reports(ngo.id, null, 10)).toHaveLength(1);
    await bed.whatsapp(AMINA_WA, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'no', title: t('ar', 'common:relay.outcome.no') } } });

    // A second relay, opened at once by Léa about another post, is live when she leaves.
    const second = await app.relays.request('exchange-effect-2', (await app.store.people.get('p-lea'))!, { subjectKind: 'test-post', subjectId: 'post-2', toPersonId: 'p-amina', open: true, intro: 'Et pour la peinture ?' });
    expect(second.kind).toBe('opened');
    await bed.quiesce();
    const waBefore = bed.wa.bodies.length;

    // Léa asks to be forgotten, and confirms.
    await bed.telegram((u) => u.text(lea, 'oublier'));
    const gone = await bed.telegram((u) => u.callback(lea, 'yes'));
    expect(gone.at(-1)).toEqual({ chat_id: LEA_CHAT, text: t('fr', 'common:forgotten') });
    await bed.quiesce();
    // Amina is told, in Arabic and without a name, that the person of the live relay left.
    expect(bed.wa.bodies.slice(waBefore)).toEqual([waText(`${t('ar', 'common:relay.nudgeLeft', { subject: PLUMBING['ar']! })}\n${t('ar', 'common:relay.typeMenu')}`, AMINA_WA)]);

    const db = (app.store as unknown as { db: Database.Database }).db;
    const all = dump(db);
    for (const trace of ['p-lea', 'Léa', String(LEA_CHAT), ...words, ...words.map((w) => deeplSays(w, 'ar')), 'Montreuil', 'Et pour la peinture']) expect(all, trace).not.toContain(trace);
    expect(await app.store.relays.reports(ngo.id, null, 10)).toEqual([]);
    // Not in the file's bytes either (secure_delete, and the WAL is checkpointed after an erasure).
    const file = join(bed.app.config.dataDir, 'passerelle.sqlite');
    const bytes = Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
    for (const trace of ['Léa', 'Montreuil', 'p-lea']) expect(bytes.includes(Buffer.from(trace)), trace).toBe(false);

    // Amina's side: the relay is still hers, and says the other person left.
    const relay = await app.store.relays.get(relayId);
    expect(relay).toMatchObject({ status: 'left', requesterId: null, receiverId: 'p-amina' });
    expect(await app.store.relays.messages(relayId, 20)).toMatchObject([{ fromPersonId: 'p-amina', text: 'مرحبا ليا' }]);
    await bed.whatsapp(AMINA_WA, say('القائمة'));
    const list = await bed.whatsapp(AMINA_WA, listReply('conversations', t('ar', 'common:relay.myConversations')));
    expect(JSON.stringify(list).split(`${t('ar', 'common:relay.someone')} · ${PLUMBING['ar']}`)).toHaveLength(3);
    const opened = await bed.whatsapp(AMINA_WA, listReply(relayId, t('ar', 'common:relay.someone')));
    expect(opened[0]).toEqual(waText(t('ar', 'common:relay.over.left'), AMINA_WA));
  });
});
