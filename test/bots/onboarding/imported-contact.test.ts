import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundContent } from '../../../core/messages.ts';
import { recordingSender } from '../../fakes/recording-sender.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

describe('an imported contact who then signs up', () => {
  it("receives broadcasts in the language they chose, not the CSV's", async () => {
    const sender = recordingSender('whatsapp-cloud');
    app = await testApp({ RATE_WHATSAPP_CLOUD: '10000' }, { senders: [sender] });
    const org = await createOrg(app.store, { code: 'alpha' });
    const auth = { authorization: `Bearer ${org.apiKey}` };
    const csv = 'first_name,phone,language,channel\nAmina,+33 6 12 34 56 78,ar,whatsapp\n';
    expect((await request(app.http).post('/api/contacts/import').set(auth).set('content-type', 'text/csv').send(csv)).body).toMatchObject({ created: 1 });

    const from = { channel: 'whatsapp-cloud', id: '33612345678' } as const;
    let n = 0;
    const steps: InboundContent[] = [
      { type: 'start' },
      { type: 'text', text: 'English' },
      { type: 'choice', choiceId: 'agree' },
      { type: 'choice', choiceId: 'newcomer' },
      { type: 'text', text: 'Amina' },
      { type: 'choice', choiceId: 'skip' },
    ];
    for (const content of steps) await app.pipeline.handle({ id: `m-${++n}`, from, content, receivedAt: app.clock.now() });
    const person = await app.store.people.findByAddress(from);
    expect(person?.lang).toBe('en');
    expect((await app.store.contacts.findByAddress(from)).map((c) => c.personId)).toEqual([person?.id]);

    const created = await request(app.http).post('/api/broadcasts').set(auth).send({ text: 'Hello {{firstName}}', sourceLang: 'en' });
    expect(created.status).toBe(201);
    await app.broadcasts.tick();
    await app.outbox.drain('whatsapp-cloud');
    await app.broadcasts.tick();
    const status = await request(app.http).get(`/api/broadcasts/${created.body.id}`).set(auth);
    expect(status.body.stats.byLang).toEqual({ en: { sent: 1 } });
    // The sender also carried the sign-up's replies (every message leaves through the outbox): the broadcast is the one greeting.
    const lines = sender.sent.map((s) => (s.message.type === 'text' ? s.message.text.split('\n')[1] : undefined));
    expect(lines.filter((l) => l?.startsWith('Hello') || l?.startsWith('Bonjour'))).toEqual(['Hello Amina']);
  });
});
