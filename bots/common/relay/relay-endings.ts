import type { Json } from '../../../core/dialog/json.ts';
import { ConcurrencyConflictError } from '../../../core/errors.ts';
import { addressKey } from '../../../core/messages.ts';
import { wakeAt } from '../../../core/pipeline/conversation-record.ts';
import type { ConversationRecord } from '../../../core/ports/conversation-store.port.ts';
import type { Person } from '../../../core/ports/people.port.ts';
import type { OutcomeAnswer, Relay, RelayReport } from '../../../core/ports/relays.port.ts';
import { derivedId, otherOf, RELAY_MESSAGES_KEPT, sideOf, type RelayKit } from './relay-kit.ts';
import { RELAY_SIGNALS } from './relay-names.ts';

/** Messages a report carries as evidence (each in both languages). */
const EVIDENCE_MESSAGES = 10;
/** Why a batch: one sweep never holds the store for long; the next one takes the rest. */
const SWEEP_BATCH = 100;

/** How one side left a relay. */
export type Ending = 'end' | 'block' | 'report';

/**
 * One side ends the relay, blocks the other (no more requests, hidden both ways), or reports
 * them (the last messages go to a moderation queue). The other side is only told it ended:
 * never that they were blocked or reported, nor by whom.
 */
export async function endRelay(kit: RelayKit, effectId: string, relayId: string, person: Person, how: Ending): Promise<void> {
  const { store } = kit;
  const relay = await store.relays.get(relayId);
  if (!relay || !sideOf(relay, person.id)) return;
  const otherId = otherOf(relay, person.id);
  if (how === 'block' && otherId) await store.relays.block(person.id, otherId, kit.now());
  if (how === 'report' && otherId) await fileReport(kit, derivedId('rep', effectId), relay, person, otherId);
  const ended = await store.relays.transition(relayId, ['requested', 'open'], { status: 'ended', endedBy: person.id }, kit.now());
  if (!ended) return;
  await tellEnded(kit, ended, otherId, `${relayId}:ended`, 'nudgeEnded', person.firstName);
  kit.deps.logger.info({ relay: relayId, how }, 'relay ended by one side');
}

/** Tells one side that the relay is over (the inbox then asks "Did it work out?"). */
async function tellEnded(kit: RelayKit, relay: Relay, personId: string | null, id: string, key: string, name: string): Promise<void> {
  const person = await kit.person(personId);
  if (!person) return;
  const header = await kit.header(relay, person.lang);
  await kit.notify(person, RELAY_SIGNALS.ended, `${id}:${person.id}`, { relayId: relay.id }, (lang) => kit.t(lang, key, { name, subject: header }));
}

/** A report in the queue of the reporter's organisation (else the operator's), with the evidence. */
async function fileReport(kit: RelayKit, id: string, relay: Relay, reporter: Person, reportedId: string): Promise<void> {
  const { store } = kit;
  const evidence = await store.relays.messages(relay.id, EVIDENCE_MESSAGES);
  const at = kit.now().toISOString();
  const report: RelayReport = {
    id,
    relayId: relay.id,
    subject: relay.subject,
    orgId: await organisationOf(kit, reporter),
    reporterId: reporter.id,
    reportedId,
    evidence,
    status: 'open',
    createdAt: at,
    updatedAt: at,
  };
  await store.relays.addReport(report);
  kit.deps.logger.info({ relay: relay.id, report: id, queue: report.orgId ?? 'operator' }, 'relay reported');
}

/** The organisation a person belongs to: their own (staff), else the first that they joined. */
async function organisationOf(kit: RelayKit, person: Person): Promise<string | null> {
  if (person.orgId && person.roleStatus === 'active') return person.orgId;
  for (const identity of person.identities) {
    const contacts = await kit.store.contacts.findByAddress(identity);
    const joined = contacts.find((c) => c.personId === person.id) ?? contacts[0];
    if (joined) return joined.orgId;
  }
  return null;
}

/**
 * Closes the relays silent for 14 days and tells both sides. The state is in the store, so a
 * restart loses nothing: the next sweep (at start-up, then every minute) finds what is due.
 * Returns how many closed.
 */
export async function closeSilent(kit: RelayKit): Promise<number> {
  const now = kit.now();
  let closed = 0;
  for (const relay of await kit.store.relays.dueToClose(now, SWEEP_BATCH)) {
    const done = await kit.store.relays.transition(relay.id, ['requested', 'open'], { status: 'closed' }, now);
    if (!done) continue;
    closed += 1;
    const [a, b] = await Promise.all([kit.person(done.requesterId), kit.person(done.receiverId)]);
    await tellEnded(kit, done, done.requesterId, `${relay.id}:closed`, 'nudgeClosed', b?.firstName ?? '');
    await tellEnded(kit, done, done.receiverId, `${relay.id}:closed`, 'nudgeClosed', a?.firstName ?? '');
  }
  if (closed > 0) kit.deps.logger.info({ closed }, 'silent relays closed');
  return closed;
}

