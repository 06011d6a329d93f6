import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConcurrencyConflictError, StoreUnavailableError } from '../../core/errors.ts';
import { addressKey, type Address, type ChannelName } from '../../core/messages.ts';
import type { ConversationRecord, ConversationStore, Versioned } from '../../core/ports/conversation-store.port.ts';
import type { PeopleStore, Person, PersonPatch } from '../../core/ports/people.port.ts';
import type { NewOutboxMessage } from '../../core/ports/outbox.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { sqliteBroadcasts, sqliteInbox } from './sqlite-broadcast-stores.ts';
import { ERASE_ADDRESS, sqliteChannelLeases, sqliteOutbox } from './sqlite-outbox.ts';
import { sqliteContacts } from './sqlite-contacts.ts';
import { sqliteHousekeeping } from './sqlite-housekeeping.ts';
import { guardSqlite, translateSqliteError } from './sqlite-errors.ts';
import { GroupCommit } from './sqlite-group-commit.ts';
import { migrate } from './sqlite-schema.ts';
import { sqliteOrganisations } from './sqlite-organisations.ts';
import { sqliteWebchatHistory } from './sqlite-webchat-history.ts';
import { sqliteJobs } from './sqlite-jobs.ts';
import { migrateConsole, sqliteConsole } from './sqlite-console.ts';
import { sqliteExchange } from './sqlite-exchange.ts';
import { sqliteReach, sqliteReceipts, sqliteTranslationCache } from './sqlite-reach.ts';
import { sqliteRelays } from './sqlite-relays.ts';

interface PersonRow {
  id: string;
  role: Person['role'];
  role_status: Person['roleStatus'];
  lang: string;
  first_name: string;
  place: string | null;
  consent: string;
  org_id: string | null;
  subscribed: number;
  channel_order: string;
  created_at: string;
  updated_at: string;
}

/** How the embedded store is opened. */
export interface SqliteStoreOptions {
  /**
   * How long one statement waits for another connection's write lock before it fails with a
   * StoreBusyError (default 100 ms). Why short: better-sqlite3 waits synchronously, so every
   * millisecond here is a millisecond no other request (not even /healthz) is answered.
   */
  readonly busyTimeoutMs?: number;
}

/** Default of {@link SqliteStoreOptions.busyTimeoutMs}. */
export const DEFAULT_BUSY_TIMEOUT_MS = 100;

function openDatabase(file: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Deleted rows are overwritten with zeros: "forget me" must not stay readable in free pages.
    db.pragma('secure_delete = ON');
    const timeout = Math.max(0, Math.round(busyTimeoutMs));
    db.pragma(`busy_timeout = ${timeout}`);
    guardSqlite(db, timeout);
    migrate(db);
    migrateConsole(db);
    // A write probe for readiness, outside the schema: it holds nothing and may come and go.
    db.exec('CREATE TABLE IF NOT EXISTS store_probe (id INTEGER PRIMARY KEY, pad BLOB)');
    return db;
  } catch (error) {
    if (db?.open) db.close();
    const code = (error as { code?: unknown }).code;
    throw new StoreUnavailableError(
      `cannot open the database file ${file} (${typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown error'}): check that DATA_DIR exists and that this user may write to it`,
      'cannot-open',
      { cause: error },
    );
  }
}

/**
 * Opens the embedded store: one SQLite file (WAL, so readers never wait for the writer),
 * created with its schema on first use. `:memory:` works for tests.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store & { readonly db: Database.Database } {
  const db = openDatabase(file, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  const probe = db.transaction(() => {
    // Why a page-sized write: it must need new space (a WAL frame, a page) to notice a full disk.
    db.prepare('INSERT OR REPLACE INTO store_probe (id, pad) VALUES (1, zeroblob(8192))').run();
    db.prepare('DELETE FROM store_probe').run();
  });
  // The writes every message makes (its turn and replies, the reach record) commit in groups;
  // outcomes are already settled in batches, one transaction each.
  const group = new GroupCommit(db);
  const outbox = sqliteOutbox(db, group);
  const jobs = sqliteJobs(db);
  return {
    db,
    conversations: sqliteConversations(db, outbox.enqueueNow, group),
    people: sqlitePeople(db, jobs),
    organisations: sqliteOrganisations(db),
    reach: sqliteReach(db, group),
    receipts: sqliteReceipts(db),
    translations: sqliteTranslationCache(db),
    contacts: sqliteContacts(db),
    broadcasts: sqliteBroadcasts(db),
    outbox,
    leases: sqliteChannelLeases(db),
    inbox: sqliteInbox(db),
    webchat: sqliteWebchatHistory(db),
    housekeeping: sqliteHousekeeping(db),
    jobs,
    console: sqliteConsole(db),
    relays: sqliteRelays(db),
    exchange: sqliteExchange(db),
    ping: async () => {
      probe();
    },
    scrubErased: async () => {
      // secure_delete zeroed the rows in the pages; the WAL still holds older copies of those
      // pages until they are checkpointed into the file and the log is cut to nothing.
      if (file === ':memory:') return;
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (error) {
        throw translateSqliteError(error);
      }
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}

/** The parts of a record stored beside the session: its pending work and its dedupe marks. */
type Work = Omit<ConversationRecord, 'session'>;

