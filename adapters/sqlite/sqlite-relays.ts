import type Database from 'better-sqlite3';
import type { OutcomeCounts, Relay, RelayMessage, RelayPatch, RelayReport, RelayStatus, RelayStore } from '../../core/ports/relays.port.ts';

/**
 * The relays' tables, created at open when missing. Why here and not in the shared migration
 * list: they are new tables only, so creating them if absent is the whole migration, and it
 * keeps this feature's schema beside its queries.
 */
export function ensureRelaySchema(db: Database.Database): void {
  db.exec(`
  CREATE TABLE IF NOT EXISTS relays (
    id TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    requester_id TEXT,
    receiver_id TEXT,
    status TEXT NOT NULL,
    intro TEXT,
    context TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_message_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    ended_by TEXT,
    requester_seen_at TEXT NOT NULL,
    receiver_seen_at TEXT NOT NULL,
    requester_answered INTEGER NOT NULL DEFAULT 0,
    receiver_answered INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS relays_requester ON relays(requester_id, last_message_at);
  CREATE INDEX IF NOT EXISTS relays_receiver ON relays(receiver_id, last_message_at);
  CREATE INDEX IF NOT EXISTS relays_closing ON relays(closes_at) WHERE status IN ('requested', 'open');
  CREATE TABLE IF NOT EXISTS relay_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    relay_id TEXT NOT NULL REFERENCES relays(id) ON DELETE CASCADE,
    from_person_id TEXT NOT NULL,
    text TEXT NOT NULL,
    lang TEXT NOT NULL,
    shown_text TEXT,
    shown_lang TEXT,
    held INTEGER NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS relay_messages_relay ON relay_messages(relay_id, seq);
  CREATE INDEX IF NOT EXISTS relay_messages_from ON relay_messages(from_person_id);
  CREATE INDEX IF NOT EXISTS relays_over ON relays(updated_at) WHERE status IN ('declined', 'ended', 'closed', 'left');
  CREATE INDEX IF NOT EXISTS relays_subject ON relays(subject_kind, subject_id);
  CREATE INDEX IF NOT EXISTS relay_messages_held ON relay_messages(at) WHERE held = 1;
  CREATE TABLE IF NOT EXISTS relay_blocks (
    blocker_id TEXT NOT NULL,
    blocked_id TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
  );
  CREATE INDEX IF NOT EXISTS relay_blocks_blocked ON relay_blocks(blocked_id);
  CREATE TABLE IF NOT EXISTS relay_reports (
    id TEXT PRIMARY KEY,
    relay_id TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    org_id TEXT,
    reporter_id TEXT NOT NULL,
    reported_id TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS relay_reports_queue ON relay_reports(org_id, created_at);
  CREATE TABLE IF NOT EXISTS relay_suspensions (
    person_id TEXT PRIMARY KEY,
    org_id TEXT,
    report_id TEXT,
    at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS relay_outcomes (
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    yes INTEGER NOT NULL DEFAULT 0,
    no INTEGER NOT NULL DEFAULT 0,
    not_yet INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (subject_kind, subject_id)
  );
  `);
}

interface RelayRow {
  id: string;
  subject_kind: string;
  subject_id: string;
  requester_id: string | null;
  receiver_id: string | null;
  status: RelayStatus;
  intro: string | null;
  context: string | null;
  created_at: string;
  updated_at: string;
  last_message_at: string;
  closes_at: string;
  ended_by: string | null;
  requester_seen_at: string;
  receiver_seen_at: string;
  requester_answered: number;
  receiver_answered: number;
}

interface MessageRow {
  id: string;
  relay_id: string;
  from_person_id: string;
  text: string;
  lang: string;
  shown_text: string | null;
  shown_lang: string | null;
  held: number;
  at: string;
}

interface ReportRow {
  id: string;
  relay_id: string;
  subject_kind: string;
  subject_id: string;
  org_id: string | null;
  reporter_id: string;
  reported_id: string;
  evidence: string;
  status: RelayReport['status'];
  created_at: string;
  updated_at: string;
}

