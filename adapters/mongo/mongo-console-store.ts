import type { Collection, Db } from 'mongodb';
import { ConcurrencyConflictError } from '../../core/errors.ts';
import type { ApiKey, AuditEntry, ConsoleSession, ConsoleStore, SignInState, StaffUser, StaffUserPatch } from '../../core/ports/console.port.ts';
import { guarded, isDuplicateKey, storeFailure } from './mongo-errors.ts';

interface UserDoc extends Omit<StaffUser, 'id'> {
  _id: string;
  codeHash: string | null;
  codeExpiresAt: string | null;
  failures: number;
  lockedUntil: string | null;
}
interface SessionDoc extends Omit<ConsoleSession, 'idHash'> {
  _id: string;
}
interface AuditDoc extends Omit<AuditEntry, 'id'> {
  _id: string;
  seq: number;
}
interface KeyDoc extends Omit<ApiKey, 'id'> {
  _id: string;
}

const toUser = ({ _id, orgId, email, role, lang, personId, passwordHash, createdAt, inboxSeenAt }: UserDoc): StaffUser => ({
  id: _id,
  orgId,
  email,
  role,
  lang,
  personId,
  passwordHash,
  createdAt,
  inboxSeenAt: inboxSeenAt ?? null,
});
const toSession = ({ _id, orgId, userId, pendingUserId, csrfToken, createdAt, expiresAt }: SessionDoc): ConsoleSession => ({
  idHash: _id,
  orgId,
  userId,
  pendingUserId,
  csrfToken,
  createdAt,
  expiresAt,
});
const toKey = ({ _id, orgId, name, hash, createdAt, revokedAt }: KeyDoc): ApiKey => ({ id: _id, orgId, name, hash, createdAt, revokedAt });
const toState = (doc: UserDoc | null): SignInState => ({
  codeHash: doc?.codeHash ?? null,
  codeExpiresAt: doc?.codeExpiresAt ?? null,
  failures: doc?.failures ?? 0,
  lockedUntil: doc?.lockedUntil ?? null,
});

/** The console's collections and their indexes (idempotent, run at every start-up). */
export async function openMongoConsole(db: Db): Promise<ConsoleStore> {
  const users = db.collection<UserDoc>('console_users');
  const sessions = db.collection<SessionDoc>('console_sessions');
  const audit = db.collection<AuditDoc>('console_audit');
  const keys = db.collection<KeyDoc>('api_keys');
  await Promise.all([
    users.createIndex({ email: 1 }, { name: 'email_unique', unique: true }),
    users.createIndex({ orgId: 1, createdAt: 1 }, { name: 'org' }),
    sessions.createIndex({ userId: 1 }, { name: 'user' }),
    sessions.createIndex({ expiresAt: 1 }, { name: 'expiry' }),
    audit.createIndex({ orgId: 1, seq: -1 }, { name: 'org_seq' }),
    keys.createIndex({ hash: 1 }, { name: 'hash_unique', unique: true }),
    keys.createIndex({ orgId: 1, createdAt: 1 }, { name: 'org' }),
  ]);
  return new MongoConsoleStore(users, sessions, audit, keys);
}

/** Console accounts, sessions, the audit log and named API keys in MongoDB (the SQLite store's behaviour). */
class MongoConsoleStore implements ConsoleStore {
  constructor(
    private readonly users: Collection<UserDoc>,
    private readonly sessions: Collection<SessionDoc>,
    private readonly auditLog: Collection<AuditDoc>,
    private readonly keys: Collection<KeyDoc>,
  ) {}

  async createUser(user: StaffUser): Promise<void> {
    const { id, ...rest } = user;
    try {
      await this.users.insertOne({ _id: id, ...rest, codeHash: null, codeExpiresAt: null, failures: 0, lockedUntil: null });
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConcurrencyConflictError('a console user with this e-mail', { cause: error });
      throw storeFailure('console user create', error);
    }
  }

  async getUser(orgId: string, id: string): Promise<StaffUser | null> {
    const doc = await guarded('console user', () => this.users.findOne({ _id: id, orgId }));
    return doc ? toUser(doc) : null;
  }

  async findUserByEmail(email: string): Promise<StaffUser | null> {
    const doc = await guarded('console user', () => this.users.findOne({ email }));
    return doc ? toUser(doc) : null;
  }

  async findUserById(id: string): Promise<StaffUser | null> {
    const doc = await guarded('console user', () => this.users.findOne({ _id: id }));
    return doc ? toUser(doc) : null;
  }

  async listUsers(orgId: string): Promise<StaffUser[]> {
    return (await guarded('console users', () => this.users.find({ orgId }).sort({ createdAt: 1, _id: 1 }).toArray())).map(toUser);
  }

  async updateUser(orgId: string, id: string, patch: StaffUserPatch): Promise<StaffUser | null> {
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const doc = await guarded('console user update', () =>
      Object.keys(set).length === 0 ? this.users.findOne({ _id: id, orgId }) : this.users.findOneAndUpdate({ _id: id, orgId }, { $set: set }, { returnDocument: 'after' }),
    );
    return doc ? toUser(doc) : null;
  }

