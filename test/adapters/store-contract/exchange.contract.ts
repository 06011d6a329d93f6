import { describe, expect, it } from 'vitest';
import type { ExchangePost } from '../../../core/ports/exchange.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';
import { orgWith, personWith, uid } from './fixtures.ts';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const DAY = 86_400_000;

/** A post at a point (a cell centre), open for 30 days from `at`. */
function postAt(personId: string, latitude: number, longitude: number, overrides: Partial<ExchangePost> = {}): ExchangePost {
  const renewed = overrides.renewedAt ?? NOW.toISOString();
  const expires = new Date(new Date(renewed).getTime() + 30 * DAY);
  return {
    id: uid(),
    personId,
    kind: 'offer',
    category: 'plumbing',
    description: 'أصلح المغاسل',
    lang: 'ar',
    inReturn: 'ملابس أطفال',
    gift: false,
    cell: '871fb4668ffffff',
    latitude,
    longitude,
    status: 'open',
    createdAt: renewed,
    renewedAt: renewed,
    expiresAt: expires.toISOString(),
    remindAt: new Date(expires.getTime() - 3 * DAY).toISOString(),
    remindedAt: null,
    ...overrides,
  };
}

/** The exchange's posts: nearest first with filters, reminders, translations, the NGO's view, erasure. */
export function exchangeContract(store: () => Store): void {
  describe('exchange', () => {
    // Somewhere unique per run, so the suite may share a database: a random point of the Sahara.
    const base = { latitude: 20 + Math.random() * 5, longitude: 5 + Math.random() * 5 };
    const near = (km: number) => ({ latitude: base.latitude + km / 111.2, longitude: base.longitude });

    async function poster(): Promise<string> {
      const p = personWith();
      await store().people.create(p);
      return p.id;
    }

    it('finds open, unexpired posts of one kind near a point, nearest first, within the radius, leaving out excluded people', async () => {
      const [a, b, c] = [await poster(), await poster(), await poster()];
      const p2 = postAt(a, near(2).latitude, near(2).longitude);
      const p1 = postAt(b, near(1).latitude, near(1).longitude, { category: 'bike' });
      const p8 = postAt(a, near(8).latitude, near(8).longitude);
      const need = postAt(a, near(1.5).latitude, near(1.5).longitude, { kind: 'need' });
      const closed = postAt(a, near(0.5).latitude, near(0.5).longitude, { status: 'closed' });
      const expired = postAt(a, near(0.6).latitude, near(0.6).longitude, { renewedAt: new Date(NOW.getTime() - 31 * DAY).toISOString() });
      const blocked = postAt(c, near(0.7).latitude, near(0.7).longitude);
      for (const p of [p2, p1, p8, need, closed, expired, blocked]) await store().exchange.create(p);
      // Storing the same id again changes nothing.
      await store().exchange.create({ ...p2, description: 'other' });

      const query = { ...base, radiusKm: 5, kind: 'offer' as const, category: null, now: NOW, excludePersonIds: [c], limit: 10, offset: 0 };
      const all = await store().exchange.nearby(query);
      expect(all.map((h) => h.post.id)).toEqual([p1.id, p2.id]);
      expect(all[0]!.km).toBeCloseTo(1, 1);
      expect(all[1]!.post).toEqual(p2);
      expect((await store().exchange.nearby({ ...query, radiusKm: 10 })).map((h) => h.post.id)).toEqual([p1.id, p2.id, p8.id]);
      expect((await store().exchange.nearby({ ...query, category: 'plumbing' })).map((h) => h.post.id)).toEqual([p2.id]);
      expect((await store().exchange.nearby({ ...query, kind: 'need' })).map((h) => h.post.id)).toEqual([need.id]);
      expect((await store().exchange.nearby({ ...query, excludePersonIds: [] })).map((h) => h.post.id)).toEqual([blocked.id, p1.id, p2.id]);
      expect((await store().exchange.nearby({ ...query, radiusKm: 10, limit: 1, offset: 1 })).map((h) => h.post.id)).toEqual([p2.id]);
      expect(await store().exchange.countOpen(a, NOW)).toBe(3);
    });

    it('lists a person\'s posts (not hidden ones), updates them, and sends each reminder when due', async () => {
      const a = await poster();
      const first = postAt(a, base.latitude, base.longitude, { createdAt: '2026-11-01T00:00:00.000Z' });
      const second = postAt(a, base.latitude, base.longitude, { createdAt: '2026-11-02T00:00:00.000Z' });
      await store().exchange.create(first);
      await store().exchange.create(second);
      expect((await store().exchange.listByPerson(a)).map((p) => p.id)).toEqual([second.id, first.id]);
      expect(await store().exchange.update(second.id, { status: 'hidden' })).toMatchObject({ id: second.id, status: 'hidden' });
      expect((await store().exchange.listByPerson(a)).map((p) => p.id)).toEqual([first.id]);
      expect(await store().exchange.update(uid(), { status: 'closed' })).toBeNull();

      const dueAt = new Date(new Date(first.remindAt).getTime() + 1);
      const due = (await store().exchange.dueReminders(dueAt, 1000)).map((p) => p.id);
      expect(due).toContain(first.id);
      expect(due).not.toContain(second.id);
      expect((await store().exchange.dueReminders(new Date(new Date(first.remindAt).getTime() - 1), 1000)).map((p) => p.id)).not.toContain(first.id);
      await store().exchange.update(first.id, { remindedAt: dueAt.toISOString() });
      expect((await store().exchange.dueReminders(dueAt, 1000)).map((p) => p.id)).not.toContain(first.id);
    });

    it('keeps translations with the post: new words drop them; purged or erased posts take them along', async () => {
      const a = await poster();
      const post = postAt(a, base.latitude, base.longitude);
      await store().exchange.create(post);
      await store().exchange.putTranslation(post.id, 'fr', '{"description":"Je répare"}', NOW);
      await store().exchange.putTranslation(uid(), 'fr', 'no post', NOW);
      expect(await store().exchange.translations(post.id, ['fr', 'uk'])).toEqual(new Map([['fr', '{"description":"Je répare"}']]));
      await store().exchange.update(post.id, { description: 'جديد' });
      expect(await store().exchange.translations(post.id, ['fr'])).toEqual(new Map());

      const old = postAt(a, base.latitude, base.longitude, { renewedAt: '2020-01-01T00:00:00.000Z' });
      await store().exchange.create(old);
      await store().exchange.putTranslation(old.id, 'fr', 'x', NOW);
      expect(await store().exchange.purgeExpired(new Date('2021-01-01T00:00:00.000Z'), 1000)).toBeGreaterThanOrEqual(1);
      expect(await store().exchange.get(old.id)).toBeNull();
      expect(await store().exchange.translations(old.id, ['fr'])).toEqual(new Map());

      await store().exchange.putTranslation(post.id, 'fr', 'y', NOW);
      expect(await store().exchange.eraseByPerson(a)).toBe(1);
      expect(await store().exchange.get(post.id)).toBeNull();
      expect(await store().exchange.translations(post.id, ['fr'])).toEqual(new Map());
    });

    it("shows an organisation only its own people's posts", async () => {
      const org = orgWith();
      const other = orgWith();
      await store().organisations.create(org);
      await store().organisations.create(other);
      const a = await poster();
      const post = postAt(a, base.latitude, base.longitude);
      await store().exchange.create(post);
      await store().contacts.join(org.id, { personId: a, firstName: 'Amina', phone: null, lang: 'ar', channel: 'webchat', address: { channel: 'webchat', id: uid() }, tags: [] }, uid(), NOW);
      expect((await store().exchange.listForOrganisation(org.id, { limit: 10 })).map((p) => p.id)).toEqual([post.id]);
      expect(await store().exchange.listForOrganisation(other.id, { limit: 10 })).toEqual([]);
      expect(await store().exchange.getForOrganisation(org.id, post.id)).toEqual(post);
      expect(await store().exchange.getForOrganisation(other.id, post.id)).toBeNull();
    });
  });
}