function sqliteConversations(db: Database.Database, enqueueNow: (rows: readonly NewOutboxMessage[], at: Date) => string[], group: GroupCommit): ConversationStore {
  const select = db.prepare<[string], { session: string; work: string | null; version: number }>('SELECT session, work, version FROM conversations WHERE key = ?');
  const insert = db.prepare(
    'INSERT INTO conversations (key, session, work, wake_at, version, updated_at) VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (key) DO NOTHING',
  );
  const update = db.prepare('UPDATE conversations SET session = ?, work = ?, wake_at = ?, version = version + 1, updated_at = ? WHERE key = ? AND version = ?');
  const remove = db.prepare('DELETE FROM conversations WHERE key = ?');
  const removeAt = db.prepare('DELETE FROM conversations WHERE key = ? AND version = ?');
  const due = db.prepare<[number, number], { key: string }>('SELECT key FROM conversations WHERE wake_at <= ? ORDER BY wake_at LIMIT ?');
  const saveNow = (key: string, record: ConversationRecord, expected: number | null, wakeAt: Date | null): number => {
    const { session, ...work } = record;
    const json = JSON.stringify(session);
    const updatedAt = session?.updatedAt ?? '';
    const wake = wakeAt?.getTime() ?? null;
    const changes =
      expected === null
        ? insert.run(key, json, JSON.stringify(work), wake, updatedAt).changes
        : update.run(json, JSON.stringify(work), wake, updatedAt, key, expected).changes;
    if (changes !== 1) throw new ConcurrencyConflictError('conversation');
    return expected === null ? 1 : expected + 1;
  };
  // Inside the group commit's transaction: a conflict throws before the rows are inserted, and a
  // failed insert takes the saved session back with it.
  const handOver = (key: string, record: ConversationRecord, expected: number | null, wakeAt: Date | null, rows: readonly NewOutboxMessage[], at: Date) => {
    const version = saveNow(key, record, expected, wakeAt);
    return { version, claimed: enqueueNow(rows, at) };
  };
  return {
    async load(key): Promise<Versioned<ConversationRecord> | null> {
      const row = select.get(key);
      if (!row) return null;
      const work: Partial<Work> = row.work === null ? {} : (JSON.parse(row.work) as Work);
      return {
        value: { session: JSON.parse(row.session) as ConversationRecord['session'], effects: work.effects ?? [], outgoing: work.outgoing ?? [], inputs: work.inputs ?? [], seen: work.seen ?? [] },
        version: row.version,
      };
    },
    save(key, record, expected, wakeAt) {
      return group.run(() => saveNow(key, record, expected, wakeAt));
    },
    saveHandingOver(key, record, expected, wakeAt, rows, at) {
      return group.run(() => handOver(key, record, expected, wakeAt, rows, at));
    },
    async delete(key, expected) {
      if (expected === undefined) remove.run(key);
      else removeAt.run(key, expected);
    },
    async due(now, limit) {
      return due.all(now.getTime(), limit).map((r) => r.key);
    },
  };
}

