import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../core/ports/contacts.port.ts';
import { importContacts, importRow, joinedContact, newOrg } from './broadcast-fixtures.ts';
import { uid, type StoreUnderTest } from './fixtures.ts';

/** Audiences: who a broadcast reaches (subscribed, reachable, any of the tags) and in which languages. */
export function audienceContract(store: StoreUnderTest): void {
  describe('contact audiences', () => {
    const at = new Date('2025-04-01T10:00:00.000Z');

    /** An organisation with tagged contacts in three languages, one unsubscribed and one unreachable. */
    async function tagged(): Promise<{ orgId: string; contacts: Contact[] }> {
      const org = await newOrg(store());
      const contacts = await importContacts(
        store(),
        org.id,
        [
          importRow({ lang: 'ar', tags: ['lyon'] }),
          importRow({ lang: 'ar', tags: ['lyon', 'famille'] }),
          importRow({ lang: 'uk', tags: ['famille'] }),
          importRow({ lang: 'uk', tags: ['emploi'] }),
          importRow({ lang: 'fa', tags: [] }),
          importRow({ lang: 'ps', tags: ['lyon'] }),
          importRow({ lang: 'so', tags: ['lyon'] }),
        ],
        at,
      );
      const [, , , , , unsubscribed, unreachable] = contacts;
      if (!unsubscribed?.address || !unreachable) throw new Error('fixture imported');
      await store().contacts.unsubscribeAddress(unsubscribed.address, at);
      await store().contacts.markUnreachable(unreachable.id, 'not-on-channel', at);
      return { orgId: org.id, contacts };
    }

    it('counts the languages of one channel\'s contacts only, when asked', async () => {
      const org = await newOrg(store());
      await importContacts(
        store(),
        org.id,
        [importRow({ lang: 'fr' }), importRow({ lang: 'fr', channel: 'sms', address: { channel: 'sms', id: `+${uid().replace(/\D/g, '').slice(0, 9) || '1'}` } }), importRow({ lang: 'ar', channel: 'sms', address: { channel: 'sms', id: '+33611122233' } })],
        at,
      );
      expect(await store().contacts.audienceLanguages(org.id, { type: 'all' }, 'sms')).toEqual(new Map([['fr', 1], ['ar', 1]]));
      expect(await store().contacts.audienceLanguages(org.id, { type: 'all' })).toEqual(new Map([['fr', 2], ['ar', 1]]));
    });

    it('counts every subscribed, reachable contact of the organisation for "all"', async () => {
      const { orgId } = await tagged();
      const other = await newOrg(store());
      await importContacts(store(), other.id, [importRow(), importRow()], at);

      expect(await store().contacts.countAudience(orgId, { type: 'all' })).toBe(5);
      expect(await store().contacts.countAudience(other.id, { type: 'all' })).toBe(2);
      expect(await store().contacts.countAudience(uid(), { type: 'all' })).toBe(0);
    });

    it('counts contacts holding any of the tags, once each', async () => {
      const { orgId } = await tagged();
      expect(await store().contacts.countAudience(orgId, { type: 'tags', tags: ['lyon'] })).toBe(2);
      expect(await store().contacts.countAudience(orgId, { type: 'tags', tags: ['lyon', 'famille'] })).toBe(3);
      expect(await store().contacts.countAudience(orgId, { type: 'tags', tags: ['famille', 'emploi', 'lyon'] })).toBe(4);
      expect(await store().contacts.countAudience(orgId, { type: 'tags', tags: ['absent'] })).toBe(0);
      expect(await store().contacts.countAudience(orgId, { type: 'tags', tags: [] })).toBe(0);
    });

    it('gives the languages of an audience with counts, leaving out unsubscribed and unreachable contacts', async () => {
      const { orgId } = await tagged();
      expect(await store().contacts.audienceLanguages(orgId, { type: 'all' })).toEqual(
        new Map([
          ['ar', 2],
          ['uk', 2],
          ['fa', 1],
        ]),
      );
      expect(await store().contacts.audienceLanguages(orgId, { type: 'tags', tags: ['famille', 'emploi'] })).toEqual(
        new Map([
          ['ar', 1],
          ['uk', 2],
        ]),
      );
      expect(await store().contacts.audienceLanguages(orgId, { type: 'tags', tags: ['absent'] })).toEqual(new Map());
    });

    it('takes a joined contact’s language from their person, as it is now', async () => {
      const org = await newOrg(store());
      const { personId } = await joinedContact(store(), org.id, { channel: 'telegram', id: uid() }, at, { lang: 'fa' });
      await store().people.update(personId, { lang: 'ti' }, at);

      expect(await store().contacts.audienceLanguages(org.id, { type: 'all' })).toEqual(new Map([['ti', 1]]));
      expect(await store().contacts.countAudience(org.id, { type: 'all' })).toBe(1);
    });

    it('counts a contact again once its phone is imported anew after being unreachable', async () => {
      const org = await newOrg(store());
      const [contact] = await importContacts(store(), org.id, [importRow({ tags: ['lyon'] })], at);
      if (!contact?.phone) throw new Error('fixture has a phone');
      await store().contacts.markUnreachable(contact.id, 'blocked', at);
      expect(await store().contacts.countAudience(org.id, { type: 'tags', tags: ['lyon'] })).toBe(0);

      await store().contacts.importMany(org.id, [importRow({ phone: contact.phone, tags: ['lyon'] })], () => uid(), at);

      expect(await store().contacts.countAudience(org.id, { type: 'tags', tags: ['lyon'] })).toBe(1);
    });
  });
}