const toRelay = (r: RelayRow): Relay => ({
  id: r.id,
  subject: { kind: r.subject_kind, id: r.subject_id },
  requesterId: r.requester_id,
  receiverId: r.receiver_id,
  status: r.status,
  intro: r.intro,
  context: r.context === null ? null : (JSON.parse(r.context) as Relay['context']),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastMessageAt: r.last_message_at,
  closesAt: r.closes_at,
  endedBy: r.ended_by,
  requesterSeenAt: r.requester_seen_at,
  receiverSeenAt: r.receiver_seen_at,
  requesterAnswered: r.requester_answered === 1,
  receiverAnswered: r.receiver_answered === 1,
});

const toMessage = (m: MessageRow): RelayMessage => ({
  id: m.id,
  relayId: m.relay_id,
  fromPersonId: m.from_person_id,
  text: m.text,
  lang: m.lang,
  shownText: m.shown_text,
  shownLang: m.shown_lang,
  held: m.held === 1,
  at: m.at,
});

const toReport = (r: ReportRow): RelayReport => ({
  id: r.id,
  relayId: r.relay_id,
  subject: { kind: r.subject_kind, id: r.subject_id },
  orgId: r.org_id,
  reporterId: r.reporter_id,
  reportedId: r.reported_id,
  evidence: JSON.parse(r.evidence) as RelayMessage[],
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const PATCH_COLUMNS: Record<keyof RelayPatch, string> = {
  status: 'status',
  lastMessageAt: 'last_message_at',
  closesAt: 'closes_at',
  endedBy: 'ended_by',
  requesterSeenAt: 'requester_seen_at',
  receiverSeenAt: 'receiver_seen_at',
  requesterAnswered: 'requester_answered',
  receiverAnswered: 'receiver_answered',
};

/** The relays in SQLite (see RelayStore). */
export function sqliteRelays(db: Database.Database): RelayStore {
  ensureRelaySchema(db);
  const byId = db.prepare<[string], RelayRow>('SELECT * FROM relays WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO relays (id, subject_kind, subject_id, requester_id, receiver_id, status, intro, context, created_at, updated_at,
       last_message_at, closes_at, ended_by, requester_seen_at, receiver_seen_at, requester_answered, receiver_answered)
     VALUES (@id, @subject_kind, @subject_id, @requester_id, @receiver_id, @status, @intro, @context, @created_at, @updated_at,
       @last_message_at, @closes_at, @ended_by, @requester_seen_at, @receiver_seen_at, @requester_answered, @receiver_answered)
     ON CONFLICT (id) DO NOTHING`,
  );
  const listFor = db.prepare<[string, string, number], RelayRow>(
    'SELECT * FROM relays WHERE requester_id = ? OR receiver_id = ? ORDER BY last_message_at DESC, id LIMIT ?',
  );
  const live = db.prepare<[string, string, string, string, string, string], RelayRow>(
    `SELECT * FROM relays WHERE subject_kind = ? AND subject_id = ? AND status IN ('requested', 'open')
       AND ((requester_id = ? AND receiver_id = ?) OR (requester_id = ? AND receiver_id = ?)) LIMIT 1`,
  );
  const due = db.prepare<[string, number], RelayRow>(
    "SELECT * FROM relays WHERE status IN ('requested', 'open') AND closes_at <= ? ORDER BY closes_at LIMIT ?",
  );
  const insertMessage = db.prepare(
    `INSERT INTO relay_messages (id, relay_id, from_person_id, text, lang, shown_text, shown_lang, held, at)
     VALUES (@id, @relay_id, @from_person_id, @text, @lang, @shown_text, @shown_lang, @held, @at) ON CONFLICT (id) DO NOTHING`,
  );
  const pruneMessages = db.prepare(
    'DELETE FROM relay_messages WHERE relay_id = ? AND held = 0 AND seq NOT IN (SELECT seq FROM relay_messages WHERE relay_id = ? AND held = 0 ORDER BY seq DESC LIMIT ?)',
  );
  const messageById = db.prepare<[string], MessageRow>('SELECT * FROM relay_messages WHERE id = ?');
  const removeUnsent = db.prepare('DELETE FROM relay_messages WHERE id = ? AND (held = 1 OR shown_text IS NULL)');
  const discard = db.prepare('DELETE FROM relay_messages WHERE id = ? AND held = 1');
  const recent = db.prepare<[string, number], MessageRow>(
    'SELECT * FROM (SELECT * FROM relay_messages WHERE relay_id = ? AND held = 0 AND shown_text IS NOT NULL ORDER BY seq DESC LIMIT ?) ORDER BY seq',
  );
  const insertBlock = db.prepare('INSERT INTO relay_blocks (blocker_id, blocked_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const blockedPair = db.prepare<[string, string, string, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM relay_blocks WHERE (blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?)',
  );
  const blockedOf = db.prepare<[string, string], { other: string }>(
    'SELECT blocked_id AS other FROM relay_blocks WHERE blocker_id = ? UNION SELECT blocker_id AS other FROM relay_blocks WHERE blocked_id = ?',
  );
  const insertReport = db.prepare(
    `INSERT INTO relay_reports (id, relay_id, subject_kind, subject_id, org_id, reporter_id, reported_id, evidence, status, created_at, updated_at)
     VALUES (@id, @relay_id, @subject_kind, @subject_id, @org_id, @reporter_id, @reported_id, @evidence, @status, @created_at, @updated_at)
     ON CONFLICT (id) DO NOTHING`,
  );
  const reportById = db.prepare<[string], ReportRow>('SELECT * FROM relay_reports WHERE id = ?');
  const settleReport = db.prepare("UPDATE relay_reports SET status = ?, updated_at = ? WHERE id = ? AND status = 'open'");
  const insertSuspension = db.prepare(
    'INSERT INTO relay_suspensions (person_id, org_id, report_id, at) VALUES (?, ?, ?, ?) ON CONFLICT (person_id) DO NOTHING',
  );
  const suspended = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM relay_suspensions WHERE person_id = ?');
  const countOutcome = db.prepare(
    `INSERT INTO relay_outcomes (subject_kind, subject_id, yes, no, not_yet) VALUES (@kind, @id, @yes, @no, @notYet)
     ON CONFLICT (subject_kind, subject_id) DO UPDATE SET yes = yes + @yes, no = no + @no, not_yet = not_yet + @notYet`,
  );
  const outcomesOf = db.prepare<[string, string], { yes: number | null; no: number | null; not_yet: number | null }>(
    'SELECT SUM(yes) AS yes, SUM(no) AS no, SUM(not_yet) AS not_yet FROM relay_outcomes WHERE subject_kind = ? AND subject_id = ?',
  );
  const outcomesOfKind = db.prepare<[string], { yes: number | null; no: number | null; not_yet: number | null }>(
    'SELECT SUM(yes) AS yes, SUM(no) AS no, SUM(not_yet) AS not_yet FROM relay_outcomes WHERE subject_kind = ?',
  );
  const answeredRequester = db.prepare('UPDATE relays SET requester_answered = 1, updated_at = ? WHERE id = ? AND requester_answered = 0');
  const answeredReceiver = db.prepare('UPDATE relays SET receiver_answered = 1, updated_at = ? WHERE id = ? AND receiver_answered = 0');
  const relaysOf = db.prepare<[string, string], RelayRow>('SELECT * FROM relays WHERE requester_id = ? OR receiver_id = ?');
  const eraseMessages = db.prepare('DELETE FROM relay_messages WHERE from_person_id = ?');
  const leaveAsRequester = db.prepare("UPDATE relays SET requester_id = NULL, intro = NULL, context = NULL, status = 'left', ended_by = NULL, updated_at = ? WHERE requester_id = ?");
  const leaveAsReceiver = db.prepare("UPDATE relays SET receiver_id = NULL, context = NULL, status = 'left', ended_by = NULL, updated_at = ? WHERE receiver_id = ?");
  // A relay nobody is left in holds nothing anyone may read: it goes with its messages.
  const deleteEmpty = db.prepare('DELETE FROM relays WHERE requester_id IS NULL AND receiver_id IS NULL');
  const eraseReports = db.prepare('DELETE FROM relay_reports WHERE reporter_id = ?');
  const eraseBlocks = db.prepare('DELETE FROM relay_blocks WHERE blocker_id = ? OR blocked_id = ?');
  const eraseSuspension = db.prepare('DELETE FROM relay_suspensions WHERE person_id = ?');
  const clearEndedBy = db.prepare('UPDATE relays SET ended_by = NULL WHERE ended_by = ?');

  const addMessage = db.transaction((m: RelayMessage, keep: number) => {
    insertMessage.run({
      id: m.id,
      relay_id: m.relayId,
      from_person_id: m.fromPersonId,
      text: m.text,
      lang: m.lang,
      shown_text: m.shownText,
      shown_lang: m.shownLang,
      held: m.held ? 1 : 0,
      at: m.at,
    });
    pruneMessages.run(m.relayId, m.relayId, keep);
  });

  // Why a new row: a new sequence number puts the released message after those sent meanwhile.
  const release = db.transaction((id: string, shownText: string, shownLang: string, at: string): RelayMessage | null => {
    const row = messageById.get(id);
    if (!row || (row.held !== 1 && row.shown_text !== null)) return null;
    removeUnsent.run(id);
    const released: RelayMessage = { ...toMessage(row), held: false, shownText, shownLang, at };
    addMessage(released, Number.MAX_SAFE_INTEGER);
    return released;
  });

  const erase = db.transaction((personId: string, at: string): Relay[] => {
    const before = relaysOf.all(personId, personId).map(toRelay);
    eraseMessages.run(personId);
    clearEndedBy.run(personId);
    leaveAsRequester.run(at, personId);
    leaveAsReceiver.run(at, personId);
    deleteEmpty.run();
    eraseReports.run(personId);
    eraseBlocks.run(personId, personId);
    eraseSuspension.run(personId);
    return before;
  });

  // Both times: a transition (ending, an answer) moves updated_at, a message moves last_message_at.
  const overBefore = db.prepare<[string, string, number], { id: string }>(
    `SELECT id FROM relays WHERE status IN ('declined', 'ended', 'closed', 'left') AND updated_at < ? AND last_message_at < ? LIMIT ?`,
  );
  const deleteRelayMessages = db.prepare('DELETE FROM relay_messages WHERE relay_id = ?');
  const deleteRelay = db.prepare('DELETE FROM relays WHERE id = ?');
  const dropHeld = db.prepare('DELETE FROM relay_messages WHERE held = 1 AND at < ?');
  const subjectIds = db.prepare<[string, string, number], { subject_id: string }>(
    'SELECT DISTINCT subject_id FROM relays WHERE subject_kind = ? AND subject_id > ? ORDER BY subject_id LIMIT ?',
  );
  const relaysOfSubject = db.prepare<[string, string], { id: string }>('SELECT id FROM relays WHERE subject_kind = ? AND subject_id = ?');
  const deleteRelays = (ids: readonly string[]): number => {
    for (const id of ids) {
      deleteRelayMessages.run(id);
      deleteRelay.run(id);
    }
    return ids.length;
  };
  const deleteOver = db.transaction((before: string, limit: number): number => deleteRelays(overBefore.all(before, before, limit).map((r) => r.id)));
  const deleteBySubjects = db.transaction((kind: string, subjects: readonly string[]): number =>
    deleteRelays(subjects.flatMap((s) => relaysOfSubject.all(kind, s).map((r) => r.id))),
  );

  const sums = (row: { yes: number | null; no: number | null; not_yet: number | null } | undefined): OutcomeCounts => ({
    yes: row?.yes ?? 0,
    no: row?.no ?? 0,
    notYet: row?.not_yet ?? 0,
  });

  return {
    async create(relay) {
      insert.run({
        id: relay.id,
        subject_kind: relay.subject.kind,
        subject_id: relay.subject.id,
        requester_id: relay.requesterId,
        receiver_id: relay.receiverId,
        status: relay.status,
        intro: relay.intro,
        context: relay.context === null ? null : JSON.stringify(relay.context),
        created_at: relay.createdAt,
        updated_at: relay.updatedAt,
        last_message_at: relay.lastMessageAt,
        closes_at: relay.closesAt,
        ended_by: relay.endedBy,
        requester_seen_at: relay.requesterSeenAt,
        receiver_seen_at: relay.receiverSeenAt,
        requester_answered: relay.requesterAnswered ? 1 : 0,
        receiver_answered: relay.receiverAnswered ? 1 : 0,
      });
      return toRelay(byId.get(relay.id)!);
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toRelay(row) : null;
    },
    async transition(id, from, patch, at) {
      if (from.length === 0) return null;
      const sets: string[] = [];
      const params: unknown[] = [];
      for (const [field, value] of Object.entries(patch) as [keyof RelayPatch, unknown][]) {
        if (value === undefined) continue;
        sets.push(`${PATCH_COLUMNS[field]} = ?`);
        params.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
      }
      sets.push('updated_at = ?');
      params.push(at.toISOString());
      const changed = db
        .prepare(`UPDATE relays SET ${sets.join(', ')} WHERE id = ? AND status IN (${from.map(() => '?').join(', ')})`)
        .run(...params, id, ...from).changes;
      if (changed !== 1) return null;
      return toRelay(byId.get(id)!);
    },
    async listFor(personId, limit) {
      return listFor.all(personId, personId, limit).map(toRelay);
    },
    async findLive(a, b, subject) {
      const row = live.get(subject.kind, subject.id, a, b, b, a);
      return row ? toRelay(row) : null;
    },
    async dueToClose(now, limit) {
      return due.all(now.toISOString(), limit).map(toRelay);
    },
    async addMessage(message, keep) {
      addMessage(message, keep);
    },
    async releaseMessage(id, shownText, shownLang, at) {
      return release(id, shownText, shownLang, at.toISOString());
    },
    async discardMessage(id) {
      return discard.run(id).changes === 1;
    },
    async getMessage(id) {
      const row = messageById.get(id);
      return row ? toMessage(row) : null;
    },
    async messages(relayId, limit) {
      return recent.all(relayId, limit).map(toMessage);
    },
    async block(blockerId, blockedId, at) {
      insertBlock.run(blockerId, blockedId, at.toISOString());
    },
    async isBlockedEitherWay(a, b) {
      return (blockedPair.get(a, b, b, a)?.n ?? 0) > 0;
    },
    async blockedEitherWay(personId) {
      return blockedOf.all(personId, personId).map((r) => r.other);
    },
    async addReport(report) {
      insertReport.run({
        id: report.id,
        relay_id: report.relayId,
        subject_kind: report.subject.kind,
        subject_id: report.subject.id,
        org_id: report.orgId,
        reporter_id: report.reporterId,
        reported_id: report.reportedId,
        evidence: JSON.stringify(report.evidence),
        status: report.status,
        created_at: report.createdAt,
        updated_at: report.updatedAt,
      });
    },
    async reports(orgId, status, limit) {
      const where = [orgId === null ? 'org_id IS NULL' : 'org_id = ?', ...(status ? ['status = ?'] : [])];
      const params = [...(orgId === null ? [] : [orgId]), ...(status ? [status] : []), limit];
      return db
        .prepare<unknown[], ReportRow>(`SELECT * FROM relay_reports WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id LIMIT ?`)
        .all(...params)
        .map(toReport);
    },
    async getReport(orgId, id) {
      const row = reportById.get(id);
      return row && row.org_id === orgId ? toReport(row) : null;
    },
    async settleReport(orgId, id, status, at) {
      const row = reportById.get(id);
      if (!row || row.org_id !== orgId) return null;
      if (settleReport.run(status, at.toISOString(), id).changes !== 1) return null;
      return toReport(reportById.get(id)!);
    },
    async suspend(s) {
      insertSuspension.run(s.personId, s.orgId, s.reportId, s.at);
    },
    async isSuspended(personId) {
      return (suspended.get(personId)?.n ?? 0) > 0;
    },
    async markAnswered(relayId, side, at) {
      return (side === 'requester' ? answeredRequester : answeredReceiver).run(at.toISOString(), relayId).changes === 1;
    },
    async countOutcome(subject, answer) {
      countOutcome.run({ kind: subject.kind, id: subject.id, yes: answer === 'yes' ? 1 : 0, no: answer === 'no' ? 1 : 0, notYet: answer === 'not-yet' ? 1 : 0 });
    },
    async outcomes(kind, id) {
      return sums(id === undefined ? outcomesOfKind.get(kind) : outcomesOf.get(kind, id));
    },
    async erasePerson(personId, at) {
      return erase(personId, at.toISOString());
    },
    async deleteOverBefore(before, limit) {
      return deleteOver(before.toISOString(), limit);
    },
    async dropHeldBefore(before) {
      return dropHeld.run(before.toISOString()).changes;
    },
    async subjectIds(kind, after, limit) {
      return subjectIds.all(kind, after, limit).map((r) => r.subject_id);
    },
    async deleteBySubjects(kind, ids) {
      return deleteBySubjects(kind, ids);
    },
  };
}
