import { createHash, randomBytes, randomInt, randomUUID, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { preferredAddress } from '../../core/pipeline/freshest-address.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { ConsoleSession, StaffRole, StaffUser } from '../../core/ports/console.port.ts';
import type { NewOutboxMessage } from '../../core/ports/outbox.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { codeMessage } from './code-message.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: ScryptOptions) => Promise<Buffer>;

/** How long a sign-in code may be typed. */
export const CODE_TTL_MS = 10 * 60_000;
/** Wrong codes (or passwords) in a row that lock sign-in. */
export const LOCK_AFTER = 10;
/** How long sign-in stays locked after that. */
export const LOCK_MS = 15 * 60_000;
/** A signed-in session's life (a working day); a sign-in form's. */
export const SESSION_MS = 12 * 3_600_000;
const ANONYMOUS_MS = 30 * 60_000;
// OWASP's scrypt parameters (N=2^17, r=8, p=1): 128 MiB and ~0.3 s per hash on this hardware.
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;

/** sha256 of a secret that is long and random (a cookie value, an API key). */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Hashes a password with scrypt (node's own, memory-hard; no native add-on to build). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against {@link hashPassword}'s output, in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(actual, expected);
}

/** What a sign-in step answers: the page to show next. */
export type SignInOutcome = { readonly kind: 'code-sent' } | { readonly kind: 'locked'; readonly until: string } | { readonly kind: 'wrong'; readonly left: number } | { readonly kind: 'signed-in'; readonly cookie: string; readonly user: StaffUser };

/** What the accounts are built from. */
export interface ConsoleAccountsDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Queues messages in the outbox (the sign-in code goes to the person's chat like any message); the CLI, which only invites, has none. */
  readonly send?: (messages: readonly NewOutboxMessage[]) => Promise<void>;
}

/**
 * Console accounts: invitations, sign-in by a code sent to the person's chat (or a password),
 * server-side sessions with their CSRF token, revocation, and the audit log.
 */
export class ConsoleAccounts {
  constructor(private readonly deps: ConsoleAccountsDeps) {}

  /** Invites a staff member (the CLI's console:invite, or an admin in the console). */
  async invite(input: { orgId: string; email: string; role: StaffRole; lang: string; personId: string | null; by: string | null }): Promise<StaffUser> {
    const user: StaffUser = { id: randomUUID(), orgId: input.orgId, email: input.email.trim().toLowerCase(), role: input.role, lang: input.lang, personId: input.personId, passwordHash: null, createdAt: this.deps.clock.now().toISOString(), inboxSeenAt: null };
    await this.deps.store.console.createUser(user);
    await this.record(input.orgId, input.by, 'user.invited', user.id, input.role);
    return user;
  }

  /** A session for a browser that has none yet (its sign-in forms need a CSRF token). */
  async anonymous(): Promise<{ cookie: string; session: ConsoleSession }> {
    return this.newSession(null, null, ANONYMOUS_MS);
  }

  /** The session behind a cookie value, if any and not expired. */
  async session(cookie: string | undefined): Promise<ConsoleSession | null> {
    if (!cookie) return null;
    return this.deps.store.console.getSession(sha256(cookie), this.deps.clock.now());
  }

  /**
   * Sends a sign-in code to the chat of the user with this e-mail. Answers `code-sent` whether
   * or not the e-mail is known (the form must not tell who has an account).
   */
  async requestCode(session: ConsoleSession, email: string): Promise<SignInOutcome> {
    const { store, clock } = this.deps;
    const user = await store.console.findUserByEmail(email.trim().toLowerCase());
    if (!user) return { kind: 'code-sent' };
    const state = await store.console.signInState(user.id);
    if (state.lockedUntil && state.lockedUntil > clock.now().toISOString()) return { kind: 'locked', until: state.lockedUntil };
    const person = user.personId ? await store.people.get(user.personId) : null;
    // The channel the person chose first, else where they last wrote.
    const to = person ? await preferredAddress(person, store) : null;
    await store.console.setPendingUser(session.idHash, user.id);
    if (!person || !to) return { kind: 'code-sent' };
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await store.console.setCode(user.id, sha256(`${user.id}:${code}`), new Date(clock.now().getTime() + CODE_TTL_MS));
    if (!this.deps.send) throw new Error('this process cannot send sign-in codes');
    await this.deps.send([{ id: `console-code:${randomUUID()}`, kind: 'notice', to, reply: { lang: person.lang, message: { type: 'text', text: codeMessage(person.lang, code) } }, inboundAt: null, orgId: user.orgId }]);
    return { kind: 'code-sent' };
  }

