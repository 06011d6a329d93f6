import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uid, type StoreUnderTest } from './fixtures.ts';

/** A cache key shaped like the real ones (sha256 hex), fresh per call. */
const key = (): string => createHash('sha256').update(uid()).digest('hex');

/** The translation cache: paid-for translations by opaque key, in batches of any size. */
export function translationsContract(store: StoreUnderTest): void {
  describe('translation cache', () => {
    const at = new Date('2025-03-01T10:00:00.000Z');

    it('returns an empty map for keys never stored, and for no keys at all', async () => {
      expect(await store().translations.getMany([key(), key()])).toEqual(new Map());
      expect(await store().translations.getMany([])).toEqual(new Map());
      await expect(store().translations.putMany(new Map(), at)).resolves.toBeUndefined();
    });

    it('returns the stored translations exactly, leaving missing keys absent', async () => {
      const [arabic, emoji, multiline, missing] = [key(), key(), key(), key()];
      const entries = new Map([
        [arabic, 'توزيع الوجبات غدًا الساعة 10، <x id="firstName"/>!'],
        [emoji, 'Роздача їжі завтра 🍲 — "о 10:00"'],
        [multiline, 'ligne 1\nligne 2\t\\ fin'],
      ]);
      await store().translations.putMany(entries, at);

      const found = await store().translations.getMany([arabic, missing, emoji, multiline]);

      expect(found).toEqual(entries);
      expect(found.has(missing)).toBe(false);
    });

    it('answers a repeated key once', async () => {
      const k = key();
      await store().translations.putMany(new Map([[k, 'bonjour']]), at);
      expect(await store().translations.getMany([k, k, k])).toEqual(new Map([[k, 'bonjour']]));
    });

    it('stores and finds batches larger than 500 keys (past any per-statement limit)', async () => {
      const entries = new Map(Array.from({ length: 1203 }, (_, i) => [key(), `traduction n° ${i}`] as const));
      await store().translations.putMany(entries, at);
      const missing = Array.from({ length: 5 }, key);

      const found = await store().translations.getMany([...missing, ...entries.keys()]);

      expect(found.size).toBe(1203);
      expect(found).toEqual(entries);
    });

    it('keeps the first batch when a later batch adds other keys', async () => {
      const first = new Map([[key(), 'un']]);
      const second = new Map([[key(), 'deux']]);
      await store().translations.putMany(first, at);
      await store().translations.putMany(second, new Date(at.getTime() + 1_000));
      expect(await store().translations.getMany([...first.keys(), ...second.keys()])).toEqual(new Map([...first, ...second]));
    });
  });
}
