import type Database from 'better-sqlite3';
import type { ChannelName } from '../../core/messages.ts';
import type { Broadcast, BroadcastStore, BroadcastTranslation } from '../../core/ports/broadcasts.port.ts';
import type { InboxEntry, InboxStore } from '../../core/ports/inbox.port.ts';
import type { DeliveryJob, DeliveryStats, Outbox } from '../../core/ports/outbox.port.ts';
import { audienceCondition } from './sqlite-contacts.ts';


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
  return {
    async create(b) {
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

interface JobRow {
  id: string;
  broadcast_id: string;
  org_id: string;
  contact_id: string;
  channel: ChannelName;
  address_channel: ChannelName | null;
  address_id: string | null;
  lang: string;
  first_name: string;
  attempts: number;
}

/** The outbox in SQLite: deliveries are made with one INSERT ... SELECT, never loaded whole. */
export function sqliteOutbox(db: Database.Database): Outbox {
  const claim = db.prepare<{ channel: string; now: number; limit: number; lease: number }, JobRow>(
    `UPDATE deliveries SET status = 'sending', lease_until = @lease, updated_at = @now
     WHERE id IN (
       SELECT id FROM deliveries
       WHERE channel = @channel AND status = 'pending' AND next_attempt_at <= @now
       UNION ALL
       SELECT id FROM deliveries
       WHERE channel = @channel AND status = 'sending' AND lease_until <= @now
       LIMIT @limit)
     RETURNING id, broadcast_id, org_id, contact_id, channel, address_channel, address_id, lang, first_name, attempts`,
  );
  const settleFinal = db.prepare(
    "UPDATE deliveries SET status = @status, reason = @reason, platform_message_id = @pid, attempts = attempts + 1, lease_until = NULL, updated_at = @now WHERE id = @id AND status = 'sending'",
  );
  const settleRetry = db.prepare(
    "UPDATE deliveries SET status = 'pending', reason = @reason, next_attempt_at = @at, attempts = attempts + @inc, lease_until = NULL, updated_at = @now WHERE id = @id AND status = 'sending'",
  );
  const open = db.prepare("SELECT COUNT(*) FROM deliveries WHERE broadcast_id = ? AND status IN ('pending', 'sending')").pluck();
  const openBroadcasts = db.prepare("SELECT DISTINCT broadcast_id FROM deliveries WHERE status IN ('pending', 'sending')").pluck();
  const stats = db.prepare<[string], { status: string; lang: string; channel: string; n: number }>(
    'SELECT status, lang, channel, COUNT(*) AS n FROM deliveries WHERE broadcast_id = ? GROUP BY status, lang, channel',
  );
  const lastTo = db.prepare<[string, string, number], { org_id: string; broadcast_id: string; contact_id: string }>(
    `SELECT org_id, broadcast_id, contact_id FROM deliveries
     WHERE address_channel = ? AND address_id = ? AND status = 'sent' AND updated_at >= ? ORDER BY updated_at DESC LIMIT 1`,
  );
  return {
    async materialize(broadcastId, orgId, audience, at) {
      const where = audienceCondition(audience);
      // Ids are derived from (broadcast, contact): a second materialize adds nothing.
      const sql = `INSERT INTO deliveries (id, broadcast_id, org_id, contact_id, channel, address_channel, address_id, lang, first_name, status, next_attempt_at, updated_at)
        SELECT ? || ':' || c.id, ?, c.org_id, c.id, c.channel, c.address_channel, c.address_id, COALESCE(p.lang, c.lang),
               COALESCE(p.first_name, c.first_name), 'pending', ?, ?
        FROM contacts c LEFT JOIN people p ON p.id = c.person_id
        WHERE ${where.sql} AND (p.id IS NULL OR p.subscribed = 1)
        ON CONFLICT DO NOTHING`;
      return db.prepare(sql).run(broadcastId, broadcastId, at.getTime(), at.getTime(), orgId, ...where.params).changes;
    },
    async claim(channel, now, limit, leaseUntil) {
      const rows = claim.all({ channel, now: now.getTime(), limit, lease: leaseUntil.getTime() });
      return rows.map(
        (r): DeliveryJob => ({
          id: r.id,
          broadcastId: r.broadcast_id,
          orgId: r.org_id,
          contactId: r.contact_id,
          channel: r.channel,
          address: r.address_channel && r.address_id ? { channel: r.address_channel, id: r.address_id } : null,
          lang: r.lang,
          firstName: r.first_name,
          attempts: r.attempts,
        }),
      );
    },
    async settle(id, outcome, at) {
      if (outcome.status === 'retry') {
        settleRetry.run({ id, reason: outcome.reason, at: outcome.at.getTime(), inc: outcome.countsAsAttempt ? 1 : 0, now: at.getTime() });
      } else {
        settleFinal.run({
          id,
          status: outcome.status,
          reason: outcome.status === 'sent' ? null : outcome.reason,
          pid: outcome.status === 'sent' ? outcome.platformMessageId : null,
          now: at.getTime(),
        });
      }
    },
    async stats(broadcastId): Promise<DeliveryStats> {
      const byStatus: Record<string, number> = {};
      const byLang: Record<string, Record<string, number>> = {};
      const byChannel: Record<string, Record<string, number>> = {};
      let total = 0;
      for (const row of stats.all(broadcastId)) {
        total += row.n;
        byStatus[row.status] = (byStatus[row.status] ?? 0) + row.n;
        (byLang[row.lang] ??= {})[row.status] = (byLang[row.lang]?.[row.status] ?? 0) + row.n;
        (byChannel[row.channel] ??= {})[row.status] = (byChannel[row.channel]?.[row.status] ?? 0) + row.n;
      }
      return { total, byStatus, byLang, byChannel };
    },
    async openCount(broadcastId) {
      return open.get(broadcastId) as number;
    },
    async openBroadcasts() {
      return openBroadcasts.all() as string[];
    },
    async lastDeliveredTo(address, since) {
      const row = lastTo.get(address.channel, address.id, since.getTime());
      return row ? { orgId: row.org_id, broadcastId: row.broadcast_id, contactId: row.contact_id } : null;
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
     VALUES (@id, @orgId, @contactId, @direction, @broadcastId, @text, @lang, @translatedText, @translatedLang, @at)`,
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
