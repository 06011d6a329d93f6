import { describe, expect, it } from 'vitest';
import type { Address } from '../../../core/messages.ts';
import type { Contact } from '../../../core/ports/contacts.port.ts';
import { byId, importContacts, importRow, joinedContact, newOrg, recordingIds } from './broadcast-fixtures.ts';
import { personWith, phoneId, uid, type StoreUnderTest } from './fixtures.ts';

/** Contacts: imports by phone per organisation, joins per address, pages, and per-address actions. */
export function contactsContract(store: StoreUnderTest): void {
  describe('contacts', () => {
    const t1 = new Date('2025-04-01T10:00:00.000Z');
    const t2 = new Date('2025-04-02T11:30:00.000Z');

    it('imports new rows as contacts with the ids given, exactly as written, tags deduplicated', async () => {
      const org = await newOrg(store());
      const row = importRow({ firstName: 'ليلى', lang: 'ar', tags: ['lyon', 'famille', 'lyon'] });
      const telegramRow = importRow({ firstName: 'Oksana', lang: 'uk', channel: 'telegram', address: null, tags: [] });
      const ids = recordingIds();

      expect(await store().contacts.importMany(org.id, [row, telegramRow], ids.next, t1)).toEqual({ created: 2, updated: 0 });

      expect(ids.given).toHaveLength(2);
      const expected: Contact = {
        id: ids.given[0] ?? '',
        orgId: org.id,
        personId: null,
        firstName: 'ليلى',
        phone: row.phone,
        lang: 'ar',
        channel: 'whatsapp-cloud',
        address: row.address,
        tags: ['lyon', 'famille'],
        source: 'imported',
        subscribed: true,
        unreachable: null,
        createdAt: t1.toISOString(),
        updatedAt: t1.toISOString(),
      };
      expect(await store().contacts.get(org.id, expected.id)).toEqual(expected);
      expect(await store().contacts.get(org.id, ids.given[1] ?? '')).toMatchObject({
        phone: telegramRow.phone,
        channel: 'telegram',
        address: null,
        tags: [],
      });
    });

    it('updates, rather than duplicates, a phone the organisation already has', async () => {
      const org = await newOrg(store());
      const [contact] = await importContacts(store(), org.id, [importRow({ tags: ['a'] })], t1);
      if (!contact?.phone) throw new Error('fixture has a phone');
      const again = importRow({ phone: contact.phone, firstName: 'Amina B.', lang: 'fr', tags: ['b'] });
      const fresh = importRow();
      const ids = recordingIds();

      expect(await store().contacts.importMany(org.id, [again, fresh], ids.next, t2)).toEqual({ created: 1, updated: 1 });

      expect(ids.given).toHaveLength(1);
      expect(await store().contacts.get(org.id, contact.id)).toEqual({
        ...contact,
        firstName: 'Amina B.',
        lang: 'fr',
        tags: ['b'],
        updatedAt: t2.toISOString(),
      });
    });

    it('counts a phone repeated within one import as one contact', async () => {
      const org = await newOrg(store());
      const phone = phoneId();
      const ids = recordingIds();
      const rows = [importRow({ phone, firstName: 'Première' }), importRow({ phone, firstName: 'Seconde' })];

      expect(await store().contacts.importMany(org.id, rows, ids.next, t1)).toEqual({ created: 1, updated: 1 });

      expect(ids.given).toHaveLength(1);
      expect(await store().contacts.get(org.id, ids.given[0] ?? '')).toMatchObject({ phone, firstName: 'Seconde' });
    });

    it('keeps the same phone in two organisations as two contacts, each visible to its own organisation only', async () => {
      const [a, b] = [await newOrg(store()), await newOrg(store())];
      const row = importRow();
      const [inA] = await importContacts(store(), a.id, [row], t1);
      const [inB] = await importContacts(store(), b.id, [{ ...row, firstName: 'Autre' }], t1);
      if (!inA || !inB) throw new Error('fixture imported');

      expect(inA.id).not.toBe(inB.id);
      expect(await store().contacts.get(b.id, inA.id)).toBeNull();
      expect(await store().contacts.get(a.id, inB.id)).toBeNull();
      expect(await store().contacts.get(a.id, uid())).toBeNull();
      expect(byId(await store().contacts.findByAddress(row.address as Address))).toEqual(byId([inA, inB]));
    });

    it('joins a person once per organisation and address, and again in another organisation', async () => {
      const [a, b] = [await newOrg(store()), await newOrg(store())];
      const address: Address = { channel: 'telegram', id: uid() };
      const { personId, contact } = await joinedContact(store(), a.id, address, t1, { lang: 'fa', firstName: 'Reza' });

      expect(contact).toMatchObject({ orgId: a.id, personId, firstName: 'Reza', lang: 'fa', channel: 'telegram', address, phone: null });
      expect(contact).toMatchObject({ source: 'joined', subscribed: true, unreachable: null, tags: [], createdAt: t1.toISOString() });
      expect(await store().contacts.get(a.id, contact.id)).toEqual(contact);

      const input = { personId, firstName: 'Reza', phone: null, lang: 'fa', channel: 'telegram' as const, address, tags: [] };
      const again = await store().contacts.join(a.id, input, uid(), t2);
      expect(again.id).toBe(contact.id);
      expect(await store().contacts.list(a.id, { limit: 10 })).toHaveLength(1);

      const elsewhere = await store().contacts.join(b.id, input, uid(), t2);
      expect(elsewhere.id).not.toBe(contact.id);
      expect(elsewhere).toMatchObject({ orgId: b.id, personId, source: 'joined' });
      expect(byId(await store().contacts.findByAddress(address)).map((c) => c.id)).toEqual([contact.id, elsewhere.id].sort());
    });

    it('links an imported contact when its person joins at the same address, and subscribes it again', async () => {
      const org = await newOrg(store());
      const [imported] = await importContacts(store(), org.id, [importRow({ firstName: 'Amina', lang: 'ar', tags: ['lyon'] })], t1);
      if (!imported?.address) throw new Error('fixture has an address');
      await store().contacts.unsubscribeAddress(imported.address, t1);
      const person = personWith({ identities: [imported.address], firstName: 'Amina K.', lang: 'fr' });
      await store().people.create(person);

      const joined = await store().contacts.join(
        org.id,
        { personId: person.id, firstName: 'Amina K.', phone: imported.phone, lang: 'fr', channel: imported.channel, address: imported.address, tags: [] },
        uid(),
        t2,
      );

      const expected: Contact = { ...imported, personId: person.id, firstName: 'Amina K.', lang: 'fr', subscribed: true, updatedAt: t2.toISOString() };
      expect(joined).toEqual(expected);
      expect(await store().contacts.get(org.id, imported.id)).toEqual(expected);
      expect(await store().contacts.list(org.id, { limit: 10 })).toEqual([expected]);
    });

    it('lists an organisation’s contacts by id, a page at a time after the last id seen', async () => {
      const org = await newOrg(store());
      const other = await newOrg(store());
      const ours = await importContacts(store(), org.id, Array.from({ length: 5 }, () => importRow()), t1);
      await importContacts(store(), other.id, [importRow(), importRow()], t1);

      const first = await store().contacts.list(org.id, { limit: 2 });
      const second = await store().contacts.list(org.id, { limit: 2, after: first.at(-1)?.id ?? '' });
      const third = await store().contacts.list(org.id, { limit: 2, after: second.at(-1)?.id ?? '' });
      const end = await store().contacts.list(org.id, { limit: 2, after: third.at(-1)?.id ?? '' });

      expect([first.length, second.length, third.length, end.length]).toEqual([2, 2, 1, 0]);
      expect([...first, ...second, ...third]).toEqual(byId(ours));
      expect(await store().contacts.list(org.id, { limit: 100 })).toEqual(byId(ours));
      expect(await store().contacts.list(uid(), { limit: 100 })).toEqual([]);
    });

    it('finds nobody at an unknown address, and keeps channels apart', async () => {
      const org = await newOrg(store());
      const [contact] = await importContacts(store(), org.id, [importRow()], t1);
      if (!contact?.address) throw new Error('fixture has an address');
      expect(await store().contacts.findByAddress({ channel: 'telegram', id: uid() })).toEqual([]);
      expect(await store().contacts.findByAddress({ channel: 'whatsapp-web', id: contact.address.id })).toEqual([]);
    });

    it('unsubscribes every contact at an address, in every organisation, and counts only those it changed', async () => {
      const [a, b] = [await newOrg(store()), await newOrg(store())];
      const row = importRow();
      const [inA] = await importContacts(store(), a.id, [row], t1);
      const [inB, bystander] = await importContacts(store(), b.id, [row, importRow()], t1);
      if (!inA || !inB || !bystander) throw new Error('fixture imported');

      expect(await store().contacts.unsubscribeAddress(row.address as Address, t2)).toBe(2);

      expect(await store().contacts.get(a.id, inA.id)).toEqual({ ...inA, subscribed: false, updatedAt: t2.toISOString() });
      expect(await store().contacts.get(b.id, inB.id)).toEqual({ ...inB, subscribed: false, updatedAt: t2.toISOString() });
      expect(await store().contacts.get(b.id, bystander.id)).toEqual(bystander);
      expect(await store().contacts.unsubscribeAddress(row.address as Address, t2)).toBe(0);
      expect(await store().contacts.unsubscribeAddress({ channel: 'telegram', id: uid() }, t2)).toBe(0);
    });

    it('subscribes again every contact at an address (START after STOP), counting only those it changed', async () => {
      const [a, b] = [await newOrg(store()), await newOrg(store())];
      const row = importRow();
      const [inA] = await importContacts(store(), a.id, [row], t1);
      const [inB] = await importContacts(store(), b.id, [row], t1);
      if (!inA || !inB) throw new Error('fixture imported');
      await store().contacts.unsubscribeAddress(row.address as Address, t1);
      expect(await store().contacts.resubscribeAddress(row.address as Address, t2)).toBe(2);
      expect(await store().contacts.get(a.id, inA.id)).toEqual({ ...inA, subscribed: true, updatedAt: t2.toISOString() });
      expect(await store().contacts.resubscribeAddress(row.address as Address, t2)).toBe(0);
      expect(await store().contacts.resubscribeAddress({ channel: 'sms', id: '+33600000000' }, t2)).toBe(0);
    });

    it('erases every contact at an address, in every organisation, and no other', async () => {
      const [a, b] = [await newOrg(store()), await newOrg(store())];
      const row = importRow();
      const [inA, bystander] = await importContacts(store(), a.id, [row, importRow()], t1);
      const [inB] = await importContacts(store(), b.id, [row], t1);
      if (!inA || !inB || !bystander) throw new Error('fixture imported');

      expect(await store().contacts.eraseAddress(row.address as Address)).toBe(2);

      expect(await store().contacts.get(a.id, inA.id)).toBeNull();
      expect(await store().contacts.get(b.id, inB.id)).toBeNull();
      expect(await store().contacts.findByAddress(row.address as Address)).toEqual([]);
      expect(await store().contacts.get(a.id, bystander.id)).toEqual(bystander);
      expect(await store().contacts.eraseAddress(row.address as Address)).toBe(0);
    });

    it('remembers why a contact is unreachable, until a new import of its phone clears it', async () => {
      const org = await newOrg(store());
      const [contact] = await importContacts(store(), org.id, [importRow()], t1);
      if (!contact?.phone) throw new Error('fixture has a phone');

      await store().contacts.markUnreachable(contact.id, 'blocked', t2);

      expect(await store().contacts.get(org.id, contact.id)).toEqual({ ...contact, unreachable: 'blocked', updatedAt: t2.toISOString() });
      await store().contacts.importMany(org.id, [importRow({ phone: contact.phone })], () => uid(), t2);
      expect(await store().contacts.get(org.id, contact.id)).toMatchObject({ unreachable: null, subscribed: true });
    });

    it("links imported contacts at an address to the person who signed up there, whose language then wins", async () => {
      const [orgA, orgB] = [await newOrg(store()), await newOrg(store())];
      const row = importRow({ lang: 'ar', firstName: 'Amina' });
      const [inA] = await importContacts(store(), orgA.id, [row], t1);
      const [inB] = await importContacts(store(), orgB.id, [row], t1);
      const other = importRow({ lang: 'ar' });
      await importContacts(store(), orgA.id, [other], t1);
      const person = personWith({ lang: 'en', firstName: 'Amina', identities: [row.address!] });
      await store().people.create(person);

      expect(await store().contacts.linkAddress(row.address!, person.id, t2)).toBe(2);
      expect(await store().contacts.get(orgA.id, inA!.id)).toMatchObject({ personId: person.id, updatedAt: t2.toISOString() });
      expect(await store().contacts.get(orgB.id, inB!.id)).toMatchObject({ personId: person.id });
      expect(await store().contacts.audienceLanguages(orgA.id, { type: 'all' })).toEqual(new Map([['en', 1], ['ar', 1]]));
      // Already linked: nothing to do the second time.
      expect(await store().contacts.linkAddress(row.address!, person.id, t2)).toBe(0);
    });

    it('links a contact imported at the address of someone who already signed up to that person', async () => {
      const org = await newOrg(store());
      const row = importRow({ lang: 'ar' });
      const person = personWith({ lang: 'en', identities: [row.address!] });
      await store().people.create(person);
      const [contact] = await importContacts(store(), org.id, [row], t1);
      expect(contact).toMatchObject({ personId: person.id, lang: 'ar' });
      expect(await store().contacts.audienceLanguages(org.id, { type: 'all' })).toEqual(new Map([['en', 1]]));
    });
  });
}
