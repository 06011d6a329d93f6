import type Database from 'better-sqlite3';
import type { HousekeepingStore } from '../../core/ports/housekeeping.port.ts';

/**
 * Housekeeping in SQLite: strangers' conversations, found by `session.lang` being JSON null
 * (`json_type`, not `json_extract`: a session stored as null altogether is not a stranger's).
 */
export function sqliteHousekeeping(db: Database.Database): HousekeepingStore {
  // The key is `channel:id` (channel names hold no colon): split it to use the identities and reach keys.
  const candidates = db.prepare<[string, number], { key: string; updated_at: string }>(
    `SELECT c.key, c.updated_at FROM conversations c
     WHERE c.updated_at < ? AND json_type(c.session, '$.lang') = 'null'
       AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.channel = substr(c.key, 1, instr(c.key, ':') - 1) AND i.address = substr(c.key, instr(c.key, ':') + 1))
     LIMIT ?`,
  );
  // Only if untouched since it was found: a stranger who wrote meanwhile keeps the conversation.
  const deleteConversation = db.prepare('DELETE FROM conversations WHERE key = ? AND updated_at = ?');
  const deleteReach = db.prepare("DELETE FROM reach WHERE channel = substr(@key, 1, instr(@key, ':') - 1) AND address = substr(@key, instr(@key, ':') + 1)");
  const prune = db.transaction((before: string, limit: number): number => {
    let deleted = 0;
    for (const row of candidates.all(before, limit)) {
      if (deleteConversation.run(row.key, row.updated_at).changes === 0) continue;
      deleteReach.run({ key: row.key });
      deleted++;
    }
    return deleted;
  });
  return {
    async pruneStrangers(before, limit) {
      return prune(before.toISOString(), limit);
    },
  };
}