function sqlitePeople(db: Database.Database, jobs: { eraseInTransaction(personId: string): void }): PeopleStore {
  const byId = db.prepare<[string], PersonRow>('SELECT * FROM people WHERE id = ?');
  const byAddress = db.prepare<[string, string], PersonRow>(
    'SELECT p.* FROM people p JOIN identities i ON i.person_id = p.id WHERE i.channel = ? AND i.address = ?',
  );
  const identitiesOf = db.prepare<[string], { channel: ChannelName; address: string }>(
    'SELECT channel, address FROM identities WHERE person_id = ? ORDER BY rowid',
  );
  const insertPerson = db.prepare(
    `INSERT INTO people (id, role, role_status, lang, first_name, place, consent, org_id, subscribed, created_at, updated_at)
     VALUES (@id, @role, @role_status, @lang, @first_name, @place, @consent, @org_id, @subscribed, @created_at, @updated_at)`,
  );
  const insertIdentity = db.prepare('INSERT INTO identities (channel, address, person_id) VALUES (?, ?, ?)');
  const pending = db.prepare<[], PersonRow>("SELECT * FROM people WHERE role_status = 'pending' ORDER BY created_at, rowid");
  const pendingFor = db.prepare<[string], PersonRow>("SELECT * FROM people WHERE role_status = 'pending' AND org_id = ? ORDER BY created_at, rowid");
  const deleteConversation = db.prepare('DELETE FROM conversations WHERE key = ?');
  const deletePerson = db.prepare('DELETE FROM people WHERE id = ?');
  const deleteReach = db.prepare('DELETE FROM reach WHERE channel = ? AND address = ?');
  // Contacts imported for the same address (never linked to the person) name them too.
  const deleteContactsAt = db.prepare('DELETE FROM contacts WHERE address_channel = ? AND address_id = ?');
  const deleteOutboxAt = db.prepare(ERASE_ADDRESS);
  const deleteWebchatHistory = db.prepare('DELETE FROM webchat_history WHERE user_id = ?');
  const setOrder = db.prepare('UPDATE people SET channel_order = ?, updated_at = ? WHERE id = ?');

  const hydrate = (row: PersonRow | undefined): Person | null =>
    row
      ? {
          id: row.id,
          role: row.role,
          roleStatus: row.role_status,
          lang: row.lang,
          firstName: row.first_name,
          place: row.place === null ? null : (JSON.parse(row.place) as Person['place']),
          consent: JSON.parse(row.consent) as Person['consent'],
          orgId: row.org_id,
          subscribed: row.subscribed === 1,
          identities: identitiesOf.all(row.id).map((i) => ({ channel: i.channel, id: i.address })),
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        }
      : null;

  const create = db.transaction((person: Person) => {
    insertPerson.run({
      id: person.id,
      role: person.role,
      role_status: person.roleStatus,
      lang: person.lang,
      first_name: person.firstName,
      place: person.place === null ? null : JSON.stringify(person.place),
      consent: JSON.stringify(person.consent),
      org_id: person.orgId,
      subscribed: person.subscribed ? 1 : 0,
      created_at: person.createdAt,
      updated_at: person.updatedAt,
    });
    for (const identity of person.identities) insertIdentity.run(identity.channel, identity.id, person.id);
  });

  const erase = db.transaction((id: string): boolean => {
    for (const identity of identitiesOf.all(id)) {
      const key = addressKey({ channel: identity.channel, id: identity.address });
      deleteConversation.run(key);
      deleteReach.run(identity.channel, identity.address);
      deleteContactsAt.run(identity.channel, identity.address);
      deleteOutboxAt.run({ key });
      if (identity.channel === 'webchat') deleteWebchatHistory.run(identity.address);
    }
    // Applications become bare "withdrawn" rows; the profile goes with the person (cascade).
    jobs.eraseInTransaction(id);
    // identities, linked contacts and through them deliveries and inbox entries go with the person (ON DELETE CASCADE)
    return deletePerson.run(id).changes === 1;
  });

  return {
    async findByAddress(address: Address) {
      return hydrate(byAddress.get(address.channel, address.id));
    },
    async get(id) {
      return hydrate(byId.get(id));
    },
    async create(person) {
      try {
        create(person);
      } catch (error) {
        // The same class as every store: someone else created this person (or identity) first.
        throw new ConcurrencyConflictError('the person or one of their identities', { cause: error });
      }
    },
    async update(id, patch: PersonPatch, at) {
      const columns: Record<keyof PersonPatch, [string, (v: never) => unknown]> = {
        role: ['role', (v) => v],
        roleStatus: ['role_status', (v) => v],
        lang: ['lang', (v) => v],
        firstName: ['first_name', (v) => v],
        place: ['place', (v) => (v === null ? null : JSON.stringify(v))],
        orgId: ['org_id', (v) => v],
        subscribed: ['subscribed', (v: boolean) => (v ? 1 : 0)],
      };
      const sets: string[] = ['updated_at = @updated_at'];
      const params: Record<string, unknown> = { id, updated_at: at.toISOString() };
      for (const [field, value] of Object.entries(patch) as [keyof PersonPatch, never][]) {
        if (value === undefined) continue;
        const [column, encode] = columns[field];
        sets.push(`${column} = @${column}`);
        params[column] = encode(value);
      }
      db.prepare(`UPDATE people SET ${sets.join(', ')} WHERE id = @id`).run(params);
      return hydrate(byId.get(id));
    },
    async addIdentity(id, address) {
      insertIdentity.run(address.channel, address.id, id);
    },
    async listPending(orgId) {
      return (orgId === undefined ? pending.all() : pendingFor.all(orgId)).map((row) => hydrate(row)!);
    },
    async channelOrder(id) {
      const row = byId.get(id);
      return row ? (JSON.parse(row.channel_order) as ChannelName[]) : [];
    },
    async setChannelOrder(id, channels, at) {
      return setOrder.run(JSON.stringify(channels), at.toISOString(), id).changes === 1;
    },
    async erase(id) {
      return erase(id);
    },
  };
}
