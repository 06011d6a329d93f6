import type Database from 'better-sqlite3';
import { ConcurrencyConflictError } from '../../core/errors.ts';
import type { ApiKey, AuditEntry, ConsoleSession, ConsoleStore, SignInState, StaffUser, StaffUserPatch } from '../../core/ports/console.port.ts';

/**
 * The console's tables. Kept out of the numbered migrations (`IF NOT EXISTS`, applied at every
 * open) because they depend on no other table's shape and change with the console alone.
 */
export function migrateConsole(db: Database.Database): void {
  db.exec(`
  CREATE TABLE IF NOT EXISTS console_users (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    lang TEXT NOT NULL,
    person_id TEXT,
    password_hash TEXT,
    created_at TEXT NOT NULL,
    code_hash TEXT,
    code_expires_at TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
  );
  CREATE INDEX IF NOT EXISTS console_users_org ON console_users(org_id);
  CREATE TABLE IF NOT EXISTS console_sessions (
    id_hash TEXT PRIMARY KEY,
    org_id TEXT,
    user_id TEXT REFERENCES console_users(id) ON DELETE CASCADE,
    pending_user_id TEXT REFERENCES console_users(id) ON DELETE SET NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS console_sessions_user ON console_sessions(user_id);
  CREATE INDEX IF NOT EXISTS console_sessions_expiry ON console_sessions(expires_at);
  CREATE TABLE IF NOT EXISTS console_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    user_id TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS console_audit_org ON console_audit(org_id, seq);
  CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX IF NOT EXISTS api_keys_org ON api_keys(org_id);
  `);
  // Columns added after the tables first shipped: added once, where missing.
  const columns = new Set((db.prepare('PRAGMA table_info(console_users)').all() as { name: string }[]).map((c) => c.name));
  if (!columns.has('inbox_seen_at')) db.exec('ALTER TABLE console_users ADD COLUMN inbox_seen_at TEXT');
}

interface UserRow {
  id: string;
  org_id: string;
  email: string;
  role: StaffUser['role'];
  lang: string;
  person_id: string | null;
  password_hash: string | null;
  created_at: string;
  code_hash: string | null;
  code_expires_at: string | null;
  failures: number;
  locked_until: string | null;
  inbox_seen_at: string | null;
}

