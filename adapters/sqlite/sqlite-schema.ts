import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order and recorded in `user_version`. Append only: a database
 * created by an older release is brought up to date at start-up.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    key TEXT PRIMARY KEY,
    session TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE inbound_ledger (
    hash TEXT PRIMARY KEY,
    at INTEGER NOT NULL
  );
  CREATE INDEX inbound_ledger_at ON inbound_ledger(at);
  CREATE TABLE people (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    role_status TEXT NOT NULL,
    lang TEXT NOT NULL,
    first_name TEXT NOT NULL,
    place TEXT,
    consent TEXT NOT NULL,
    org_id TEXT,
    subscribed INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX people_pending ON people(role_status, created_at);
  CREATE TABLE identities (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (channel, address)
  );
  CREATE INDEX identities_person ON identities(person_id);
  CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE reach (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    last_inbound_at INTEGER NOT NULL,
    reference TEXT,
    PRIMARY KEY (channel, address)
  );
  CREATE TABLE receipts (
    channel TEXT NOT NULL,
    platform_message_id TEXT NOT NULL,
    status TEXT NOT NULL,
    rank INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (channel, platform_message_id)
  );
  `,
  `
  CREATE TABLE translation_cache (
    key TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
];

/** Brings the database schema to the latest version. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
