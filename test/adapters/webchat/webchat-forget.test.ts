import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import { testApp } from '../../support/test-app.ts';

const t = createTextRenderer(loadLocales());
let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

describe('"forget me" in the web chat', () => {
  it('answers the confirmation in the person’s language', async () => {
    app = await testApp();
    const say = async (body: object) => (await request(app!.http).post('/api/webchat/messages').send({ userId: 'web-forget-user', ...body })).body.replies.map((r: { text: string }) => r.text);
    await say({ start: true });
    await say({ text: 'Français' });
    await say({ text: 'oublier' });
    expect(await say({ choiceId: 'yes' })).toEqual([t('fr', 'common:forgotten')]);
    expect(await app.store.reach.get({ channel: 'webchat', id: 'web-forget-user' })).toBeNull();
  });
});
