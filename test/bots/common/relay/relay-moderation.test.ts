import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text as waText } from '../../../adapters/whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { createOrg } from '../../../support/organisations.ts';
import { AMINA_WA, deeplSays, lea, pairInRelay, PLUMBING, relayTestbed, t, type RelayTestbed } from './relay-harness.ts';

// Must show: a report reaches the moderation queue of the reporter's organisation through the
// admin API, with the last messages in both languages; another organisation's key gets 404.
// Moderation can dismiss or suspend; the suspended person is told in their language.

let bed: RelayTestbed;
beforeEach(async () => {
  bed = await relayTestbed();
});
afterEach(async () => {
  await bed.dispose();
});

const say = (body: string) => ({ type: 'text', text: { body } });

describe('reporting a relay', () => {
  it('files the evidence in the reporter’s NGO queue; another NGO sees nothing; suspension tells the reported person', async () => {
    const { app } = bed;
    const secours = await createOrg(app.store, { code: 'secours', lang: 'fr' });
    const other = await createOrg(app.store, { code: 'autre', lang: 'en' });
    const { relayId } = await pairInRelay(bed, secours.id);
    await bed.whatsapp(AMINA_WA, say('أعطني مالاً أولاً'));
    await bed.telegram((u) => u.text(lea, 'Non, ce n’est pas comme ça.'));

    // Léa reports: she is thanked; Amina only hears that the conversation ended (not who reported, nor why).
    const before = bed.wa.bodies.length;
    expect((await bed.telegram((u) => u.callback(lea, 'report')))[0]).toMatchObject({ text: t('fr', 'common:relay.reported') });
    expect(bed.wa.bodies.slice(before)[0]).toEqual(waText(t('ar', 'common:relay.nudgeEnded', { name: 'Léa', subject: PLUMBING['ar']! }), AMINA_WA));
    expect(JSON.stringify(bed.wa.bodies.slice(before))).not.toMatch(/report|إبلاغ|أبلغ/);

    const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
    const listed = await request(app.http).get('/api/moderation/reports').set(auth(secours.apiKey));
    expect(listed.status).toBe(200);
    const [report] = listed.body.reports;
    expect(listed.body.reports).toHaveLength(1);
    expect(report).toMatchObject({
      status: 'open',
      subject: { kind: 'test-post', id: 'post-1' },
      reporter: { id: 'p-lea', firstName: 'Léa' },
      reported: { id: 'p-amina', firstName: 'Amina', suspended: false },
      evidence: [
        { from: 'reported', firstName: 'Amina', original: { lang: 'ar', text: 'أعطني مالاً أولاً' }, shown: { lang: 'fr', text: deeplSays('أعطني مالاً أولاً', 'fr') } },
        { from: 'reporter', firstName: 'Léa', original: { lang: 'fr', text: 'Non, ce n’est pas comme ça.' }, shown: { lang: 'ar', text: deeplSays('Non, ce n’est pas comme ça.', 'ar') } },
      ],
    });
    expect(JSON.stringify(listed.body)).not.toContain(AMINA_WA);
    expect(JSON.stringify(listed.body)).not.toContain('5550101');

    // Another organisation: an empty queue, and 404 on the report itself and its actions.
    expect((await request(app.http).get('/api/moderation/reports').set(auth(other.apiKey))).body).toEqual({ reports: [] });
    expect((await request(app.http).get(`/api/moderation/reports/${report.id}`).set(auth(other.apiKey))).status).toBe(404);
    expect((await request(app.http).post(`/api/moderation/reports/${report.id}/suspend`).set(auth(other.apiKey))).status).toBe(404);
    expect((await request(app.http).post(`/api/moderation/reports/${report.id}/dismiss`).set(auth(other.apiKey))).status).toBe(404);
    expect((await request(app.http).get('/api/moderation/reports')).status).toBe(401);
    expect((await request(app.http).get('/api/moderation/reports?limit=0').set(auth(secours.apiKey))).body).toMatchObject({ issues: [{ field: 'limit' }] });

    // The NGO suspends Amina: she is told in Arabic; she can ask for no new contact.
    const waBefore = bed.wa.bodies.length;
    const suspended = await request(app.http).post(`/api/moderation/reports/${report.id}/suspend`).set(auth(secours.apiKey));
    expect(suspended.status).toBe(200);
    expect(suspended.body).toEqual({ id: report.id, status: 'suspended', suspended: 'p-amina' });
    await bed.quiesce();
    expect(bed.wa.bodies.slice(waBefore)).toEqual([waText(t('ar', 'common:relay.suspended'), AMINA_WA)]);
    expect(await app.relays.isSuspended('p-amina')).toBe(true);
    const amina = (await app.store.people.get('p-amina'))!;
    expect(await app.relays.request('e-after', amina, { subjectKind: 'test-post', subjectId: 'post-2', toPersonId: 'p-lea' })).toEqual({ kind: 'suspended' });
    expect((await request(app.http).post(`/api/moderation/reports/${report.id}/dismiss`).set(auth(secours.apiKey))).status).toBe(409);
    expect((await app.store.relays.get(relayId))?.status).toBe('ended');
  });

  it('files a report of someone who belongs to no organisation in the operator’s queue', async () => {
    const { app } = bed;
    const ngo = await createOrg(app.store, { code: 'secours', lang: 'fr' });
    await pairInRelay(bed);
    await bed.whatsapp(AMINA_WA, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'report', title: t('ar', 'common:relayReport') } } });
    const [report] = await app.store.relays.reports(null, 'open', 10);
    expect(report).toMatchObject({ orgId: null, reporterId: 'p-amina', reportedId: 'p-lea' });
    expect((await request(app.http).get('/api/moderation/reports').set({ Authorization: `Bearer ${ngo.apiKey}` })).body).toEqual({ reports: [] });
  });
});
