import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocales } from '../../../bots/locales.ts';
import type { Address } from '../../../core/messages.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

// Joining an organisation is a promise of its news: it must hold for a person who once typed
// "stop", and it must not be made on a channel that news cannot reach (the terminal chat).

const t = createTextRenderer(loadLocales());
type App = Awaited<ReturnType<typeof testApp>>;
let app: App | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

/** Onboards a person in English on a channel, through the pipeline, up to the menu; returns a turn function. */
async function onboarded(product: App, from: Address) {
  let n = 0;
  const say = async (content: Parameters<App['pipeline']['handle']>[0]['content']) =>
    (await product.pipeline.handle({ id: `${from.id}-${n++}`, from, content, receivedAt: product.clock.now() })).map((r) => r.message.text);
  await say({ type: 'start' });
  await say({ type: 'choice', choiceId: 'en' });
  await say({ type: 'choice', choiceId: 'agree' });
  await say({ type: 'choice', choiceId: 'newcomer' });
  await say({ type: 'text', text: 'Amina' });
  expect(await say({ type: 'choice', choiceId: 'skip' })).toEqual(['Welcome, Amina! You are signed up.', 'Menu: what would you like to do?']);
  return (text: string) => say({ type: 'text', text });
}

describe('joining an organisation', () => {
  it('after "stop", subscribes the person again: the contact list, the recipients and the deliveries agree', async () => {
    app = await testApp();
    const org = await createOrg(app.store, { code: 'secours', name: 'Secours Populaire' });
    const auth = { authorization: `Bearer ${org.apiKey}` };
    const amina: Address = { channel: 'webchat', id: 'web-amina-0001' };
    const say = await onboarded(app, amina);
    expect((await say('stop'))[0]).toBe(t('en', 'common:stopped'));
    expect((await app.store.people.findByAddress(amina))?.subscribed).toBe(false);
    expect(await say('JOIN secours')).toEqual(['You joined Secours Populaire. You will receive its news here.', 'Menu: what would you like to do?']);
    expect((await app.store.people.findByAddress(amina))?.subscribed).toBe(true);
    const contacts = await request(app.http).get('/api/contacts').set(auth);
    expect(contacts.body.contacts).toMatchObject([{ firstName: 'Amina', channel: 'webchat', subscribed: true }]);
    const created = await request(app.http).post('/api/broadcasts').set(auth).send({ text: 'Distribution demain', sourceLang: 'en' });
    expect(created.body.recipients).toBe(1);
    await app.broadcasts.tick();
    expect(await app.outbox.drain('webchat')).toBe(1);
    expect((await app.store.webchat.list(amina.id, { limit: 1 }))[0]?.message.text).toContain('Distribution demain');
  });

  it('counts as recipients only the people a broadcast will reach (a stopped person is not one)', async () => {
    app = await testApp();
    const org = await createOrg(app.store, { code: 'secours' });
    const people: Address[] = Array.from({ length: 3 }, (_, i) => ({ channel: 'webchat', id: `web-person-000${i}` }));
    for (const address of people) {
      const say = await onboarded(app, address);
      await say('JOIN secours');
    }
    // The third says "stop" for every organisation.
    const [, , third] = people;
    await app.pipeline.handle({ id: 'stop-3', from: third!, content: { type: 'text', text: 'stop' }, receivedAt: app.clock.now() });
    const created = await request(app.http).post('/api/broadcasts').set({ authorization: `Bearer ${org.apiKey}` }).send({ text: 'Hello', sourceLang: 'en' });
    await app.broadcasts.tick();
    const stats = await app.store.outbox.stats(created.body.id as string);
    expect([created.body.recipients, stats.total]).toEqual([2, 2]);
  });

  it('in the terminal chat, says news cannot come there instead of promising it, and adds no contact', async () => {
    app = await testApp();
    const org = await createOrg(app.store, { code: 'secours', name: 'Secours Populaire' });
    const say = await onboarded(app, { channel: 'cli', id: 'cli-terminal-0001' });
    expect(await say('JOIN secours')).toEqual([
      'This chat cannot receive news from Secours Populaire. To get its news, write to Passerelle on Telegram, WhatsApp or the web chat and join there.',
      'Menu: what would you like to do?',
    ]);
    expect(await app.store.contacts.list(org.id, { limit: 10 })).toEqual([]);
  });
});
