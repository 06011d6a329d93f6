/** What a console user may do: admins also manage users, API keys and settings. */
export type StaffRole = 'admin' | 'staff';

/** A person who signs in to an organisation's web console. Personal data (the e-mail). */
export interface StaffUser {
  readonly id: string;
  readonly orgId: string;
  /** Lower case; unique across organisations (it is what a person types to sign in). */
  readonly email: string;
  readonly role: StaffRole;
  /** The language the console speaks to them (en, fr, es, ar). */
  readonly lang: string;
  /** The person known in chat, to whose channel sign-in codes are sent. */
  readonly personId: string | null;
  /** scrypt hash of an optional password (`scrypt$N$r$p$salt$hash`), for NGOs that prefer one. */
  readonly passwordHash: string | null;
  readonly createdAt: string;
  /** When they last opened the inbox: replies after it are unread (for them). */
  readonly inboxSeenAt: string | null;
}

/** Fields of a user that change after the invitation. */
export type StaffUserPatch = Partial<Pick<StaffUser, 'role' | 'lang' | 'personId' | 'passwordHash' | 'inboxSeenAt'>>;

/**
 * A browser's session, stored server-side so that it works across processes and a revocation
 * takes effect at once. Before sign-in (`userId` null) it carries only the CSRF token of the
 * sign-in forms and the user a code was sent to.
 */
export interface ConsoleSession {
  /** sha256 of the cookie's value (the value itself is never stored). */
  readonly idHash: string;
  readonly orgId: string | null;
  /** Signed in as this user; null before sign-in. */
  readonly userId: string | null;
  /** The user a sign-in code was sent to, waiting for it (before sign-in). */
  readonly pendingUserId: string | null;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** A sign-in code waiting to be typed, and the wrong guesses so far (stored, so every process counts them). */
export interface SignInState {
  readonly codeHash: string | null;
  readonly codeExpiresAt: string | null;
  readonly failures: number;
  /** No code is accepted (and none is sent) before this time. */
  readonly lockedUntil: string | null;
}

/** One line of the audit log: who did what, on which object (ids only, never people's words). */
export interface AuditEntry {
  readonly id: string;
  readonly orgId: string;
  /** The console user, or null for the CLI or the system. */
  readonly userId: string | null;
  readonly action: string;
  /** What the action was about (a broadcast id, a contact id, a key id). */
  readonly target: string | null;
  readonly detail: string | null;
  readonly at: string;
}

/** A named API key of an organisation, for scripts; only its hash is kept. */
export interface ApiKey {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly hash: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** Console accounts, sessions, sign-in attempts, the audit log and named API keys, scoped by organisation. */
export interface ConsoleStore {
  /** Adds a user; fails with ConcurrencyConflictError when the e-mail is taken. */
  createUser(user: StaffUser): Promise<void>;
  getUser(orgId: string, id: string): Promise<StaffUser | null>;
  findUserByEmail(email: string): Promise<StaffUser | null>;
  /** A user by id alone (a sign-in in progress knows no organisation yet). */
  findUserById(id: string): Promise<StaffUser | null>;
  listUsers(orgId: string): Promise<StaffUser[]>;
  updateUser(orgId: string, id: string, patch: StaffUserPatch): Promise<StaffUser | null>;
  /** Deletes a user, their sessions and sign-in state; false if unknown in this organisation. */
  deleteUser(orgId: string, id: string): Promise<boolean>;

  signInState(userId: string): Promise<SignInState>;
  /** Stores a new code (replacing any) and keeps the failure count. */
  setCode(userId: string, codeHash: string, expiresAt: Date): Promise<void>;
  /** Counts a wrong guess; at `lockAfter` failures locks until `lockUntil` and resets the count. Returns the state after. */
  recordFailure(userId: string, lockAfter: number, lockUntil: Date): Promise<SignInState>;
  /** A right guess: the code is used up and the failures are forgotten. */
  clearSignIn(userId: string): Promise<void>;

  createSession(session: ConsoleSession): Promise<void>;
  /** The session with this id hash, if it exists and has not expired at `now`. */
  getSession(idHash: string, now: Date): Promise<ConsoleSession | null>;
  setPendingUser(idHash: string, userId: string | null): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of a user (revocation); returns how many. */
  deleteUserSessions(userId: string): Promise<number>;
  listUserSessions(orgId: string, userId: string): Promise<ConsoleSession[]>;
  /** Deletes expired sessions; returns how many. */
  pruneSessions(now: Date): Promise<number>;

  audit(entry: AuditEntry): Promise<void>;
  /** The organisation's audit log, newest first. */
  listAudit(orgId: string, limit: number): Promise<AuditEntry[]>;

  createApiKey(key: ApiKey): Promise<void>;
  listApiKeys(orgId: string): Promise<ApiKey[]>;
  /** A key that is not revoked, by its hash. */
  findApiKey(hash: string): Promise<ApiKey | null>;
  revokeApiKey(orgId: string, id: string, at: Date): Promise<boolean>;
}
