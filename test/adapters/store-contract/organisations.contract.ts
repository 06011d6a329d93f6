import { describe, expect, it } from 'vitest';
import { uid, rejection, orgWith, type StoreUnderTest } from './fixtures.ts';

/** Organisations: codes unique and found in any case. */
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
  });
}