  /** Checks the code typed for the user the session asked one for; ten wrong ones lock sign-in. */
  async verifyCode(session: ConsoleSession, code: string): Promise<SignInOutcome> {
    const userId = session.pendingUserId;
    if (!userId) return { kind: 'wrong', left: 0 };
    const state = await this.deps.store.console.signInState(userId);
    const now = this.deps.clock.now().toISOString();
    if (state.lockedUntil && state.lockedUntil > now) return { kind: 'locked', until: state.lockedUntil };
    const fresh = state.codeHash !== null && state.codeExpiresAt !== null && state.codeExpiresAt > now;
    if (fresh && safeEqual(state.codeHash!, sha256(`${userId}:${code.trim()}`))) return this.signIn(session, userId);
    return this.failed(userId);
  }

  /** Signs in with a password, for users who set one; the same lock counts wrong ones. */
  async verifyPassword(session: ConsoleSession, email: string, password: string): Promise<SignInOutcome> {
    const user = await this.deps.store.console.findUserByEmail(email.trim().toLowerCase());
    if (!user?.passwordHash) return { kind: 'wrong', left: LOCK_AFTER };
    const state = await this.deps.store.console.signInState(user.id);
    if (state.lockedUntil && state.lockedUntil > this.deps.clock.now().toISOString()) return { kind: 'locked', until: state.lockedUntil };
    if (await verifyPassword(password, user.passwordHash)) return this.signIn(session, user.id);
    return this.failed(user.id);
  }

  /** Ends one session (sign out). */
  async signOut(session: ConsoleSession): Promise<void> {
    await this.deps.store.console.deleteSession(session.idHash);
  }

  /** Ends every session of a user of this organisation, at once in every process. */
  async revoke(orgId: string, userId: string, by: string | null): Promise<number> {
    const user = await this.deps.store.console.getUser(orgId, userId);
    if (!user) return 0;
    const n = await this.deps.store.console.deleteUserSessions(user.id);
    await this.record(orgId, by, 'sessions.revoked', user.id, String(n));
    return n;
  }

  /** Writes one line of the audit log. */
  async record(orgId: string, userId: string | null, action: string, target: string | null, detail: string | null = null): Promise<void> {
    await this.deps.store.console.audit({ id: randomUUID(), orgId, userId, action, target, detail, at: this.deps.clock.now().toISOString() });
  }

  private async signIn(anonymous: ConsoleSession, userId: string): Promise<SignInOutcome> {
    const { store } = this.deps;
    await store.console.clearSignIn(userId);
    const user = await store.console.findUserById(userId);
    if (!user) return { kind: 'wrong', left: 0 };
    // A new session id at sign-in: a session id planted before (fixation) never becomes signed in.
    await store.console.deleteSession(anonymous.idHash);
    const { cookie } = await this.newSession(user.orgId, user.id, SESSION_MS);
    await this.record(user.orgId, user.id, 'signed-in', user.id);
    return { kind: 'signed-in', cookie, user };
  }

  private async failed(userId: string): Promise<SignInOutcome> {
    const state = await this.deps.store.console.recordFailure(userId, LOCK_AFTER, new Date(this.deps.clock.now().getTime() + LOCK_MS));
    if (state.lockedUntil && state.failures === 0 && state.lockedUntil > this.deps.clock.now().toISOString()) return { kind: 'locked', until: state.lockedUntil };
    return { kind: 'wrong', left: LOCK_AFTER - state.failures };
  }

  private async newSession(orgId: string | null, userId: string | null, ttlMs: number): Promise<{ cookie: string; session: ConsoleSession }> {
    const cookie = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const session: ConsoleSession = {
      idHash: sha256(cookie),
      orgId,
      userId,
      pendingUserId: null,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    await this.deps.store.console.createSession(session);
    // Now and then, not on a timer: expired rows go without another moving part.
    if (Math.random() < 0.05) await this.deps.store.console.pruneSessions(now);
    return { cookie, session };
  }
}

/** Compares two hex digests in constant time. */
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
