import { describe, expect, it } from 'vitest';
import { uid, rejection, orgWith, type StoreUnderTest } from './fixtures.ts';

/** Organisations: codes unique and found in any case; API key, channel and link code unique when set. */
export function organisationsContract(store: StoreUnderTest): void {
  describe('organisations', () => {
    it('creates an organisation that get, findByCode and list return exactly', async () => {
      const org = orgWith();
      const other = orgWith({ name: 'Emploi Solidaire', lang: 'en', createdAt: '2025-01-16T08:00:00.000Z' });
      await store().organisations.create(org);
      await store().organisations.create(other);

      expect(await store().organisations.get(org.id)).toEqual(org);
      expect(await store().organisations.findByCode(org.code)).toEqual(org);
      expect(await store().organisations.findByCode(other.code)).toEqual(other);
      const all = await store().organisations.list();
      expect(all).toContainEqual(org);
      expect(all).toContainEqual(other);
    });

    it('finds by code whatever the case typed', async () => {
      const org = orgWith();
      await store().organisations.create(org);
      expect(await store().organisations.findByCode(org.code.toUpperCase())).toEqual(org);
      const mixed = [...org.code].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
      expect(await store().organisations.findByCode(mixed)).toEqual(org);
    });

    it('returns null for an unknown id or code', async () => {
      expect(await store().organisations.get(uid())).toBeNull();
      expect(await store().organisations.findByCode(`missing${uid().slice(0, 8)}`)).toBeNull();
    });

    it('rejects a second organisation with the same code', async () => {
      const org = orgWith();
      await store().organisations.create(org);
      const copy = orgWith({ code: org.code, name: 'Copycat' });

      await rejection(store().organisations.create(copy));

      expect(await store().organisations.get(copy.id)).toBeNull();
      expect(await store().organisations.findByCode(org.code)).toEqual(org);
    });

    it('round-trips the broadcast fields, and a glossary whose terms hold dots, dollars and Arabic', async () => {
      const org = orgWith({
        apiKeyHash: `sha256-${uid()}`,
        telegramChannelId: `-100${uid()}`,
        staffChatId: `-42${uid()}`,
        linkCode: `link-${uid()}`,
        glossary: {
          ar: { asylum: 'اللجوء', 'Dr. Martin': 'د. مارتن', $fee: 'رسوم', 'a.b.c': 'أ.ب.ج' },
          uk: { 'Préfecture de Lyon': 'Префектура Ліона' },
        },
      });
      await store().organisations.create(org);

      const loaded = await store().organisations.get(org.id);
      expect(loaded).toEqual(org);
      expect(JSON.stringify(loaded?.glossary)).toBe(JSON.stringify(org.glossary));
      expect(await store().organisations.findByCode(org.code)).toEqual(org);
    });

    it('finds an organisation by API key hash, Telegram channel and link code, and nothing for unknown values', async () => {
      const org = orgWith({ apiKeyHash: `hash-${uid()}`, telegramChannelId: `-100${uid()}`, linkCode: `link-${uid()}` });
      const other = orgWith({ apiKeyHash: `hash-${uid()}` });
      await store().organisations.create(org);
      await store().organisations.create(other);

      expect(await store().organisations.findByApiKeyHash(org.apiKeyHash ?? '')).toEqual(org);
      expect(await store().organisations.findByApiKeyHash(other.apiKeyHash ?? '')).toEqual(other);
      expect(await store().organisations.findByTelegramChannel(org.telegramChannelId ?? '')).toEqual(org);
      expect(await store().organisations.findByLinkCode(org.linkCode ?? '')).toEqual(org);
      expect(await store().organisations.findByApiKeyHash(`hash-${uid()}`)).toBeNull();
      expect(await store().organisations.findByTelegramChannel(`-100${uid()}`)).toBeNull();
      expect(await store().organisations.findByLinkCode(`link-${uid()}`)).toBeNull();
    });

    it('updates only the patched fields and returns the organisation as stored', async () => {
      const org = orgWith({ staffChatId: `-42${uid()}` });
      await store().organisations.create(org);
      const patch = {
        name: 'Entraide Lyon',
        lang: 'en',
        apiKeyHash: `hash-${uid()}`,
        telegramChannelId: `-100${uid()}`,
        linkCode: `link-${uid()}`,
        glossary: { fa: { asylum: 'پناهندگی' } },
      };

      const updated = await store().organisations.update(org.id, patch);

      const expected = { ...org, ...patch };
      expect(updated).toEqual(expected);
      expect(await store().organisations.get(org.id)).toEqual(expected);
      expect(await store().organisations.findByApiKeyHash(patch.apiKeyHash)).toEqual(expected);
      expect(await store().organisations.findByTelegramChannel(patch.telegramChannelId)).toEqual(expected);
      expect(await store().organisations.findByCode(org.code)).toEqual(expected);
    });

    it('clears a field patched to null (a used link code), and an empty patch changes nothing', async () => {
      const org = orgWith({ linkCode: `link-${uid()}`, telegramChannelId: `-100${uid()}` });
      await store().organisations.create(org);

      const updated = await store().organisations.update(org.id, { linkCode: null });

      expect(updated).toEqual({ ...org, linkCode: null });
      expect(await store().organisations.findByLinkCode(org.linkCode ?? '')).toBeNull();
      expect(await store().organisations.update(org.id, {})).toEqual({ ...org, linkCode: null });
      expect(await store().organisations.update(uid(), { name: 'Nobody' })).toBeNull();
    });

    it('lets many organisations have no API key, channel or link code', async () => {
      const first = orgWith();
      const second = orgWith();
      await store().organisations.create(first);
      await store().organisations.create(second);
      await store().organisations.update(first.id, { linkCode: null, apiKeyHash: null, telegramChannelId: null });
      expect(await store().organisations.get(first.id)).toEqual(first);
      expect(await store().organisations.get(second.id)).toEqual(second);
    });

    it('rejects a create or an update that takes another organisation’s API key, channel or link code', async () => {
      const owner = orgWith({ apiKeyHash: `hash-${uid()}`, telegramChannelId: `-100${uid()}`, linkCode: `link-${uid()}` });
      await store().organisations.create(owner);
      const copy = orgWith({ apiKeyHash: owner.apiKeyHash });
      await rejection(store().organisations.create(copy));
      expect(await store().organisations.get(copy.id)).toBeNull();

      const other = orgWith();
      await store().organisations.create(other);
      await rejection(store().organisations.update(other.id, { telegramChannelId: owner.telegramChannelId }));
      await rejection(store().organisations.update(other.id, { linkCode: owner.linkCode }));
      await rejection(store().organisations.update(other.id, { apiKeyHash: owner.apiKeyHash }));

      expect(await store().organisations.get(other.id)).toEqual(other);
      expect(await store().organisations.findByTelegramChannel(owner.telegramChannelId ?? '')).toEqual(owner);
      expect(await store().organisations.findByApiKeyHash(owner.apiKeyHash ?? '')).toEqual(owner);
    });
  });
}