  async deleteUser(orgId: string, id: string): Promise<boolean> {
    return guarded('console user delete', async () => {
      const { deletedCount } = await this.users.deleteOne({ _id: id, orgId });
      if (deletedCount === 0) return false;
      // What SQLite's foreign keys do: sessions go, a pending sign-in forgets the user.
      await this.sessions.deleteMany({ userId: id });
      await this.sessions.updateMany({ pendingUserId: id }, { $set: { pendingUserId: null } });
      return true;
    });
  }

  async signInState(userId: string): Promise<SignInState> {
    return toState(await guarded('sign-in state', () => this.users.findOne({ _id: userId })));
  }

  async setCode(userId: string, codeHash: string, expiresAt: Date): Promise<void> {
    await guarded('sign-in code', () => this.users.updateOne({ _id: userId }, { $set: { codeHash, codeExpiresAt: expiresAt.toISOString() } }));
  }

  async recordFailure(userId: string, lockAfter: number, lockUntil: Date): Promise<SignInState> {
    return guarded('sign-in failure', async () => {
      // Why one atomic increment, then a conditional lock: two processes counting at once still reach the limit once.
      await this.users.updateOne({ _id: userId }, { $inc: { failures: 1 } });
      await this.users.updateOne(
        { _id: userId, failures: { $gte: lockAfter } },
        { $set: { failures: 0, lockedUntil: lockUntil.toISOString(), codeHash: null, codeExpiresAt: null } },
      );
      return toState(await this.users.findOne({ _id: userId }));
    });
  }

  async clearSignIn(userId: string): Promise<void> {
    await guarded('sign-in clear', () => this.users.updateOne({ _id: userId }, { $set: { failures: 0, lockedUntil: null, codeHash: null, codeExpiresAt: null } }));
  }

  async createSession(session: ConsoleSession): Promise<void> {
    const { idHash, ...rest } = session;
    await guarded('console session', () => this.sessions.insertOne({ _id: idHash, ...rest }));
  }

  async getSession(idHash: string, now: Date): Promise<ConsoleSession | null> {
    const doc = await guarded('console session', () => this.sessions.findOne({ _id: idHash, expiresAt: { $gt: now.toISOString() } }));
    return doc ? toSession(doc) : null;
  }

  async setPendingUser(idHash: string, userId: string | null): Promise<void> {
    await guarded('console session', () => this.sessions.updateOne({ _id: idHash }, { $set: { pendingUserId: userId } }));
  }

  async deleteSession(idHash: string): Promise<void> {
    await guarded('console session', () => this.sessions.deleteOne({ _id: idHash }));
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return (await guarded('console sessions', () => this.sessions.deleteMany({ userId }))).deletedCount;
  }

  async listUserSessions(orgId: string, userId: string): Promise<ConsoleSession[]> {
    return (await guarded('console sessions', () => this.sessions.find({ orgId, userId }).sort({ createdAt: 1 }).toArray())).map(toSession);
  }

  async pruneSessions(now: Date): Promise<number> {
    return (await guarded('console sessions', () => this.sessions.deleteMany({ expiresAt: { $lte: now.toISOString() } }))).deletedCount;
  }

  async audit(entry: AuditEntry): Promise<void> {
    const { id, ...rest } = entry;
    // The order of the log is the order of writes, as SQLite's AUTOINCREMENT gives it.
    const seq = Date.now() * 1000 + Math.floor(Math.random() * 1000);
    try {
      await this.auditLog.insertOne({ _id: id, ...rest, seq });
    } catch (error) {
      if (!isDuplicateKey(error)) throw storeFailure('audit', error);
    }
  }

  async listAudit(orgId: string, limit: number): Promise<AuditEntry[]> {
    const docs = await guarded('audit', () => this.auditLog.find({ orgId }).sort({ seq: -1 }).limit(limit).toArray());
    return docs.map(({ _id, orgId: o, userId, action, target, detail, at }) => ({ id: _id, orgId: o, userId, action, target, detail, at }));
  }

  async createApiKey(key: ApiKey): Promise<void> {
    const { id, ...rest } = key;
    await guarded('api key', () => this.keys.insertOne({ _id: id, ...rest }));
  }

  async listApiKeys(orgId: string): Promise<ApiKey[]> {
    return (await guarded('api keys', () => this.keys.find({ orgId }).sort({ createdAt: 1, _id: 1 }).toArray())).map(toKey);
  }

  async findApiKey(hash: string): Promise<ApiKey | null> {
    const doc = await guarded('api key', () => this.keys.findOne({ hash, revokedAt: null }));
    return doc ? toKey(doc) : null;
  }

  async revokeApiKey(orgId: string, id: string, at: Date): Promise<boolean> {
    const { modifiedCount } = await guarded('api key', () => this.keys.updateOne({ _id: id, orgId, revokedAt: null }, { $set: { revokedAt: at.toISOString() } }));
    return modifiedCount === 1;
  }
}
