import type Database from 'better-sqlite3';
import type { Broadcast, BroadcastStore, BroadcastTranslation } from '../../core/ports/broadcasts.port.ts';
import type { InboxEntry, InboxStore } from '../../core/ports/inbox.port.ts';


interface BroadcastRow {
  id: string;
  org_id: string;
  text: string;
  source_lang: string | null;
  audience: string;
  origin: Broadcast['origin'];
  status: Broadcast['status'];
  scheduled_at: string;
  created_at: string;
}

const toBroadcast = (row: BroadcastRow): Broadcast => ({
  id: row.id,
  orgId: row.org_id,
  text: row.text,
  sourceLang: row.source_lang,
  audience: JSON.parse(row.audience) as Broadcast['audience'],
  origin: row.origin,
  status: row.status,
  scheduledAt: row.scheduled_at,
  createdAt: row.created_at,
});

/** Broadcasts and their per-language texts in SQLite. */
export function sqliteBroadcasts(db: Database.Database): BroadcastStore {
  const insert = db.prepare(
    `INSERT INTO broadcasts (id, org_id, text, source_lang, audience, origin, status, scheduled_at, created_at)
     VALUES (@id, @org_id, @text, @source_lang, @audience, @origin, @status, @scheduled_at, @created_at)`,
  );
  const get = db.prepare<[string, string], BroadcastRow>('SELECT * FROM broadcasts WHERE org_id = ? AND id = ?');
  const list = db.prepare<[string, number], BroadcastRow>('SELECT * FROM broadcasts WHERE org_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const due = db.prepare<[string, number], BroadcastRow>(
    "SELECT * FROM broadcasts WHERE status = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at, rowid LIMIT ?",
  );
  const inStatus = db.prepare<[string, number], BroadcastRow>('SELECT * FROM broadcasts WHERE status = ? ORDER BY scheduled_at, rowid LIMIT ?');
  const transition = db.prepare('UPDATE broadcasts SET status = ? WHERE id = ? AND status = ?');
  const saveTranslation = db.prepare(
    'INSERT INTO broadcast_translations (broadcast_id, lang, translation) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET translation = excluded.translation',
  );
  const translations = db.prepare<[string], { lang: string; translation: string }>('SELECT lang, translation FROM broadcast_translations WHERE broadcast_id = ?');
  const create = db.transaction((b: Broadcast, given: ReadonlyMap<string, BroadcastTranslation>) => {
    insert.run({
        id: b.id,
        org_id: b.orgId,
        text: b.text,
        source_lang: b.sourceLang,
        audience: JSON.stringify(b.audience),
        origin: b.origin,
        status: b.status,
        scheduled_at: b.scheduledAt,
        created_at: b.createdAt,
      });
    for (const [lang, translation] of given) saveTranslation.run(b.id, lang, JSON.stringify(translation));
  });
  return {
    async create(b, given = new Map()) {
      create(b, given);
    },
    async get(orgId, id) {
      const row = get.get(orgId, id);
      return row ? toBroadcast(row) : null;
    },
    async list(orgId, limit) {
      return list.all(orgId, limit).map(toBroadcast);
    },
    async due(now, limit) {
      return due.all(now.toISOString(), limit).map(toBroadcast);
    },
    async inStatus(status, limit) {
      return inStatus.all(status, limit).map(toBroadcast);
    },
    async transition(id, from, to) {
      return transition.run(to, id, from).changes === 1;
    },
    async saveTranslation(id, lang, translation) {
      saveTranslation.run(id, lang, JSON.stringify(translation));
    },
    async translations(id) {
      return new Map(translations.all(id).map((r) => [r.lang, JSON.parse(r.translation) as BroadcastTranslation]));
    },
  };
}

interface InboxRow {
  id: string;
  org_id: string;
  contact_id: string;
  direction: 'in' | 'out';
  broadcast_id: string | null;
  text: string;
  lang: string | null;
  translated_text: string | null;
  translated_lang: string | null;
  at: string;
}

/** The organisations' inboxes in SQLite. */
export function sqliteInbox(db: Database.Database): InboxStore {
  const insert = db.prepare(
    `INSERT INTO inbox (id, org_id, contact_id, direction, broadcast_id, text, lang, translated_text, translated_lang, at)
     VALUES (@id, @orgId, @contactId, @direction, @broadcastId, @text, @lang, @translatedText, @translatedLang, @at)
     ON CONFLICT (id) DO NOTHING`,
  );
  const toEntry = (r: InboxRow): InboxEntry => ({
    id: r.id,
    orgId: r.org_id,
    contactId: r.contact_id,
    direction: r.direction,
    broadcastId: r.broadcast_id,
    text: r.text,
    lang: r.lang,
    translatedText: r.translated_text,
    translatedLang: r.translated_lang,
    at: r.at,
  });
  return {
    async add(entry) {
      insert.run(entry);
    },
    async list(orgId, { limit, contactId }) {
      const rows = contactId
        ? db.prepare<[string, string, number], InboxRow>('SELECT * FROM inbox WHERE org_id = ? AND contact_id = ? ORDER BY at DESC, rowid DESC LIMIT ?').all(orgId, contactId, limit)
        : db.prepare<[string, number], InboxRow>('SELECT * FROM inbox WHERE org_id = ? ORDER BY at DESC, rowid DESC LIMIT ?').all(orgId, limit);
      return rows.map(toEntry);
    },
  };
}
