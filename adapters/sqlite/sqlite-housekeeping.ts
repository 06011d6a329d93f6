import type Database from 'better-sqlite3';
import type { HousekeepingStore } from '../../core/ports/housekeeping.port.ts';

/** No effect, outgoing message or input waits in the record's work (seen marks are no work). */
const EMPTY_WORK = ['effects', 'outgoing', 'inputs'].map((part) => `COALESCE(json_array_length(c.work, '$.${part}'), 0) = 0`).join(' AND ');

/**
 * Housekeeping in SQLite: strangers' conversations, found by `session.lang` being JSON null
 * (`json_type`, not `json_extract`: a session stored as null altogether, an erasure's, is not a
 * stranger's), and only with no work pending (no wake-up, no effect, message or input waiting).
 */
export function sqliteHousekeeping(db: Database.Database): HousekeepingStore {
  // The key is `channel:id` (channel names hold no colon): split it to use the identities and reach keys.
  const candidates = db.prepare<[string, number], { key: string; version: number }>(
    `SELECT c.key, c.version FROM conversations c
     WHERE c.updated_at < ? AND json_type(c.session, '$.lang') = 'null'
       AND c.wake_at IS NULL AND (c.work IS NULL OR (${EMPTY_WORK}))
       AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.channel = substr(c.key, 1, instr(c.key, ':') - 1) AND i.address = substr(c.key, instr(c.key, ':') + 1))
     LIMIT ?`,
  );
  // Only if untouched since it was found: a stranger who wrote meanwhile keeps the conversation.
  const deleteConversation = db.prepare('DELETE FROM conversations WHERE key = ? AND version = ?');
  // The page's copy of a stranger's web chat goes too: the rows are what a flood would fill the disk with.
  const deleteHistory = db.prepare("DELETE FROM webchat_history WHERE substr(@key, 1, 8) = 'webchat:' AND user_id = substr(@key, 9)");
  const deleteReach = db.prepare("DELETE FROM reach WHERE channel = substr(@key, 1, instr(@key, ':') - 1) AND address = substr(@key, instr(@key, ':') + 1)");
  const prune = db.transaction((before: string, limit: number): number => {
    let deleted = 0;
    for (const row of candidates.all(before, limit)) {
      if (deleteConversation.run(row.key, row.version).changes === 0) continue;
      deleteReach.run({ key: row.key });
      deleteHistory.run({ key: row.key });
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
