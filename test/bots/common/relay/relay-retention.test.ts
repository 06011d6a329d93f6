import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../adapters/config.ts';
import type { Relay, RelayMessage } from '../../../../core/ports/relays.port.ts';
import { applicationWith, jobWith } from '../../../adapters/store-contract/jobs.contract.ts';
import { orgWith, personWith, uid } from '../../../adapters/store-contract/fixtures.ts';
import { manualClock, testApp } from '../../../support/test-app.ts';

const DAY = 24 * 3_600_000;
let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => app?.dispose());

function relayAt(lastActivity: Date, overrides: Partial<Relay> = {}): Relay {
  const iso = lastActivity.toISOString();
  return {
    id: uid(),
    subject: { kind: 'exchange-post', id: uid() },
    requesterId: uid(),
    receiverId: uid(),
    status: 'ended',
    intro: null,
    context: null,
    createdAt: iso,
    updatedAt: iso,
    lastMessageAt: iso,
    closesAt: new Date(lastActivity.getTime() + 14 * DAY).toISOString(),
    endedBy: null,
    requesterSeenAt: iso,
    receiverSeenAt: iso,
    requesterAnswered: false,
    receiverAnswered: false,
    ...overrides,
  };
}

const words = (relay: Relay, at: Date, held = false): RelayMessage => ({
  id: uid(),
  relayId: relay.id,
  fromPersonId: relay.requesterId!,
  text: held ? 'appelle-moi au 06 12 34 56 78' : 'Merci, à samedi',
  lang: 'fr',
  shownText: held ? null : 'شكرا',
  shownLang: held ? null : 'ar',
  held,
  at: at.toISOString(),
});

describe('relay retention', () => {
  it('RELAY_RETENTION_DAYS defaults to 183 and a bad value names the variable', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/x' }).RELAY_RETENTION_DAYS).toBe(183);
    expect(loadConfig({ DATA_DIR: '/tmp/x', RELAY_RETENTION_DAYS: '30' }).RELAY_RETENTION_DAYS).toBe(30);
    expect(() => loadConfig({ DATA_DIR: '/tmp/x', RELAY_RETENTION_DAYS: 'soon' })).toThrow(/RELAY_RETENTION_DAYS/);
  });

  it('the sweep deletes relays over for longer than RELAY_RETENTION_DAYS with their words, and held words not confirmed within a day', async () => {
    const clock = manualClock(new Date('2026-12-01T09:00:00Z'));
    app = await testApp({ RELAY_RETENTION_DAYS: '30' }, { clock });
    const now = clock.now().getTime();
    const relays = app.store.relays;
    const oldEnded = await relays.create(relayAt(new Date(now - 31 * DAY)));
    const oldClosed = await relays.create(relayAt(new Date(now - 40 * DAY), { status: 'closed' }));
    const recentEnded = await relays.create(relayAt(new Date(now - 29 * DAY)));
    // Quiet for long, but still open: only the 14-day silence closes it, retention never deletes it.
    const open = await relays.create(relayAt(new Date(now - 31 * DAY), { status: 'open', closesAt: new Date(now + DAY).toISOString() }));
    const oldWords = words(oldEnded, new Date(now - 31 * DAY));
    const keptWords = words(recentEnded, new Date(now - 29 * DAY));
    const heldYesterday = words(open, new Date(now - DAY - 60_000), true);
    const heldNow = words(open, new Date(now - 60_000), true);
    for (const m of [oldWords, keptWords, heldYesterday, heldNow]) await relays.addMessage(m, 20);

    expect(await app.relays.sweep()).toBe(0);
    expect(await relays.get(oldEnded.id)).toBeNull();
    expect(await relays.get(oldClosed.id)).toBeNull();
    expect(await relays.getMessage(oldWords.id)).toBeNull();
    expect(await relays.get(recentEnded.id)).toEqual(recentEnded);
    expect(await relays.getMessage(keptWords.id)).toEqual(keptWords);
    expect(await relays.get(open.id)).toEqual(open);
    expect(await relays.getMessage(heldYesterday.id)).toBeNull();
    expect(await relays.getMessage(heldNow.id)).toEqual(heldNow);

    // A day later the relay that was 29 days over goes too.
    clock.advance(2 * DAY);
    await app.relays.sweep();
    expect(await relays.get(recentEnded.id)).toBeNull();
    expect(await relays.getMessage(keptWords.id)).toBeNull();
  });

  it("the jobs retention deletes the relays about the applications it deleted (and those left by an earlier round), not the others'", async () => {
    const clock = manualClock(new Date('2026-12-01T09:00:00Z'));
    app = await testApp({ JOBS_RETENTION_DAYS: '183' }, { clock });
    const org = orgWith();
    await app.store.organisations.create(org);
    const person = personWith();
    await app.store.people.create(person);
    const closedLongAgo = jobWith(org.id, { status: 'closed', closedAt: '2026-03-01T00:00:00.000Z' });
    const open = jobWith(org.id);
    for (const job of [closedLongAgo, open]) await app.store.jobs.createJob(job);
    const goneApplication = applicationWith(closedLongAgo, person.id);
    const liveApplication = applicationWith(open, person.id);
    for (const a of [goneApplication, liveApplication]) await app.store.jobs.apply(a);
    const subject = (id: string) => ({ subject: { kind: 'job-application', id }, status: 'open' as const });
    const aboutGone = await app.store.relays.create(relayAt(clock.now(), subject(goneApplication.id)));
    const aboutLive = await app.store.relays.create(relayAt(clock.now(), subject(liveApplication.id)));
    // A relay whose application an earlier round (before this fix, or one that failed half-way) deleted.
    const orphan = await app.store.relays.create(relayAt(clock.now(), subject('app-deleted-earlier')));
    const sameIdExchange = await app.store.relays.create(relayAt(clock.now(), { subject: { kind: 'exchange-post', id: goneApplication.id } }));
    const theirWords = words(aboutGone, clock.now());
    await app.store.relays.addMessage(theirWords, 20);

    expect(await app.jobsRetention.runOnce()).toBe(1);
    expect(await app.store.jobs.getApplication(goneApplication.id)).toBeNull();
    expect(await app.store.relays.get(aboutGone.id)).toBeNull();
    expect(await app.store.relays.getMessage(theirWords.id)).toBeNull();
    expect(await app.store.relays.get(orphan.id)).toBeNull();
    expect(await app.store.relays.get(aboutLive.id)).toEqual(aboutLive);
    expect(await app.store.relays.get(sameIdExchange.id)).toEqual(sameIdExchange);
  });
});
