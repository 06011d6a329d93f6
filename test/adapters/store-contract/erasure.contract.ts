import { describe, expect, it } from 'vitest';
import type { Address } from '../../../core/messages.ts';
import type { Contact } from '../../../core/ports/contacts.port.ts';
import type { InboxEntry } from '../../../core/ports/inbox.port.ts';
import { importContacts, importRow, LATER, newOrg, sentToAll } from './broadcast-fixtures.ts';
import { personWith, phoneId, uid, type StoreUnderTest } from './fixtures.ts';

/** An inbound entry from a contact. */
const said = (contact: Contact, minute: number): InboxEntry => ({
  id: uid(),
  orgId: contact.orgId,
  contactId: contact.id,
  direction: 'in',
  broadcastId: null,
  text: 'Je serai là',
  lang: 'fr',
  translatedText: null,
  translatedLang: null,
  at: new Date(Date.UTC(2025, 3, 1, 10, minute)).toISOString(),
});

/** "Forget me": erasing a person or an address takes their contacts, deliveries and inbox entries. */
export function erasureContract(store: StoreUnderTest): void {
  describe('erasure of contacts', () => {
    const at = new Date('2025-04-01T09:00:00.000Z');

    it('erasing a person erases every contact linked to them or at one of their addresses, with its deliveries and inbox entries', async () => {
      const telegram: Address = { channel: 'telegram', id: uid() };
      const phone = phoneId();
      const whatsapp: Address = { channel: 'whatsapp-cloud', id: phone };
      const person = personWith({ identities: [telegram, whatsapp] });
      await store().people.create(person);
      const [a, b, c] = [await newOrg(store()), await newOrg(store()), await newOrg(store())];
      const joinAs = (orgId: string, address: Address): Promise<Contact> =>
        store().contacts.join(
          orgId,
          { personId: person.id, firstName: person.firstName, phone: null, lang: person.lang, channel: address.channel, address, tags: [] },
          uid(),
          at,
        );
      const linked = await joinAs(a.id, telegram);
      const [bystander] = await importContacts(store(), a.id, [importRow()], at);
      const [imported] = await importContacts(store(), b.id, [importRow({ phone })], at);
      // Linked by person only: the web-chat session is not one of the person's identities.
      const linkedOnly = await joinAs(c.id, { channel: 'webchat', id: uid() });
      if (!bystander || !imported) throw new Error('fixture imported');
      const broadcasts = await Promise.all([a, b, c].map(async (org) => (await sentToAll(store(), org.id, LATER)).broadcast));
      for (const [i, contact] of [linked, bystander, imported, linkedOnly].entries()) await store().inbox.add(said(contact, i));
      const kept = (await store().inbox.list(a.id, { limit: 10, contactId: bystander.id }))[0];

      expect(await store().people.erase(person.id)).toBe(true);

      expect(await store().contacts.get(a.id, linked.id)).toBeNull();
      expect(await store().contacts.get(b.id, imported.id)).toBeNull();
      expect(await store().contacts.get(c.id, linkedOnly.id)).toBeNull();
      expect(await store().contacts.findByAddress(telegram)).toEqual([]);
      expect(await store().contacts.findByAddress(whatsapp)).toEqual([]);
      const totals = await Promise.all(broadcasts.map(async (broadcast) => (await store().outbox.stats(broadcast.id)).total));
      expect(totals).toEqual([1, 0, 0]);
      expect(await store().inbox.list(a.id, { limit: 10 })).toEqual([kept]);
      expect(await store().inbox.list(b.id, { limit: 10 })).toEqual([]);
      expect(await store().inbox.list(c.id, { limit: 10 })).toEqual([]);
      expect(await store().contacts.get(a.id, bystander.id)).toEqual(bystander);
      expect(await store().contacts.countAudience(a.id, { type: 'all' })).toBe(1);
    });

    it('erasing an address erases its contacts’ deliveries and inbox entries, and no one else’s', async () => {
      const [a, b] = [await newOrg(store()), await newOrg(store())];
      const row = importRow();
      const [inA, bystander] = await importContacts(store(), a.id, [row, importRow()], at);
      const [inB] = await importContacts(store(), b.id, [row], at);
      if (!inA || !inB || !bystander) throw new Error('fixture imported');
      const fromA = (await sentToAll(store(), a.id, LATER)).broadcast;
      const fromB = (await sentToAll(store(), b.id, LATER)).broadcast;
      const kept = said(bystander, 1);
      for (const entry of [said(inA, 0), kept, said(inB, 2)]) await store().inbox.add(entry);

      expect(await store().contacts.eraseAddress(row.address as Address)).toBe(2);

      expect((await store().outbox.stats(fromA.id)).total).toBe(1);
      expect((await store().outbox.stats(fromB.id)).total).toBe(0);
      expect(await store().outbox.openCount(fromA.id)).toBe(1);
      expect(await store().inbox.list(a.id, { limit: 10 })).toEqual([kept]);
      expect(await store().inbox.list(b.id, { limit: 10 })).toEqual([]);
    });
  });
}