interface SessionRow {
  id_hash: string;
  org_id: string | null;
  user_id: string | null;
  pending_user_id: string | null;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

interface KeyRow {
  id: string;
  org_id: string;
  name: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
}

const toUser = (r: UserRow): StaffUser => ({
  id: r.id,
  orgId: r.org_id,
  email: r.email,
  role: r.role,
  lang: r.lang,
  personId: r.person_id,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  inboxSeenAt: r.inbox_seen_at,
});
const toSession = (r: SessionRow): ConsoleSession => ({
  idHash: r.id_hash,
  orgId: r.org_id,
  userId: r.user_id,
  pendingUserId: r.pending_user_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});
const toKey = (r: KeyRow): ApiKey => ({ id: r.id, orgId: r.org_id, name: r.name, hash: r.hash, createdAt: r.created_at, revokedAt: r.revoked_at });
const toState = (r: UserRow | undefined): SignInState => ({
  codeHash: r?.code_hash ?? null,
  codeExpiresAt: r?.code_expires_at ?? null,
  failures: r?.failures ?? 0,
  lockedUntil: r?.locked_until ?? null,
});

/** Console accounts, sessions, the audit log and named API keys in SQLite. */
export function sqliteConsole(db: Database.Database): ConsoleStore {
  const userById = db.prepare<[string], UserRow>('SELECT * FROM console_users WHERE id = ?');
  const userOf = db.prepare<[string, string], UserRow>('SELECT * FROM console_users WHERE org_id = ? AND id = ?');
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM console_users WHERE email = ?');
  const users = db.prepare<[string], UserRow>('SELECT * FROM console_users WHERE org_id = ? ORDER BY created_at, id');
  const insertUser = db.prepare(
    `INSERT INTO console_users (id, org_id, email, role, lang, person_id, password_hash, created_at, inbox_seen_at)
     VALUES (@id, @orgId, @email, @role, @lang, @personId, @passwordHash, @createdAt, @inboxSeenAt)`,
  );
  const deleteUser = db.prepare('DELETE FROM console_users WHERE org_id = ? AND id = ?');
  const setCode = db.prepare('UPDATE console_users SET code_hash = ?, code_expires_at = ? WHERE id = ?');
  const fail = db.prepare('UPDATE console_users SET failures = failures + 1 WHERE id = ?');
  const lock = db.prepare('UPDATE console_users SET failures = 0, locked_until = ?, code_hash = NULL, code_expires_at = NULL WHERE id = ? AND failures >= ?');
  const clear = db.prepare('UPDATE console_users SET failures = 0, locked_until = NULL, code_hash = NULL, code_expires_at = NULL WHERE id = ?');
  const recordFailure = db.transaction((userId: string, lockAfter: number, lockUntil: string) => {
    fail.run(userId);
    lock.run(lockUntil, userId, lockAfter);
    return toState(userById.get(userId));
  });

  const insertSession = db.prepare(
    `INSERT INTO console_sessions (id_hash, org_id, user_id, pending_user_id, csrf_token, created_at, expires_at)
     VALUES (@idHash, @orgId, @userId, @pendingUserId, @csrfToken, @createdAt, @expiresAt)`,
  );
  const session = db.prepare<[string, string], SessionRow>('SELECT * FROM console_sessions WHERE id_hash = ? AND expires_at > ?');
  const setPending = db.prepare('UPDATE console_sessions SET pending_user_id = ? WHERE id_hash = ?');
  const deleteSession = db.prepare('DELETE FROM console_sessions WHERE id_hash = ?');
  const deleteUserSessions = db.prepare('DELETE FROM console_sessions WHERE user_id = ?');
  const userSessions = db.prepare<[string, string], SessionRow>('SELECT * FROM console_sessions WHERE org_id = ? AND user_id = ? ORDER BY created_at');
  const prune = db.prepare('DELETE FROM console_sessions WHERE expires_at <= ?');

  const insertAudit = db.prepare(
    'INSERT INTO console_audit (id, org_id, user_id, action, target, detail, at) VALUES (@id, @orgId, @userId, @action, @target, @detail, @at) ON CONFLICT (id) DO NOTHING',
  );
  const audit = db.prepare<[string, number], AuditEntry>(
    'SELECT id, org_id AS orgId, user_id AS userId, action, target, detail, at FROM console_audit WHERE org_id = ? ORDER BY seq DESC LIMIT ?',
  );

  const insertKey = db.prepare('INSERT INTO api_keys (id, org_id, name, hash, created_at, revoked_at) VALUES (@id, @orgId, @name, @hash, @createdAt, @revokedAt)');
  const keys = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE org_id = ? ORDER BY created_at, id');
  const keyByHash = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL');
  const revokeKey = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL');

  return {
    async createUser(user) {
      try {
        insertUser.run(user);
      } catch (error) {
        throw new ConcurrencyConflictError('a console user with this e-mail', { cause: error });
      }
    },
    async getUser(orgId, id) {
      const row = userOf.get(orgId, id);
      return row ? toUser(row) : null;
    },
    async findUserByEmail(email) {
      const row = byEmail.get(email);
      return row ? toUser(row) : null;
    },
    async findUserById(id) {
      const row = userById.get(id);
      return row ? toUser(row) : null;
    },
    async listUsers(orgId) {
      return users.all(orgId).map(toUser);
    },
    async updateUser(orgId, id, patch: StaffUserPatch) {
      const columns = { role: 'role', lang: 'lang', personId: 'person_id', passwordHash: 'password_hash', inboxSeenAt: 'inbox_seen_at' } as const;
      const sets: string[] = [];
      const params: Record<string, unknown> = { orgId, id };
      for (const [field, column] of Object.entries(columns) as [keyof StaffUserPatch, string][]) {
        if (patch[field] === undefined) continue;
        sets.push(`${column} = @${field}`);
        params[field] = patch[field];
      }
      if (sets.length > 0) db.prepare(`UPDATE console_users SET ${sets.join(', ')} WHERE org_id = @orgId AND id = @id`).run(params);
      const row = userOf.get(orgId, id);
      return row ? toUser(row) : null;
    },
    async deleteUser(orgId, id) {
      // sessions go with the user (ON DELETE CASCADE)
      return deleteUser.run(orgId, id).changes === 1;
    },
    async signInState(userId) {
      return toState(userById.get(userId));
    },
    async setCode(userId, codeHash, expiresAt) {
      setCode.run(codeHash, expiresAt.toISOString(), userId);
    },
    async recordFailure(userId, lockAfter, lockUntil) {
      return recordFailure(userId, lockAfter, lockUntil.toISOString());
    },
    async clearSignIn(userId) {
      clear.run(userId);
    },
    async createSession(s) {
      insertSession.run(s);
    },
    async getSession(idHash, now) {
      const row = session.get(idHash, now.toISOString());
      return row ? toSession(row) : null;
    },
    async setPendingUser(idHash, userId) {
      setPending.run(userId, idHash);
    },
    async deleteSession(idHash) {
      deleteSession.run(idHash);
    },
    async deleteUserSessions(userId) {
      return deleteUserSessions.run(userId).changes;
    },
    async listUserSessions(orgId, userId) {
      return userSessions.all(orgId, userId).map(toSession);
    },
    async pruneSessions(now) {
      return prune.run(now.toISOString()).changes;
    },
    async audit(entry) {
      insertAudit.run(entry);
    },
    async listAudit(orgId, limit) {
      return audit.all(orgId, limit);
    },
    async createApiKey(key) {
      insertKey.run(key);
    },
    async listApiKeys(orgId) {
      return keys.all(orgId).map(toKey);
    },
    async findApiKey(hash) {
      const row = keyByHash.get(hash);
      return row ? toKey(row) : null;
    },
    async revokeApiKey(orgId, id, at) {
      return revokeKey.run(at.toISOString(), orgId, id).changes === 1;
    },
  };
}
