import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createOrg } from '../../support/organisations.ts';
import { PIN, exchangeApp, person, say, texts, type ExchangeApp } from './exchange-harness.ts';

let app: ExchangeApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const fr = say('fr');

describe("the exchange in an organisation's admin API", () => {
  it('lists its people\'s posts with outcome counts, per post and per category, hides one; another NGO gets 404', async () => {
    app = await exchangeApp();
    const secours = await createOrg(app.store, { code: 'secours' });
    const other = await createOrg(app.store, { code: 'autre' });
    const amira = person(app, 'amira');
    await amira.onboard('ar', 'أميرة', PIN);
    const amiraId = (await app.store.people.findByAddress(amira.from))!.id;
    await app.store.contacts.join(secours.id, { personId: amiraId, firstName: 'أميرة', phone: null, lang: 'ar', channel: 'webchat', address: amira.from, tags: [] }, 'c-amira', app.clock.now());
    await amira.tap('exchange');
    await amira.tap('offer');
    await amira.tap('plumbing');
    await amira.text('أصلح المغاسل');
    await amira.tap('gift');
    await amira.tap('yes');
    await amira.tap('publish');
    const [post] = await app.store.exchange.listByPerson(amiraId);
    await app.store.relays.countOutcome({ kind: 'exchange-post', id: post!.id }, 'yes');
    await app.store.relays.countOutcome({ kind: 'exchange-post', id: post!.id }, 'not-yet');

    const as = (key: string) => ({ Authorization: `Bearer ${key}` });
    const listed = await request(app.http).get('/api/exchange/posts').set(as(secours.apiKey));
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      posts: [
        {
          id: post!.id,
          kind: 'offer',
          category: 'plumbing',
          description: 'أصلح المغاسل',
          inReturn: null,
          gift: true,
          status: 'open',
          createdAt: post!.createdAt,
          expiresAt: post!.expiresAt,
          poster: { id: amiraId, firstName: 'أميرة' },
          outcomes: { yes: 1, no: 0, notYet: 1 },
        },
      ],
    });
    // Never a place: no cell, no coordinates.
    expect(JSON.stringify(listed.body)).not.toMatch(/latitude|longitude|cell/);
    expect((await request(app.http).get('/api/exchange/outcomes').set(as(secours.apiKey))).body).toEqual({ categories: { plumbing: { posts: 1, yes: 1, no: 0, notYet: 1 } } });
    expect((await request(app.http).get('/api/exchange/posts').set(as(other.apiKey))).body).toEqual({ posts: [] });
    expect((await request(app.http).get('/api/exchange/posts?limit=0').set(as(secours.apiKey))).status).toBe(400);
    expect((await request(app.http).get('/api/exchange/posts')).status).toBe(401);

    // Moderation: another NGO cannot hide it; its own can, and it no longer shows.
    expect((await request(app.http).post(`/api/exchange/posts/${post!.id}/hide`).set(as(other.apiKey))).status).toBe(404);
    const hidden = await request(app.http).post(`/api/exchange/posts/${post!.id}/hide`).set(as(secours.apiKey));
    expect(hidden.status).toBe(200);
    expect(hidden.body).toEqual({ id: post!.id, status: 'hidden' });
    const lea = person(app, 'lea');
    await lea.onboard('fr', 'Léa', 'Aubervilliers');
    await lea.tap('exchange');
    await lea.tap('findHelp');
    await lea.tap('plumbing');
    await lea.tap('5');
    expect(texts(await lea.tap('yes'))).toEqual([fr('exchange:nothing', { radius: '5' }), fr('exchange:pickRadius')]);
  });
});
