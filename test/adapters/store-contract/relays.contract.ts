import { describe, expect, it } from 'vitest';
import type { Relay, RelayMessage, RelayReport } from '../../../core/ports/relays.port.ts';
import { uid, type StoreUnderTest } from './fixtures.ts';

const at = new Date('2026-05-01T10:00:00.000Z');
const iso = (minute: number) => new Date(at.getTime() + minute * 60_000).toISOString();

function relayWith(overrides: Partial<Relay> = {}): Relay {
  return {
    id: uid(),
    subject: { kind: 'exchange-post', id: uid() },
    requesterId: uid(),
    receiverId: uid(),
    status: 'requested',
    intro: 'Bonjour, je peux venir samedi ?',
    context: { km: 3 },
    createdAt: iso(0),
    updatedAt: iso(0),
    lastMessageAt: iso(0),
    closesAt: iso(60),
    endedBy: null,
    requesterSeenAt: iso(0),
    receiverSeenAt: iso(0),
    requesterAnswered: false,
    receiverAnswered: false,
    ...overrides,
  };
}

function messageOf(relay: Relay, from: string, minute: number, overrides: Partial<RelayMessage> = {}): RelayMessage {
  return { id: uid(), relayId: relay.id, fromPersonId: from, text: `مرحبا ${minute}`, lang: 'ar', shownText: `Bonjour ${minute}`, shownLang: 'fr', held: false, at: iso(minute), ...overrides };
}

