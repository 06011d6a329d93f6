import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import { createOrg } from '../../support/organisations.ts';
import { joinedContact } from '../store-contract/broadcast-fixtures.ts';
import { personWith, uid } from '../store-contract/fixtures.ts';
import { rawMessage } from '../../fakes/whatsapp-web-client.fake.ts';
import { whatsappWebHarness, type Harness } from '../whatsapp-web/whatsapp-web.harness.ts';
import { recordTwilio, TWILIO_ENV } from './twilio.fixtures.ts';
import type { Address } from '../../../core/messages.ts';

const { Message } = wwebjs as unknown as { Message: new (client: unknown, data: unknown) => wwebjs.Message };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends what is due on both channels until nothing is pending or being sent (held rows may remain). */
async function settleBroadcast(h: Harness, id: string): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await h.app.outbox.drain('whatsapp-web');
    await h.app.outbox.drain('sms');
    const { byStatus } = await h.app.store.outbox.stats(id);
    if (!byStatus['pending'] && !byStatus['sending']) return;
    await sleep(200);
  }
  throw new Error('the broadcast did not settle');
}

describe('the WhatsApp web client logged out in the middle of a broadcast', () => {
  it('sends the rest by SMS to those who have it, holds the others, and sends them once the phone is linked again', async () => {
    harness = await whatsappWebHarness({ ...TWILIO_ENV, RATE_WHATSAPP_WEB: '1000', RATE_SMS: '1000', DISPATCH_CONCURRENCY: '1' });
    const h = harness;
    const twilio = recordTwilio({ 2: { status: 429, code: 20429 } });
    const org = await createOrg(h.app.store, { code: 'secours', name: 'Secours', lang: 'fr' });
    const at = new Date();
    // 20 imported with their phone (an SMS reaches it), 10 who joined on WhatsApp only, 5 who joined there and also text us.
    const imported = Array.from({ length: 20 }, (_, i) => {
      const phone = `+3361${String(i).padStart(7, '0')}`;
      return { firstName: `P${i}`, phone, lang: 'fr', channel: 'whatsapp-web' as const, address: { channel: 'whatsapp-web' as const, id: `${phone.slice(1)}@c.us` }, tags: [] };
    });
    await h.app.store.contacts.importMany(org.id, imported, () => uid(), at);
    const waOnly: Address[] = Array.from({ length: 10 }, (_, i) => ({ channel: 'whatsapp-web', id: `4917${String(i).padStart(8, '0')}@c.us` }));
    for (const address of waOnly) await joinedContact(h.app.store, org.id, address, at, { lang: 'fr' });
    const both = Array.from({ length: 5 }, (_, i) => ({ wa: { channel: 'whatsapp-web', id: `4915${String(i).padStart(8, '0')}@c.us` } as Address, sms: { channel: 'sms', id: `+4915${String(i).padStart(8, '0')}` } as Address }));
    for (const p of both) {
      const person = personWith({ identities: [p.wa, p.sms], lang: 'fr', firstName: 'Lina' });
      await h.app.store.people.create(person);
      await h.app.store.contacts.join(org.id, { personId: person.id, firstName: 'Lina', phone: null, lang: 'fr', channel: 'whatsapp-web', address: p.wa, tags: [] }, uid(), at);
    }

    // The fourth send finds the phone unlinked: the library emits 'disconnected' twice, and the send fails.
    let sends = 0;
    h.fake.sendBehaviour = async (chatId, content) => {
      if (++sends === 4) {
        h.fake.emit('disconnected', 'LOGOUT');
        h.fake.emit('disconnected', 'LOGOUT');
        throw new Error('Protocol error (Runtime.callFunctionOn): Session closed.');
      }
      return new Message(h.fake, rawMessage(chatId, { fromMe: true, body: String(content) }));
    };
    const { broadcast } = await h.app.broadcasts.create({ orgId: org.id, text: 'Distribution demain à 10 h.', sourceLang: 'fr', audience: { type: 'all' }, origin: 'api' });
    await h.app.broadcasts.tick();
    await settleBroadcast(h, broadcast.id);

    const beforeRelink = sends;
    const onWhatsapp = () => h.fake.sent.slice(0, beforeRelink).filter((_, i) => i !== 3).map((s) => s.chatId);
    const bySms = () => twilio.sent.map((s) => s.To);
    expect(onWhatsapp()).toHaveLength(3);
    const held = await h.app.store.outbox.held(org.id, 100);
    const stats = await h.app.store.outbox.stats(broadcast.id);
    console.log('after the logout', JSON.stringify(stats.byChannel), 'held', held.length, 'by SMS', bySms().length);
    // Everyone not yet sent: by SMS where there is an SMS identity, held otherwise; nobody twice.
    const reached = new Set([...onWhatsapp(), ...bySms()]);
    expect(reached.size).toBe(onWhatsapp().length + bySms().length);
    expect(held.every((r) => r.reason === 'channel-down' && r.channel === 'whatsapp-web')).toBe(true);
    expect(onWhatsapp().length + bySms().length + held.length).toBe(35);
    const heldAddresses = new Set(waOnly.map((a) => a.id));
    for (const id of onWhatsapp()) heldAddresses.delete(id);
    expect(held).toHaveLength(heldAddresses.size);
    for (const p of both) expect(bySms().includes(p.sms.id) || onWhatsapp().includes(p.wa.id)).toBe(true);

    // The NGO is told: one warning in the log (the double emit is one event), and the admin API.
    expect(h.logger.lines.filter((l) => l.message.startsWith('whatsapp-web is DOWN'))).toHaveLength(1);
    const channels = await request(h.app.http).get('/api/organisation/channels').set('authorization', `Bearer ${org.apiKey}`);
    expect(channels.body.channels).toEqual(expect.arrayContaining([{ channel: 'whatsapp-web', enabled: true, down: 'LOGOUT' }, { channel: 'sms', enabled: true, down: null }]));

    // Linked again: the held ones go, once each, on WhatsApp.
    const smsBefore = twilio.sent.length;
    h.fake.emit('ready');
    await settleBroadcast(h, broadcast.id);
    expect((await h.app.store.outbox.stats(broadcast.id)).byStatus).toEqual({ sent: 35 });
    expect(twilio.sent.length).toBe(smsBefore);
    const all = [...onWhatsapp(), ...bySms()];
    const waAfter = h.fake.sent.slice(beforeRelink).map((s) => s.chatId);
    expect(new Set(waAfter)).toEqual(heldAddresses);
    expect(new Set([...all, ...waAfter]).size).toBe(35);
    expect(all.length + waAfter.length).toBe(35);
    const final = await h.app.store.outbox.stats(broadcast.id);
    expect(final.byFallback).toEqual({ 'whatsapp-web>sms': bySms().length });
  }, 30_000);
});
