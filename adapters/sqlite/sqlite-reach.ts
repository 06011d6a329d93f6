import type Database from 'better-sqlite3';
import type { JsonObject } from '../../core/dialog/json.ts';
import { addressKey, type Address } from '../../core/messages.ts';
import type { ReachStore, ReceiptStatus, ReceiptStore } from '../../core/ports/reach.port.ts';
import type { TranslationCache } from '../../core/ports/translator.port.ts';
import type { GroupCommit } from './sqlite-group-commit.ts';

/** Reach records (last inbound time, proactive references) in SQLite. */
export function sqliteReach(db: Database.Database, group: GroupCommit): ReachStore {
  const upsert = db.prepare(
    `INSERT INTO reach (channel, address, last_inbound_at, reference) VALUES (?, ?, ?, ?)
     ON CONFLICT (channel, address) DO UPDATE SET last_inbound_at = excluded.last_inbound_at,
       reference = COALESCE(excluded.reference, reach.reference)`,
  );
  const select = db.prepare<[string, string], { last_inbound_at: number; reference: string | null }>(
    'SELECT last_inbound_at, reference FROM reach WHERE channel = ? AND address = ?',
  );
  const remove = db.prepare('DELETE FROM reach WHERE channel = ? AND address = ?');
  // Why json_each: one statement for a whole batch, whatever its size.
  const selectMany = db.prepare<[string], { channel: string; address: string; last_inbound_at: number }>(
    `SELECT r.channel, r.address, r.last_inbound_at FROM json_each(?) j
     JOIN reach r ON r.channel = j.value ->> 0 AND r.address = j.value ->> 1`,
  );
  return {
    async forget(address) {
      remove.run(address.channel, address.id);
    },
    async recordInbound(address, at, reference) {
      await group.run(() => upsert.run(address.channel, address.id, at.getTime(), reference === null ? null : JSON.stringify(reference)));
    },
    async get(address) {
      const row = select.get(address.channel, address.id);
      return row
        ? { lastInboundAt: new Date(row.last_inbound_at), reference: row.reference === null ? null : (JSON.parse(row.reference) as JsonObject) }
        : null;
    },
    async lastInboundAt(addresses) {
      const found = new Map<string, Date>();
      if (addresses.length === 0) return found;
      const rows = selectMany.all(JSON.stringify(addresses.map((a) => [a.channel, a.id])));
      for (const row of rows) found.set(addressKey({ channel: row.channel as Address['channel'], id: row.address }), new Date(row.last_inbound_at));
      return found;
    },
  };
}

/** Why ranks: platforms may report "delivered" after "read"; a state never goes backwards. */
const RECEIPT_RANK: Record<ReceiptStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/** Delivery receipts in SQLite. */
export function sqliteReceipts(db: Database.Database): ReceiptStore {
  const upsert = db.prepare(
    `INSERT INTO receipts (channel, platform_message_id, status, rank, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (channel, platform_message_id) DO UPDATE SET status = excluded.status, rank = excluded.rank, at = excluded.at
     WHERE excluded.rank >= receipts.rank`,
  );
  const select = db.prepare<[string, string], { status: ReceiptStatus; at: number }>(
    'SELECT status, at FROM receipts WHERE channel = ? AND platform_message_id = ?',
  );
  return {
    async record(channel, platformMessageId, status, at) {
      upsert.run(channel, platformMessageId, status, RECEIPT_RANK[status], at.getTime());
    },
    async get(channel, platformMessageId) {
      const row = select.get(channel, platformMessageId);
      return row ? { status: row.status, at: new Date(row.at) } : null;
    },
  };
}

/** Paid-for translations in SQLite. */
export function sqliteTranslationCache(db: Database.Database): TranslationCache {
  const upsert = db.prepare('INSERT INTO translation_cache (key, text, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING');
  return {
    async getMany(keys) {
      const found = new Map<string, string>();
      // Why chunks: SQLite limits bound parameters per statement.
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500);
        const rows = db
          .prepare<string[], { key: string; text: string }>(`SELECT key, text FROM translation_cache WHERE key IN (${chunk.map(() => '?').join(',')})`)
          .all(...chunk);
        for (const row of rows) found.set(row.key, row.text);
      }
      return found;
    },
    async putMany(entries, at) {
      db.transaction(() => {
        for (const [key, text] of entries) upsert.run(key, text, at.getTime());
      })();
    },
  };
}
