import { describe, expect, it } from 'vitest';
import type { Address } from '../../../core/messages.ts';
import { WEBCHAT_HISTORY_KEPT, type WebchatEntry } from '../../../core/ports/webchat-history.port.ts';
import { newOrg } from './broadcast-fixtures.ts';
import { personWith, uid, type StoreUnderTest } from './fixtures.ts';

/** A bot message at second `s`; `$` and `.` in it must round-trip as plain text. */
const bot = (s: number, text = `📢 Secours Populaire\nمرحبا $gt a.b ${s}`): WebchatEntry => ({
  author: 'bot',
  lang: 'ar',
  message: { type: 'choices', text, choices: [{ id: 'yes', label: 'نعم' }] },
  clientId: null,
  at: new Date(Date.UTC(2025, 3, 1, 10, 0, s)).toISOString(),
});
const said = (s: number): WebchatEntry => ({ author: 'person', lang: null, message: { type: 'text', text: `لا ${s}` }, clientId: `c-${s}`, at: new Date(Date.UTC(2025, 3, 1, 10, 0, s)).toISOString() });

/** The web chat history: what a reload shows, what server-sent events read, what "forget" erases. */
export function webchatHistoryContract(store: StoreUnderTest): void {
  describe('web chat history', () => {
    it('appends with growing cursors and lists the latest, or those after a cursor, oldest first', async () => {
      const userId = `web-${uid()}`;
      const other = `web-${uid()}`;
      const c1 = await store().webchat.append(userId, said(1));
      const c2 = await store().webchat.append(userId, bot(2));
      await store().webchat.append(other, bot(3));
      const c3 = await store().webchat.append(userId, bot(4, 'x'));
      expect(c2).toBeGreaterThan(c1);
      expect(c3).toBeGreaterThan(c2);
      expect(await store().webchat.list(userId, { limit: 10 })).toEqual([
        { ...said(1), cursor: c1 },
        { ...bot(2), cursor: c2 },
        { ...bot(4, 'x'), cursor: c3 },
      ]);
      expect((await store().webchat.list(userId, { limit: 2 })).map((e) => e.cursor)).toEqual([c2, c3]);
      expect((await store().webchat.list(userId, { after: c1, limit: 1 })).map((e) => e.cursor)).toEqual([c2]);
      expect(await store().webchat.list(userId, { after: c3, limit: 10 })).toEqual([]);
      expect(await store().webchat.list(`web-${uid()}`, { limit: 10 })).toEqual([]);
    });

    it(`keeps the latest ${WEBCHAT_HISTORY_KEPT} entries of a person`, async () => {
      const userId = `web-${uid()}`;
      for (let i = 0; i < WEBCHAT_HISTORY_KEPT + 5; i++) await store().webchat.append(userId, said(i % 60));
      const kept = await store().webchat.list(userId, { limit: 1000 });
      expect(kept).toHaveLength(WEBCHAT_HISTORY_KEPT);
      expect(kept[0]?.clientId).toBe(`c-${5 % 60}`);
    });

    it('erase empties a history, and later cursors still grow past the erased ones', async () => {
      const userId = `web-${uid()}`;
      await store().webchat.append(userId, said(1));
      const last = await store().webchat.append(userId, bot(2));
      expect(await store().webchat.erase(userId)).toBe(2);
      expect(await store().webchat.list(userId, { limit: 10 })).toEqual([]);
      expect(await store().webchat.erase(userId)).toBe(0);
      expect(await store().webchat.append(userId, bot(3))).toBeGreaterThan(last);
    });

    it('erasing a person or a stranger’s address erases their web chat, and no one else’s', async () => {
      const mine: Address = { channel: 'webchat', id: `web-${uid()}` };
      const stranger: Address = { channel: 'webchat', id: `web-${uid()}` };
      const bystander = `web-${uid()}`;
      const person = personWith({ identities: [mine, { channel: 'telegram', id: uid() }] });
      await store().people.create(person);
      for (const id of [mine.id, stranger.id, bystander]) await store().webchat.append(id, bot(1));
      const org = await newOrg(store());
      await store().contacts.join(org.id, { personId: null, firstName: 'Amina', phone: null, lang: 'ar', channel: 'webchat', address: stranger, tags: [] }, uid(), new Date());
      expect(await store().people.erase(person.id)).toBe(true);
      expect(await store().webchat.list(mine.id, { limit: 10 })).toEqual([]);
      await store().contacts.eraseAddress(stranger);
      expect(await store().webchat.list(stranger.id, { limit: 10 })).toEqual([]);
      expect(await store().webchat.list(bystander, { limit: 10 })).toHaveLength(1);
    });

    it('rewrite changes or deletes entries in place, keeping cursors, and touches no one else', async () => {
      const userId = `web-${uid()}`;
      const other = `web-${uid()}`;
      const c1 = await store().webchat.append(userId, said(1));
      await store().webchat.append(userId, bot(2, '💬 Léa: hello'));
      const c3 = await store().webchat.append(userId, bot(3, 'Léa accepted'));
      await store().webchat.append(other, bot(4, 'Léa accepted'));
      const changed = await store().webchat.rewrite(userId, (e) => (e.message.text.includes('hello') ? null : e.message.text.includes('Léa') ? { ...e, message: { ...e.message, text: 'Someone accepted' } } : e));
      expect(changed).toBe(2);
      expect(await store().webchat.list(userId, { limit: 10 })).toEqual([
        { ...said(1), cursor: c1 },
        { ...bot(3, 'Someone accepted'), cursor: c3 },
      ]);
      expect((await store().webchat.list(other, { limit: 10 }))[0]?.message.text).toBe('Léa accepted');
      expect(await store().webchat.rewrite(userId, (e) => e)).toBe(0);
      expect(await store().webchat.append(userId, said(5))).toBeGreaterThan(c3);
    });
  });
}
