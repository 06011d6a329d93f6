import type Database from 'better-sqlite3';
import { WEBCHAT_HISTORY_KEPT, type StoredWebchatEntry, type WebchatEntry, type WebchatHistory } from '../../core/ports/webchat-history.port.ts';

interface HistoryRow {
  cursor: number;
  entry: string;
}

function hydrate(row: HistoryRow): StoredWebchatEntry {
  return { ...(JSON.parse(row.entry) as WebchatEntry), cursor: row.cursor };
}

/** The web chat history in SQLite: one row per entry, the row id being the cursor. */
export function sqliteWebchatHistory(db: Database.Database): WebchatHistory {
  const insert = db.prepare('INSERT INTO webchat_history (user_id, entry) VALUES (?, ?)');
  const trim = db.prepare(
    'DELETE FROM webchat_history WHERE user_id = ? AND cursor <= (SELECT cursor FROM webchat_history WHERE user_id = ? ORDER BY cursor DESC LIMIT 1 OFFSET ?)',
  );
  const after = db.prepare<[string, number, number], HistoryRow>('SELECT cursor, entry FROM webchat_history WHERE user_id = ? AND cursor > ? ORDER BY cursor LIMIT ?');
  const latest = db.prepare<[string, number], HistoryRow>('SELECT cursor, entry FROM webchat_history WHERE user_id = ? ORDER BY cursor DESC LIMIT ?');
  const erase = db.prepare('DELETE FROM webchat_history WHERE user_id = ?');
  const all = db.prepare<[string], HistoryRow>('SELECT cursor, entry FROM webchat_history WHERE user_id = ? ORDER BY cursor');
  const update = db.prepare('UPDATE webchat_history SET entry = ? WHERE cursor = ?');
  const remove = db.prepare('DELETE FROM webchat_history WHERE cursor = ?');
  const rewrite = db.transaction((userId: string, change: (entry: WebchatEntry) => WebchatEntry | null): number => {
    let changed = 0;
    for (const row of all.all(userId)) {
      const next = change(JSON.parse(row.entry) as WebchatEntry);
      const json = next === null ? null : JSON.stringify(next);
      if (json === row.entry) continue;
      changed += 1;
      if (json === null) remove.run(row.cursor);
      else update.run(json, row.cursor);
    }
    return changed;
  });
  const append = db.transaction((userId: string, entry: WebchatEntry): number => {
    const cursor = Number(insert.run(userId, JSON.stringify(entry)).lastInsertRowid);
    trim.run(userId, userId, WEBCHAT_HISTORY_KEPT);
    return cursor;
  });
  return {
    async append(userId, entry) {
      return append(userId, entry);
    },
    async list(userId, options) {
      if (options.after !== undefined) return after.all(userId, options.after, options.limit).map(hydrate);
      return latest.all(userId, options.limit).reverse().map(hydrate);
    },
    async erase(userId) {
      return erase.run(userId).changes;
    },
    async rewrite(userId, change) {
      return rewrite(userId, change);
    },
  };
}
