import { describe, expect, it } from 'vitest';
import type { InboxEntry } from '../../../core/ports/inbox.port.ts';
import { importContacts, importRow, newOrg } from './broadcast-fixtures.ts';
import { uid, type StoreUnderTest } from './fixtures.ts';

/** An inbox entry at minute `minute`; override what the test is about. */
function entryWith(orgId: string, contactId: string, minute: number, overrides: Partial<InboxEntry> = {}): InboxEntry {
  return {
    id: uid(),
    orgId,
    contactId,
    direction: 'in',
    broadcastId: null,
    text: 'شكرا، هل يمكنني أن آتي مع أطفالي؟',
    lang: 'ar',
    translatedText: 'Merci, puis-je venir avec mes enfants ?',
    translatedLang: 'fr',
    at: new Date(Date.UTC(2025, 3, 1, 10, minute)).toISOString(),
    ...overrides,
  };
}

/** The inbox: an organisation's exchanges with its contacts, newest first. */
export function inboxContract(store: StoreUnderTest): void {
  describe('inbox', () => {
    const at = new Date('2025-04-01T09:00:00.000Z');

    it('lists an organisation’s entries newest first, exactly as added, up to the limit', async () => {
      const org = await newOrg(store());
      const [amina, oksana] = await importContacts(store(), org.id, [importRow(), importRow()], at);
      if (!amina || !oksana) throw new Error('fixture imported');
      const reply = entryWith(org.id, amina.id, 1, { broadcastId: uid() });
      const answer = entryWith(org.id, amina.id, 3, {
        direction: 'out',
        text: 'Oui, bien sûr.',
        lang: 'fr',
        translatedText: 'نعم، بالطبع.',
        translatedLang: 'ar',
      });
      const untranslated = entryWith(org.id, oksana.id, 2, { text: 'Дякую!\n"Так"', lang: null, translatedText: null, translatedLang: null });
      for (const entry of [reply, answer, untranslated]) await store().inbox.add(entry);

      expect(await store().inbox.list(org.id, { limit: 10 })).toEqual([answer, untranslated, reply]);
      expect(await store().inbox.list(org.id, { limit: 2 })).toEqual([answer, untranslated]);
    });

    it('lists one contact’s entries only when asked, and never another organisation’s', async () => {
      const [org, other] = [await newOrg(store()), await newOrg(store())];
      const [amina, oksana] = await importContacts(store(), org.id, [importRow(), importRow()], at);
      const [elsewhere] = await importContacts(store(), other.id, [importRow()], at);
      if (!amina || !oksana || !elsewhere) throw new Error('fixture imported');
      const first = entryWith(org.id, amina.id, 1);
      const second = entryWith(org.id, oksana.id, 2);
      const third = entryWith(org.id, amina.id, 3, { direction: 'out' });
      const foreign = entryWith(other.id, elsewhere.id, 4);
      for (const entry of [first, second, third, foreign]) await store().inbox.add(entry);

      expect(await store().inbox.list(org.id, { limit: 10, contactId: amina.id })).toEqual([third, first]);
      expect(await store().inbox.list(org.id, { limit: 10, contactId: oksana.id })).toEqual([second]);
      expect(await store().inbox.list(org.id, { limit: 10 })).toEqual([third, second, first]);
      expect(await store().inbox.list(other.id, { limit: 10 })).toEqual([foreign]);
      expect(await store().inbox.list(org.id, { limit: 10, contactId: elsewhere.id })).toEqual([]);
      expect(await store().inbox.list(uid(), { limit: 10 })).toEqual([]);
    });
  });
}
