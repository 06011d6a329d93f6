import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundContent } from '../../../core/messages.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';
import { recordingSender } from '../../fakes/recording-sender.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const NAME = 'Zerubabelka';
const PHONE = '4915112345678';
const TEXT = 'my brother is still in Kherskovo';
const PLACE = 'Tiraspolgrad';

/** Every file SQLite keeps for the store, as raw bytes, read while the store is still open. */
function rawFiles(dataDir: string): Buffer {
  const base = join(dataDir, 'passerelle.sqlite');
  return Buffer.concat([base, `${base}-wal`, `${base}-journal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

describe('"forget me" on SQLite', () => {
  it('leaves no trace of the name, the phone number or a message in the database file or its WAL', async () => {
    // A WhatsApp channel (a recording double) to carry the goodbye: once it is sent, the last row naming the person goes.
    app = await testApp({}, { senders: [recordingSender('whatsapp-cloud')] });
    const org = await createOrg(app.store, { code: 'alpha' });
    const from = { channel: 'whatsapp-cloud', id: PHONE } as const;
    await app.store.contacts.importMany(org.id, [{ firstName: NAME, phone: `+${PHONE}`, lang: 'en', channel: 'whatsapp-cloud', address: from, tags: ['kherson'] }], () => 'contact-1', app.clock.now());
    await app.store.inbox.add({ id: 'in-1', orgId: org.id, contactId: 'contact-1', direction: 'in', broadcastId: null, text: TEXT, lang: 'en', translatedText: null, translatedLang: null, at: app.clock.now().toISOString() });
    let n = 0;
    const say = (content: InboundContent) => app!.pipeline.handle({ id: `m-${++n}`, from, content, receivedAt: app!.clock.now() });
    for (const content of [{ type: 'start' }, { type: 'text', text: 'English' }, { type: 'choice', choiceId: 'agree' }, { type: 'choice', choiceId: 'newcomer' }, { type: 'text', text: NAME }, { type: 'text', text: PLACE }] as InboundContent[]) await say(content);
    expect(await app.store.people.findByAddress(from)).toMatchObject({ firstName: NAME, place: { type: 'typed', text: PLACE } });
    expect(rawFiles(app.dataDir).includes(NAME)).toBe(true);

    await say({ type: 'text', text: 'forget' });
    const last = await say({ type: 'choice', choiceId: 'yes' });
    expect(last.length).toBeGreaterThan(0);
    expect(await app.store.people.findByAddress(from)).toBeNull();
    // The goodbye leaves through the outbox: drained before the files are read.
    await app.settle();

    const bytes = rawFiles(app.dataDir);
    for (const secret of [NAME, PHONE, TEXT, PLACE]) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
  });
});
