import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayReport } from '../../../core/ports/relays.port.ts';
import { arabicPersonJoins, chatTexts, ConsoleClient, consoleHarness, orgWithAdmin, type ConsoleHarness } from './console.harness.ts';

// The moderation queue in the console: a report's last messages in both languages, and the
// admin API's actions (dismiss, suspend) from a form; another organisation's reports stay out of reach.

let h: ConsoleHarness;
let a: Awaited<ReturnType<typeof orgWithAdmin>>;
let b: Awaited<ReturnType<typeof orgWithAdmin>>;

function reportWith(orgId: string, reporterId: string, reportedId: string, overrides: Partial<RelayReport> = {}): RelayReport {
  const at = '2026-11-20T10:00:00.000Z';
  return {
    id: `report-${orgId}-${reportedId}`,
    relayId: `relay-${reportedId}`,
    subject: { kind: 'exchange-post', id: 'post-1' },
    orgId,
    reporterId,
    reportedId,
    evidence: [
      { id: 'm1', relayId: `relay-${reportedId}`, fromPersonId: reportedId, text: 'أعطني رقم هاتفك', lang: 'ar', shownText: 'Donne-moi ton numéro', shownLang: 'fr', held: false, at },
      { id: 'm2', relayId: `relay-${reportedId}`, fromPersonId: reporterId, text: 'Non merci', lang: 'fr', shownText: 'لا شكرا', shownLang: 'ar', held: false, at },
    ],
    status: 'open',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

beforeAll(async () => {
  h = await consoleHarness({ CONSOLE_SIGNIN_PER_MINUTE: '1000' });
  a = await orgWithAdmin(h, 'mod-a', 'admin@mod-a.org', 'chat-mod-a');
  b = await orgWithAdmin(h, 'mod-b', 'admin@mod-b.org', 'chat-mod-b');
  await arabicPersonJoins(h, 'mod-a', 'chat-reported', 'كريم');
  const reported = (await h.app.store.people.findByAddress({ channel: 'webchat', id: 'chat-reported' }))!;
  await h.app.store.relays.addReport(reportWith(a.org.id, a.admin.id, reported.id));
  await h.app.store.relays.addReport(reportWith(b.org.id, b.admin.id, reported.id, { id: 'report-of-b' }));
});
afterAll(async () => {
  await h?.close();
});

describe('console moderation', () => {
  it('shows the open reports of its organisation with the messages as written and as read, and suspends from a form', async () => {
    const client = new ConsoleClient(h.url);
    await client.signIn(h, 'admin@mod-a.org', 'chat-mod-a');
    const page = await client.get('/console/moderation');
    expect(page.status).toBe(200);
    for (const text of ['أعطني رقم هاتفك', 'Donne-moi ton numéro', 'Non merci', 'لا شكرا', 'reported by Amina']) expect(page.text).toContain(text);
    expect(page.text).not.toContain('report-of-b');
    for (const action of ['dismiss', 'suspend', 'hide-subject']) expect((await client.post(`/console/moderation/report-of-b/${action}`)).status, action).toBe(404);
    expect((await h.app.store.relays.getReport(b.org.id, 'report-of-b'))?.status).toBe('open');
    const id = `report-${a.org.id}-${(await h.app.store.people.findByAddress({ channel: 'webchat', id: 'chat-reported' }))!.id}`;
    const before = await chatTexts(h, 'chat-reported');
    expect((await client.post(`/console/moderation/${id}/suspend`)).location).toBe('/console/moderation');
    expect((await h.app.store.relays.getReport(a.org.id, id))?.status).toBe('suspended');
    expect((await client.post(`/console/moderation/${id}/dismiss`)).status).toBe(409);
    // The suspended person is told, in Arabic, through the outbox.
    const after = await chatTexts(h, 'chat-reported');
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatch(/[\u0600-\u06FF]/);
    expect((await client.get('/console/moderation')).text).toContain('No open report.');
    expect((await h.app.store.console.listAudit(a.org.id, 20)).map((e) => e.action)).toContain('report.suspend');
  });
});
