import { describe, expect, it } from 'vitest';
import { addressKey, type Address } from '../../../core/messages.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import { uid, rejection, expectNoPersonalData, phoneId, sessionFor, personWith, canonical, type StoreUnderTest } from './fixtures.ts';

/** People: identities, patches, pending approvals, erasure. */
export function peopleContract(store: StoreUnderTest): void {
  describe('people', () => {
    it('creates a person that get and findByAddress return exactly', async () => {
      const person = personWith({
        identities: [
          { channel: 'telegram', id: uid() },
          { channel: 'whatsapp-cloud', id: phoneId() },
        ],
        orgId: uid(),
        place: { type: 'typed', text: 'حلب / Lyon 69003' },
      });
      await store().people.create(person);

      expect(canonical(await store().people.get(person.id))).toEqual(canonical(person));
      for (const address of person.identities) {
        expect(canonical(await store().people.findByAddress(address))).toEqual(canonical(person));
      }
    });

    it('returns null for an unknown id or address, and the channel is part of the address', async () => {
      const person = personWith();
      await store().people.create(person);
      const [identity] = person.identities;
      if (!identity) throw new Error('fixture has an identity');

      expect(await store().people.get(uid())).toBeNull();
      expect(await store().people.findByAddress({ channel: 'telegram', id: uid() })).toBeNull();
      expect(await store().people.findByAddress({ channel: 'messenger', id: identity.id })).toBeNull();
    });

    it('rejects a person whose identity already belongs to someone else, creating nothing', async () => {
      const shared: Address = { channel: 'whatsapp-cloud', id: phoneId() };
      const owner = personWith({ identities: [shared] });
      await store().people.create(owner);
      const fresh: Address = { channel: 'telegram', id: uid() };
      const intruder = personWith({ firstName: 'Samir', identities: [fresh, shared] });

      const error = await rejection(store().people.create(intruder));

      expectNoPersonalData(error, [shared.id, fresh.id, 'Samir']);
      expect(await store().people.get(intruder.id)).toBeNull();
      expect(await store().people.findByAddress(fresh)).toBeNull();
      expect(await store().people.findByAddress(shared)).toEqual(owner);
    });

    it('rejects a second person with the same id', async () => {
      const person = personWith();
      await store().people.create(person);
      const twin = personWith({ id: person.id, firstName: 'Other' });

      await rejection(store().people.create(twin));

      expect(await store().people.get(person.id)).toEqual(person);
      const [twinIdentity] = twin.identities;
      if (!twinIdentity) throw new Error('fixture has an identity');
      expect(await store().people.findByAddress(twinIdentity)).toBeNull();
    });

    it('updates the patched fields and updatedAt, leaving the rest', async () => {
      const person = personWith({ role: 'ngo-staff', roleStatus: 'pending', orgId: uid() });
      await store().people.create(person);
      const at = new Date('2025-04-02T12:30:00.000Z');

      const updated = await store().people.update(
        person.id,
        { roleStatus: 'active', firstName: 'Layla', lang: 'fr', place: null, subscribed: false },
        at,
      );

      const expected: Person = {
        ...person,
        roleStatus: 'active',
        firstName: 'Layla',
        lang: 'fr',
        place: null,
        subscribed: false,
        updatedAt: at.toISOString(),
      };
      expect(updated).toEqual(expected);
      expect(await store().people.get(person.id)).toEqual(expected);
      const [identity] = person.identities;
      if (!identity) throw new Error('fixture has an identity');
      expect(await store().people.findByAddress(identity)).toEqual(expected);
    });

    it('updates role and orgId, and returns null for an unknown id', async () => {
      const person = personWith();
      await store().people.create(person);
      const orgId = uid();
      const at = new Date('2025-04-03T08:00:00.000Z');

      const updated = await store().people.update(person.id, { role: 'recruiter', orgId }, at);

      expect(updated).toEqual({ ...person, role: 'recruiter', orgId, updatedAt: at.toISOString() });
      expect(await store().people.update(uid(), { firstName: 'Nobody' }, at)).toBeNull();
    });

    it('adds an identity on a second channel', async () => {
      const person = personWith();
      await store().people.create(person);
      const second: Address = { channel: 'whatsapp-web', id: phoneId() };

      await store().people.addIdentity(person.id, second);

      const expected: Person = { ...person, identities: [...person.identities, second] };
      expect(canonical(await store().people.findByAddress(second))).toEqual(canonical(expected));
      expect(canonical(await store().people.get(person.id))).toEqual(canonical(expected));
      const [first] = person.identities;
      if (!first) throw new Error('fixture has an identity');
      expect(canonical(await store().people.findByAddress(first))).toEqual(canonical(expected));
    });

    it('rejects adding an identity that belongs to someone else', async () => {
      const owner = personWith();
      const other = personWith();
      await store().people.create(owner);
      await store().people.create(other);
      const [taken] = owner.identities;
      if (!taken) throw new Error('fixture has an identity');

      const error = await rejection(store().people.addIdentity(other.id, taken));

      expectNoPersonalData(error, [taken.id]);
      expect(await store().people.findByAddress(taken)).toEqual(owner);
      expect(await store().people.get(other.id)).toEqual(other);
    });

    it('lists pending people oldest first, and no longer once active', async () => {
      const newest = personWith({ role: 'recruiter', roleStatus: 'pending', createdAt: '2003-05-03T00:00:00.000Z' });
      const oldest = personWith({ role: 'ngo-staff', roleStatus: 'pending', createdAt: '2003-05-01T00:00:00.000Z' });
      const middle = personWith({ role: 'ngo-staff', roleStatus: 'pending', createdAt: '2003-05-02T00:00:00.000Z' });
      const active = personWith({ role: 'newcomer', roleStatus: 'active', createdAt: '2003-04-30T00:00:00.000Z' });
      for (const p of [newest, active, oldest, middle]) await store().people.create(p);
      const ours = new Set([newest.id, oldest.id, middle.id, active.id]);

      const pending = (await store().people.listPending()).filter((p) => ours.has(p.id));

      expect(pending).toEqual([oldest, middle, newest]);
      await store().people.update(middle.id, { roleStatus: 'active' }, new Date('2025-05-01T00:00:00.000Z'));
      const after = (await store().people.listPending()).filter((p) => ours.has(p.id));
      expect(after.map((p) => p.id)).toEqual([oldest.id, newest.id]);
    });

    it('erases the person, every identity, and every identity’s conversation and reach record', async () => {
      const person = personWith({
        identities: [
          { channel: 'telegram', id: uid() },
          { channel: 'whatsapp-cloud', id: phoneId() },
        ],
      });
      const bystander = personWith();
      await store().people.create(person);
      await store().people.create(bystander);
      const added: Address = { channel: 'messenger', id: uid() };
      await store().people.addIdentity(person.id, added);
      const addresses = [...person.identities, added];
      const seen = new Date('2025-03-01T10:00:00.000Z');
      for (const address of addresses) {
        await store().conversations.save(addressKey(address), { session: sessionFor('x'), effects: [], outgoing: [], inputs: [], seen: [] }, null, null);
        await store().reach.recordInbound(address, seen, { conversation: addressKey(address) });
      }
      const [bystanderAddress] = bystander.identities;
      if (!bystanderAddress) throw new Error('fixture has an identity');
      await store().conversations.save(addressKey(bystanderAddress), { session: sessionFor('keep'), effects: [], outgoing: [], inputs: [], seen: [] }, null, null);
      await store().reach.recordInbound(bystanderAddress, seen, null);

      expect(await store().people.erase(person.id)).toBe(true);

      expect(await store().people.get(person.id)).toBeNull();
      for (const address of addresses) {
        expect(await store().people.findByAddress(address)).toBeNull();
        expect(await store().conversations.load(addressKey(address))).toBeNull();
        expect(await store().reach.get(address)).toBeNull();
      }
      expect(await store().people.get(bystander.id)).toEqual(bystander);
      expect(await store().people.findByAddress(bystanderAddress)).toEqual(bystander);
      expect(await store().conversations.load(addressKey(bystanderAddress))).toEqual({ value: { session: sessionFor('keep'), effects: [], outgoing: [], inputs: [], seen: [] }, version: 1 });
      expect(await store().reach.get(bystanderAddress)).toEqual({ lastInboundAt: seen, reference: null });
    });

    it('frees erased identities for a new person', async () => {
      const person = personWith();
      await store().people.create(person);
      await store().people.erase(person.id);

      const again = personWith({ identities: person.identities });
      await store().people.create(again);

      const [identity] = person.identities;
      if (!identity) throw new Error('fixture has an identity');
      expect(await store().people.findByAddress(identity)).toEqual(again);
    });

    it('keeps the person’s own channel order, replaced by the next choice and erased with them', async () => {
      const person = personWith();
      await store().people.create(person);
      const at = new Date('2026-03-01T10:00:00.000Z');

      expect(await store().people.channelOrder(person.id)).toEqual([]);
      expect(await store().people.setChannelOrder(person.id, ['whatsapp-cloud', 'telegram'], at)).toBe(true);
      expect(await store().people.channelOrder(person.id)).toEqual(['whatsapp-cloud', 'telegram']);
      expect((await store().people.get(person.id))?.updatedAt).toBe(at.toISOString());
      expect(await store().people.setChannelOrder(person.id, ['sms'], at)).toBe(true);
      expect(await store().people.channelOrder(person.id)).toEqual(['sms']);
      expect(await store().people.setChannelOrder(uid(), ['sms'], at)).toBe(false);
      expect(await store().people.channelOrder(uid())).toEqual([]);

      await store().people.erase(person.id);
      expect(await store().people.channelOrder(person.id)).toEqual([]);
      // The same id coming back (a new onboarding) starts without the old choice.
      await store().people.create(person);
      expect(await store().people.channelOrder(person.id)).toEqual([]);
    });

    it('returns false when erasing an unknown or already erased person', async () => {
      const person = personWith();
      await store().people.create(person);
      expect(await store().people.erase(person.id)).toBe(true);
      expect(await store().people.erase(person.id)).toBe(false);
      expect(await store().people.erase(uid())).toBe(false);
    });
  });
}