/** One side's answer to "Did you agree on something?", counted once per side and relay. */
export async function answerOutcome(kit: RelayKit, relayId: string, person: Person, answer: OutcomeAnswer): Promise<void> {
  const relay = await kit.store.relays.get(relayId);
  const side = relay ? sideOf(relay, person.id) : null;
  if (!relay || !side) return;
  if (!(await kit.store.relays.markAnswered(relayId, side, kit.now()))) return;
  await kit.store.relays.countOutcome(relay.subject, answer);
  await kit.deps.subjects.get(relay.subject.kind)?.onOutcome?.(relay, person.id, answer);
}

/**
 * Moderation suspends a reported person: their report is settled, their live relays end (the
 * other sides are told it ended), they can ask for no new one, and they are told in their language.
 */
export async function suspendReported(kit: RelayKit, orgId: string | null, reportId: string): Promise<RelayReport | null> {
  const { store } = kit;
  const report = await store.relays.settleReport(orgId, reportId, 'suspended', kit.now());
  if (!report) return null;
  const person = await store.people.get(report.reportedId);
  await store.relays.suspend({ personId: report.reportedId, orgId, reportId, at: kit.now().toISOString() });
  if (!person) return report;
  for (const relay of await store.relays.listFor(person.id, 100)) {
    const ended = await store.relays.transition(relay.id, ['requested', 'open'], { status: 'ended', endedBy: person.id }, kit.now());
    if (ended) await tellEnded(kit, ended, otherOf(ended, person.id), `${relay.id}:ended`, 'nudgeEnded', person.firstName);
  }
  const to = await kit.addressOf(person);
  if (to) await kit.deps.send([kit.row(`suspended:${reportId}`, 'notice', to, person.lang, kit.t(person.lang, 'suspended'))]);
  kit.deps.logger.info({ report: reportId }, 'a reported person was suspended from relays');
  return report;
}

/**
 * "forget": the person's words and reports go; each relay they were in stays for the other
 * side as "left", and the other side is told, in their language, without the person's name.
 */
export async function forgetInRelays(kit: RelayKit, person: Person): Promise<void> {
  // Their words as the other sides read them, before they go: the web chat keeps a copy.
  const words = new Map<string, string[]>();
  for (const relay of await kit.store.relays.listFor(person.id, 1000)) {
    const theirs = (await kit.store.relays.messages(relay.id, RELAY_MESSAGES_KEPT)).filter((m) => m.fromPersonId === person.id);
    words.set(relay.id, theirs.flatMap((m) => [m.shownText ?? '', m.text]).filter((w) => w !== ''));
  }
  const before = await kit.store.relays.erasePerson(person.id, kit.now());
  for (const relay of before) {
    const other = await kit.person(otherOf(relay, person.id));
    if (!other) continue;
    await scrubName(kit, other, relay.id, person.firstName);
    await scrubWebchat(kit, other, person.firstName, words.get(relay.id) ?? []);
    if (relay.status !== 'requested' && relay.status !== 'open') continue;
    const header = await kit.header(relay, other.lang);
    await kit.notify(other, RELAY_SIGNALS.ended, `${relay.id}:left:${other.id}`, { relayId: relay.id }, (lang) => kit.t(lang, 'nudgeLeft', { subject: header }));
  }
}

/**
 * The web chat keeps what it showed on the server: the other side's copy of the erased person's
 * messages goes (a bot entry naming them and holding their words), and the bot's other entries
 * about them lose their first name.
 */
async function scrubWebchat(kit: RelayKit, other: Person, name: string, words: readonly string[]): Promise<void> {
  if (name.trim() === '') return;
  const someone = kit.t(other.lang, 'someone');
  for (const identity of other.identities) {
    if (identity.channel !== 'webchat') continue;
    await kit.store.webchat.rewrite(identity.id, (entry) => {
      const json = JSON.stringify(entry.message);
      if (entry.author !== 'bot' || !json.includes(name)) return entry;
      if (words.some((w) => entry.message.text.includes(w))) return null;
      // Names hold letters and spaces only (the sign-up rule), so this never breaks the JSON.
      return { ...entry, message: JSON.parse(json.split(name).join(someone)) as typeof entry.message };
    });
  }
}

/**
 * Why: the other side's conversation may still show this relay (a notice, a list) worded with
 * the erased person's first name, and it is stored with their session. Every string of a
 * conversation that speaks of the relay loses the name ("Someone" instead), with a version check.
 */
export async function scrubName(kit: RelayKit, other: Person, relayId: string, name: string): Promise<void> {
  if (name.trim() === '') return;
  const someone = kit.t(other.lang, 'someone');
  const scrub = (value: Json): Json => {
    if (typeof value === 'string') return value.split(name).join(someone);
    if (Array.isArray(value)) return value.map(scrub);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    return value;
  };
  for (const identity of other.identities) {
    const key = addressKey(identity);
    for (let attempt = 0; attempt < 3; attempt++) {
      const loaded = await kit.store.conversations.load(key);
      if (!loaded || !JSON.stringify(loaded.value).includes(relayId)) break;
      const next = scrub(loaded.value as unknown as Json) as unknown as ConversationRecord;
      try {
        await kit.store.conversations.save(key, next, loaded.version, wakeAt(next, kit.now()));
        break;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
      }
    }
  }
}