/** The relays: conditional transitions, messages in sending order, blocks, reports by queue, outcomes, erasure. */
export function relaysContract(store: StoreUnderTest): void {
  describe('relays', () => {
    it('creates once, reads back exactly, and changes a status only from the statuses given', async () => {
      const relay = relayWith();
      expect(await store().relays.create(relay)).toEqual(relay);
      expect(await store().relays.create({ ...relay, status: 'open', intro: 'other' })).toEqual(relay);
      expect(await store().relays.get(relay.id)).toEqual(relay);
      expect(await store().relays.get(uid())).toBeNull();
      const opened = await store().relays.transition(relay.id, ['requested'], { status: 'open', receiverSeenAt: iso(1) }, new Date(iso(1)));
      expect(opened).toEqual({ ...relay, status: 'open', receiverSeenAt: iso(1), updatedAt: iso(1) });
      expect(await store().relays.transition(relay.id, ['requested'], { status: 'declined' }, new Date(iso(2)))).toBeNull();
      expect(await store().relays.transition(relay.id, [], { status: 'declined' }, new Date(iso(2)))).toBeNull();
      expect((await store().relays.get(relay.id))?.status).toBe('open');
    });

    it('lists a person’s relays most recent first, finds the live one of a pair and subject, and those due to close', async () => {
      const person = uid();
      const older = await store().relays.create(relayWith({ requesterId: person, lastMessageAt: iso(1), closesAt: iso(5) }));
      const newer = await store().relays.create(relayWith({ receiverId: person, lastMessageAt: iso(9), status: 'open', closesAt: iso(50) }));
      const over = await store().relays.create(relayWith({ receiverId: person, lastMessageAt: iso(5), status: 'ended', closesAt: iso(1) }));
      expect((await store().relays.listFor(person, 10)).map((r) => r.id)).toEqual([newer.id, over.id, older.id]);
      expect((await store().relays.listFor(person, 1)).map((r) => r.id)).toEqual([newer.id]);
      expect(await store().relays.findLive(older.receiverId!, person, older.subject)).toEqual(older);
      expect(await store().relays.findLive(person, over.requesterId!, over.subject)).toBeNull();
      const due = (await store().relays.dueToClose(new Date(iso(10)), 1000)).map((r) => r.id);
      expect(due).toContain(older.id);
      expect(due).not.toContain(newer.id);
      expect(due).not.toContain(over.id);
    });

    it('keeps messages in sending order, the latest few, with held and pending ones apart until released', async () => {
      const relay = await store().relays.create(relayWith({ status: 'open' }));
      const a = relay.requesterId!;
      const b = relay.receiverId!;
      const first = messageOf(relay, a, 1);
      await store().relays.addMessage(first, 3);
      await store().relays.addMessage(first, 3);
      const held = messageOf(relay, b, 2, { held: true, shownText: null, shownLang: null, text: 'appelle-moi au 06 12 34 56 78', lang: 'fr' });
      await store().relays.addMessage(held, 3);
      const pending = messageOf(relay, a, 3, { shownText: null, shownLang: null });
      await store().relays.addMessage(pending, 3);
      expect(await store().relays.messages(relay.id, 10)).toEqual([first]);
      expect(await store().relays.getMessage(held.id)).toEqual(held);
      const released = await store().relays.releaseMessage(held.id, 'اتصلي بي', 'ar', new Date(iso(4)));
      expect(released).toEqual({ ...held, held: false, shownText: 'اتصلي بي', shownLang: 'ar', at: iso(4) });
      expect(await store().relays.releaseMessage(held.id, 'x', 'ar', new Date(iso(5)))).toBeNull();
      await store().relays.releaseMessage(pending.id, 'Bonjour 3', 'fr', new Date(iso(5)));
      expect((await store().relays.messages(relay.id, 10)).map((m) => m.id)).toEqual([first.id, held.id, pending.id]);
      for (let i = 6; i < 9; i++) await store().relays.addMessage(messageOf(relay, a, i), 3);
      expect((await store().relays.messages(relay.id, 10)).map((m) => m.at)).toEqual([iso(6), iso(7), iso(8)]);
      const discard = messageOf(relay, a, 9, { held: true, shownText: null });
      await store().relays.addMessage(discard, 3);
      expect(await store().relays.discardMessage(discard.id)).toBe(true);
      expect(await store().relays.discardMessage(discard.id)).toBe(false);
      expect(await store().relays.getMessage(discard.id)).toBeNull();
    });

    it('knows blocks both ways', async () => {
      const [a, b, c] = [uid(), uid(), uid()];
      await store().relays.block(a, b, at);
      await store().relays.block(a, b, at);
      await store().relays.block(c, a, at);
      expect(await store().relays.isBlockedEitherWay(b, a)).toBe(true);
      expect(await store().relays.isBlockedEitherWay(b, c)).toBe(false);
      expect((await store().relays.blockedEitherWay(a)).sort()).toEqual([b, c].sort());
      expect(await store().relays.blockedEitherWay(b)).toEqual([a]);
    });

    it('keeps reports in their queue only, settles an open one once', async () => {
      const relay = await store().relays.create(relayWith());
      const orgId = uid();
      const report: RelayReport = {
        id: uid(),
        relayId: relay.id,
        subject: relay.subject,
        orgId,
        reporterId: relay.requesterId!,
        reportedId: relay.receiverId!,
        evidence: [messageOf(relay, relay.receiverId!, 1)],
        status: 'open',
        createdAt: iso(2),
        updatedAt: iso(2),
      };
      await store().relays.addReport(report);
      await store().relays.addReport({ ...report, status: 'dismissed' });
      const operator = { ...report, id: uid(), orgId: null, createdAt: iso(3), updatedAt: iso(3) };
      await store().relays.addReport(operator);
      expect(await store().relays.reports(orgId, null, 10)).toEqual([report]);
      expect(await store().relays.reports(orgId, 'dismissed', 10)).toEqual([]);
      expect((await store().relays.reports(null, 'open', 1000)).map((r) => r.id)).toContain(operator.id);
      expect(await store().relays.getReport(uid(), report.id)).toBeNull();
      expect(await store().relays.getReport(null, report.id)).toBeNull();
      expect(await store().relays.settleReport(uid(), report.id, 'dismissed', new Date(iso(4)))).toBeNull();
      expect(await store().relays.settleReport(orgId, report.id, 'suspended', new Date(iso(4)))).toEqual({ ...report, status: 'suspended', updatedAt: iso(4) });
      expect(await store().relays.settleReport(orgId, report.id, 'dismissed', new Date(iso(5)))).toBeNull();
    });

    it('suspends once, counts outcomes per subject and per kind, and marks each side answered once', async () => {
      const person = uid();
      expect(await store().relays.isSuspended(person)).toBe(false);
      await store().relays.suspend({ personId: person, orgId: null, reportId: null, at: iso(0) });
      await store().relays.suspend({ personId: person, orgId: uid(), reportId: uid(), at: iso(1) });
      expect(await store().relays.isSuspended(person)).toBe(true);
      const kind = `kind-${uid()}`;
      const one = { kind, id: uid() };
      await store().relays.countOutcome(one, 'yes');
      await store().relays.countOutcome(one, 'yes');
      await store().relays.countOutcome(one, 'not-yet');
      await store().relays.countOutcome({ kind, id: uid() }, 'no');
      expect(await store().relays.outcomes(kind, one.id)).toEqual({ yes: 2, no: 0, notYet: 1 });
      expect(await store().relays.outcomes(kind)).toEqual({ yes: 2, no: 1, notYet: 1 });
      expect(await store().relays.outcomes(kind, uid())).toEqual({ yes: 0, no: 0, notYet: 0 });
      const relay = await store().relays.create(relayWith({ status: 'ended' }));
      expect(await store().relays.markAnswered(relay.id, 'receiver', at)).toBe(true);
      expect(await store().relays.markAnswered(relay.id, 'receiver', at)).toBe(false);
      expect(await store().relays.get(relay.id)).toMatchObject({ receiverAnswered: true, requesterAnswered: false });
    });

    it('erases a person: their words, intro, reports made, blocks and suspension; the other side keeps the relay as left', async () => {
      const leaving = uid();
      const staying = uid();
      const relay = await store().relays.create(relayWith({ requesterId: leaving, receiverId: staying, status: 'open' }));
      const alone = await store().relays.create(relayWith({ requesterId: leaving, receiverId: null, status: 'left' }));
      const theirs = messageOf(relay, leaving, 1);
      const mine = messageOf(relay, staying, 2);
      await store().relays.addMessage(theirs, 20);
      await store().relays.addMessage(mine, 20);
      await store().relays.addMessage(messageOf(alone, leaving, 1), 20);
      const report = { id: uid(), relayId: relay.id, subject: relay.subject, orgId: null, reporterId: leaving, reportedId: staying, evidence: [mine], status: 'open' as const, createdAt: iso(3), updatedAt: iso(3) };
      await store().relays.addReport(report);
      await store().relays.block(leaving, staying, at);
      await store().relays.suspend({ personId: leaving, orgId: null, reportId: null, at: iso(0) });

      const before = await store().relays.erasePerson(leaving, new Date(iso(9)));
      expect(before.map((r) => r.id).sort()).toEqual([relay.id, alone.id].sort());
      expect(await store().relays.get(relay.id)).toEqual({ ...relay, requesterId: null, intro: null, context: null, status: 'left', updatedAt: iso(9) });
      expect(await store().relays.get(alone.id)).toBeNull();
      expect(await store().relays.messages(relay.id, 20)).toEqual([mine]);
      expect(await store().relays.getMessage(theirs.id)).toBeNull();
      expect(await store().relays.getReport(null, report.id)).toBeNull();
      expect(await store().relays.isBlockedEitherWay(leaving, staying)).toBe(false);
      expect(await store().relays.isSuspended(leaving)).toBe(false);
      expect(await store().relays.listFor(leaving, 10)).toEqual([]);
      expect((await store().relays.listFor(staying, 10)).map((r) => r.id)).toEqual([relay.id]);
    });

    it('retention deletes over relays idle since before the cut with their messages, unconfirmed held messages, and relays of gone subjects', async () => {
      // Years before every other case's rows: the retention calls reach across the whole store.
      const old = (day: number) => new Date(Date.UTC(2019, 0, day)).toISOString();
      const cut = new Date(old(100));
      const stale = (status: Relay['status'], overrides: Partial<Relay> = {}) =>
        store().relays.create(relayWith({ status, createdAt: old(1), updatedAt: old(2), lastMessageAt: old(2), requesterSeenAt: old(1), receiverSeenAt: old(1), ...overrides }));
      const ended = await stale('ended');
      const closed = await stale('closed');
      const declined = await stale('declined');
      const left = await stale('left', { requesterId: null });
      const open = await stale('open');
      const answeredLately = await stale('closed', { updatedAt: old(150) });
      const talkedLately = await stale('ended', { updatedAt: old(150), lastMessageAt: old(150) });
      const words = messageOf(ended, ended.requesterId!, 1);
      await store().relays.addMessage(words, 20);
      const kept = messageOf(talkedLately, talkedLately.requesterId!, 2);
      await store().relays.addMessage(kept, 20);

      expect(await store().relays.deleteOverBefore(cut, 2)).toBe(2);
      expect(await store().relays.deleteOverBefore(cut, 1000)).toBe(2);
      expect(await store().relays.deleteOverBefore(cut, 1000)).toBe(0);
      for (const gone of [ended, closed, declined, left]) expect(await store().relays.get(gone.id)).toBeNull();
      expect(await store().relays.getMessage(words.id)).toBeNull();
      for (const stays of [open, answeredLately, talkedLately]) expect(await store().relays.get(stays.id)).toEqual(stays);
      expect(await store().relays.getMessage(kept.id)).toEqual(kept);

      const heldOld = { ...messageOf(open, open.requesterId!, 3), held: true, shownText: null, shownLang: null, at: old(3) };
      const heldNew = { ...messageOf(open, open.requesterId!, 4), held: true, shownText: null, shownLang: null, at: old(120) };
      const sentOld = { ...messageOf(open, open.receiverId!, 5), at: old(3) };
      for (const m of [heldOld, heldNew, sentOld]) await store().relays.addMessage(m, 20);
      expect(await store().relays.dropHeldBefore(cut)).toBe(1);
      expect(await store().relays.getMessage(heldOld.id)).toBeNull();
      expect(await store().relays.getMessage(heldNew.id)).toEqual(heldNew);
      expect(await store().relays.getMessage(sentOld.id)).toEqual(sentOld);

      const kind = `job-application-${uid()}`;
      const [a, b, c] = ['app-a', 'app-b', 'app-c'];
      const aboutA = await store().relays.create(relayWith({ subject: { kind, id: a }, status: 'open' }));
      const aboutB = await store().relays.create(relayWith({ subject: { kind, id: b } }));
      const aboutB2 = await store().relays.create(relayWith({ subject: { kind, id: b }, status: 'ended' }));
      const aboutC = await store().relays.create(relayWith({ subject: { kind, id: c } }));
      const sameIdOtherKind = await store().relays.create(relayWith({ subject: { kind: 'exchange-post', id: b } }));
      const theirWords = messageOf(aboutB, aboutB.requesterId!, 6);
      await store().relays.addMessage(theirWords, 20);
      expect(await store().relays.subjectIds(kind, '', 2)).toEqual([a, b]);
      expect(await store().relays.subjectIds(kind, b, 2)).toEqual([c]);
      expect(await store().relays.deleteBySubjects(kind, [])).toBe(0);
      expect(await store().relays.deleteBySubjects(kind, [b, 'app-none'])).toBe(2);
      for (const gone of [aboutB, aboutB2]) expect(await store().relays.get(gone.id)).toBeNull();
      expect(await store().relays.getMessage(theirWords.id)).toBeNull();
      for (const stays of [aboutA, aboutC, sameIdOtherKind]) expect(await store().relays.get(stays.id)).toEqual(stays);
      expect(await store().relays.subjectIds(kind, '', 10)).toEqual([a, c]);
    });
  });
}
