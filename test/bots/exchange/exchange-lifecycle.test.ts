import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../../core/errors.ts';
import { manualClock } from '../../support/test-app.ts';
import { PIN, exchangeApp, person, say, texts, type ExchangeApp } from './exchange-harness.ts';

const DAY = 86_400_000;
const ar = say('ar');
const fr = say('fr');

let app: ExchangeApp | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function post(a: ExchangeApp, userId: string, name: string) {
  const p = person(a, userId);
  await p.onboard('ar', name, PIN);
  await p.tap('exchange');
  await p.tap('offer');
  await p.tap('plumbing');
  await p.text('أصلح المغاسل والحنفيات');
  await p.text('ملابس أطفال');
  await p.tap('yes');
  await p.tap('publish');
  return p;
}

async function search(a: ExchangeApp, userId: string) {
  const lea = person(a, userId);
  if (!(await a.store.people.findByAddress(lea.from))) await lea.onboard('fr', 'Léa', 'Aubervilliers');
  else await lea.text('menu');
  await lea.tap('exchange');
  await lea.tap('findHelp');
  await lea.tap('plumbing');
  await lea.tap('5');
  return lea.tap('yes');
}

/** What the web chat page of a person holds from the bot, oldest first. */
async function botLines(a: ExchangeApp, userId: string): Promise<string[]> {
  const entries = await a.store.webchat.list(userId, { limit: 100 });
  return entries.filter((e) => e.author === 'bot').map((e) => e.message.text);
}

describe('a post through time (a clock moved by hand, a server restarted)', () => {
  it('27 days: one reminder in her language; 30 days: it no longer shows; renewed, it shows again', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'passerelle-exchange-'));
    const clock = manualClock();
    app = await exchangeApp({ DATA_DIR: dataDir }, {}, clock);
    await post(app, 'amira', 'أميرة');
    expect((await search(app, 'lea'))[0]!.text).toContain('أميرة');
    await app.dispose();

    // A restart; 26 days later nothing is due, 27 days later the reminder is.
    clock.advance(26 * DAY);
    app = await exchangeApp({ DATA_DIR: dataDir }, {}, clock);
    expect(await app.exchangeSweep.runOnce()).toBe(0);
    clock.advance(DAY + 60_000);
    // A fault: the store fails the first round; the next round still sends it, once.
    const due = app.store.exchange.dueReminders.bind(app.store.exchange);
    let failures = 1;
    app.store.exchange.dueReminders = async (...args) => {
      if (failures-- > 0) throw new StoreUnavailableError('disk', 'io');
      return due(...args);
    };
    await app.exchangeSweep.tick();
    expect(await app.exchangeSweep.runOnce()).toBe(1);
    expect(await app.exchangeSweep.runOnce()).toBe(0);
    await app.settle();
    const reminder = ar('exchange:reminder', { category: ar('exchange:cat.plumbing'), date: '28 ديسمبر' });
    expect((await botLines(app, 'amira')).filter((line) => line === reminder)).toHaveLength(1);
    await app.dispose();

    // Another restart, 30 days after posting: the post no longer shows.
    clock.advance(3 * DAY);
    app = await exchangeApp({ DATA_DIR: dataDir }, {}, clock);
    expect(await app.exchangeSweep.runOnce()).toBe(0);
    expect(texts(await search(app, 'lea'))).toEqual([fr('exchange:nothing', { radius: '5' }), fr('exchange:pickRadius')]);

    // "My posts": it ended; renewed, it shows again for 30 days.
    const amira = person(app, 'amira');
    await amira.text('menu');
    await amira.tap('exchange');
    const mine = await amira.tap('mine');
    expect(mine[0]!.text).toBe(ar('exchange:myPostsList'));
    const postId = mine[0]!.choices[0]!;
    expect(await amira.tap(postId)).toEqual([{ text: ar('exchange:postActions'), choices: ['renew', 'edit', 'close', 'back'] }]);
    expect(texts(await amira.tap('renew'))[0]).toBe(ar('exchange:renewed', { outcome: { expires: '27 يناير' } }));
    expect((await search(app, 'lea'))[0]!.text).toContain('أميرة');
  });

  it('"My posts": new words drop the stored translations; a closed post no longer shows', async () => {
    app = await exchangeApp();
    await post(app, 'amira', 'أميرة');
    await search(app, 'lea');
    const amiraId = (await app.store.people.findByAddress({ channel: 'webchat', id: 'amira' }))!.id;
    const [stored] = await app.store.exchange.listByPerson(amiraId);
    expect((await app.store.exchange.translations(stored!.id, ['fr'])).size).toBe(1);
    const amira = person(app, 'amira');
    await amira.text('menu');
    await amira.tap('exchange');
    await amira.tap('mine');
    await amira.tap(stored!.id);
    expect(texts(await amira.tap('edit'))).toEqual([ar('exchange:askDescription')]);
    expect(texts(await amira.text('👍'))).toEqual([ar('exchange:emojiOnly'), ar('exchange:askDescription')]);
    expect(texts(await amira.text('أصلح المغاسل فقط'))[0]).toBe(ar('exchange:edited'));
    expect(await app.store.exchange.translations(stored!.id, ['fr'])).toEqual(new Map());
    expect((await search(app, 'lea'))[0]!.text).toContain('[fr] أصلح المغاسل فقط');
    await amira.text('menu');
    await amira.tap('exchange');
    await amira.tap('mine');
    await amira.tap(stored!.id);
    expect(texts(await amira.tap('close'))[0]).toBe(ar('exchange:closed'));
    expect(texts(await search(app, 'lea'))[0]).toBe(fr('exchange:nothing', { radius: '5' }));
  });

  it('"forget" by the poster: a full dump of every SQLite table, and the file, hold nothing of hers', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'passerelle-exchange-'));
    app = await exchangeApp({ DATA_DIR: dataDir });
    await post(app, 'amira-7731', 'أميرةفريدة');
    expect((await search(app, 'lea'))[0]!.text).toContain('[fr] أصلح المغاسل والحنفيات');
    const amiraId = (await app.store.people.findByAddress({ channel: 'webchat', id: 'amira-7731' }))!.id;
    const amira = person(app, 'amira-7731');
    expect(texts(await amira.text('forget'))).toEqual([ar('common:forgetConfirm')]);
    expect(texts(await amira.tap('yes'))).toEqual([ar('common:forgotten')]);
    await app.settle();

    const db = (app.store as unknown as { db: { prepare(sql: string): { all(): unknown[]; pluck(): { all(): unknown[] } } } }).db;
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    expect(tables).toContain('exchange_posts');
    expect(tables).toContain('exchange_post_translations');
    const dump = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
    for (const trace of [amiraId, "amira-7731", "أميرةفريدة", "أصلح المغاسل", "ملابس أطفال", "[fr] أصلح"]) expect(dump, dump.split("\n").find((t) => t.includes(trace))?.slice(0, 3000)).not.toContain(trace);
    expect(db.prepare('SELECT * FROM exchange_posts').all()).toEqual([]);
    expect(db.prepare('SELECT * FROM exchange_post_translations').all()).toEqual([]);
    await app.dispose();
    app = undefined;
    // Down to the bytes: secure_delete zeroed the rows, the WAL was checkpointed and truncated.
    const bytes = Buffer.concat([readFileSync(join(dataDir, 'passerelle.sqlite'))]);
    for (const trace of ['أصلح المغاسل', 'ملابس أطفال', 'أميرةفريدة']) expect(bytes.includes(Buffer.from(trace))).toBe(false);
  });
});
