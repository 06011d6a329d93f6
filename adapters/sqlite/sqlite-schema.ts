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
  `
  ALTER TABLE organisations ADD COLUMN api_key_hash TEXT;
  ALTER TABLE organisations ADD COLUMN telegram_channel_id TEXT;
  ALTER TABLE organisations ADD COLUMN staff_chat_id TEXT;
  ALTER TABLE organisations ADD COLUMN link_code TEXT;
  ALTER TABLE organisations ADD COLUMN glossary TEXT NOT NULL DEFAULT '{}';
  CREATE UNIQUE INDEX organisations_api_key ON organisations(api_key_hash) WHERE api_key_hash IS NOT NULL;
  CREATE UNIQUE INDEX organisations_channel ON organisations(telegram_channel_id) WHERE telegram_channel_id IS NOT NULL;
  CREATE UNIQUE INDEX organisations_link_code ON organisations(link_code) WHERE link_code IS NOT NULL;
  CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    person_id TEXT REFERENCES people(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    phone TEXT,
    lang TEXT NOT NULL,
    channel TEXT NOT NULL,
    address_channel TEXT,
    address_id TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL,
    subscribed INTEGER NOT NULL DEFAULT 1,
    unreachable TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX contacts_org_phone ON contacts(org_id, phone) WHERE phone IS NOT NULL;
  CREATE UNIQUE INDEX contacts_org_address ON contacts(org_id, address_channel, address_id) WHERE address_id IS NOT NULL;
  CREATE INDEX contacts_address ON contacts(address_channel, address_id);
  CREATE INDEX contacts_person ON contacts(person_id);
  CREATE TABLE broadcasts (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    text TEXT NOT NULL,
    source_lang TEXT,
    audience TEXT NOT NULL,
    origin TEXT NOT NULL,
    status TEXT NOT NULL,
    scheduled_at TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX broadcasts_due ON broadcasts(status, scheduled_at);
  CREATE INDEX broadcasts_org ON broadcasts(org_id, created_at);
  CREATE TABLE broadcast_translations (
    broadcast_id TEXT NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (broadcast_id, lang)
  );
  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    broadcast_id TEXT NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    address_channel TEXT,
    address_id TEXT,
    lang TEXT NOT NULL,
    first_name TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    reason TEXT,
    platform_message_id TEXT,
    final INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    UNIQUE (broadcast_id, contact_id)
  );
  CREATE INDEX deliveries_claim ON deliveries(channel, status, next_attempt_at);
  CREATE INDEX deliveries_broadcast ON deliveries(broadcast_id, status);
  CREATE INDEX deliveries_address ON deliveries(address_channel, address_id, status, updated_at);
  CREATE TABLE inbox (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    direction TEXT NOT NULL,
    broadcast_id TEXT,
    text TEXT NOT NULL,
    lang TEXT,
    translated_text TEXT,
    translated_lang TEXT,
    at TEXT NOT NULL
  );
  CREATE INDEX inbox_org ON inbox(org_id, at);
  `,
  `
  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    lane TEXT NOT NULL,
    broadcast_id TEXT REFERENCES broadcasts(id) ON DELETE CASCADE,
    org_id TEXT,
    contact_id TEXT REFERENCES contacts(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    address_channel TEXT,
    address_id TEXT,
    address_key TEXT,
    lang TEXT NOT NULL,
    first_name TEXT NOT NULL DEFAULT '',
    payload TEXT,
    inbound_at INTEGER,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    parts_sent INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    expires_at INTEGER,
    reason TEXT,
    platform_message_id TEXT,
    final INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    UNIQUE (broadcast_id, contact_id)
  );
  INSERT INTO outbox (id, kind, lane, broadcast_id, org_id, contact_id, channel, address_channel, address_id, address_key, lang, first_name,
                      status, attempts, next_attempt_at, lease_until, reason, platform_message_id, updated_at)
    SELECT id, 'broadcast', 'bulk', broadcast_id, org_id, contact_id, channel, address_channel, address_id,
           CASE WHEN address_id IS NULL THEN NULL ELSE address_channel || ':' || address_id END, lang, first_name,
           status, attempts, next_attempt_at, lease_until, reason, platform_message_id, updated_at
    FROM deliveries;
  DROP TABLE deliveries;
  -- Partial indexes: a reply is inserted, sent and deleted within a moment, and every index it
  -- touches costs pages written; each index holds only the rows its queries look for.
  CREATE INDEX outbox_claim ON outbox(channel, lane, next_attempt_at) WHERE status = 'pending';
  CREATE INDEX outbox_lease ON outbox(channel, lane, lease_until) WHERE status = 'sending';
  CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status) WHERE broadcast_id IS NOT NULL;
  CREATE INDEX outbox_person ON outbox(address_key, status);
  CREATE INDEX outbox_sent_to ON outbox(address_channel, address_id, updated_at) WHERE lane = 'bulk' AND status = 'sent';
  CREATE INDEX outbox_held ON outbox(expires_at) WHERE status = 'held';
  CREATE INDEX outbox_org_held ON outbox(org_id) WHERE status = 'held';
  CREATE TABLE channel_leases (
    channel TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until INTEGER NOT NULL
  );
  ALTER TABLE conversations ADD COLUMN work TEXT;
  ALTER TABLE conversations ADD COLUMN wake_at INTEGER;
  CREATE INDEX conversations_wake ON conversations(wake_at) WHERE wake_at IS NOT NULL;
  DROP TABLE inbound_ledger;
  `,
  // The web chat's history: the cursor is the row id, so it grows with every entry (AUTOINCREMENT
  // never reuses the id of a deleted row, so a page's Last-Event-ID never points at a newer one).
  `
  CREATE TABLE webchat_history (
    cursor INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    entry TEXT NOT NULL
  );
  CREATE INDEX webchat_history_user ON webchat_history(user_id, cursor);
  `,
  // The exchange's posts (issue 10). Nearest-first is a latitude band of a composite index, then
  // haversine on the few candidates; a person's posts and their translations go with them (cascade).
  `
  CREATE TABLE exchange_posts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT,
    lang TEXT NOT NULL,
    in_return TEXT,
    gift INTEGER NOT NULL,
    cell TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    renewed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    remind_at TEXT NOT NULL,
    reminded_at TEXT
  );
  CREATE INDEX exchange_posts_near ON exchange_posts(kind, category, latitude) WHERE status = 'open';
  CREATE INDEX exchange_posts_near_all ON exchange_posts(kind, latitude) WHERE status = 'open';
  CREATE INDEX exchange_posts_person ON exchange_posts(person_id, created_at);
  CREATE INDEX exchange_posts_remind ON exchange_posts(remind_at) WHERE status = 'open' AND reminded_at IS NULL;
  CREATE INDEX exchange_posts_expires ON exchange_posts(expires_at);
  CREATE TABLE exchange_post_translations (
    post_id TEXT NOT NULL REFERENCES exchange_posts(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (post_id, lang)
  );
  `,
  // A row that fell back to another channel of its person keeps where it was first meant to go.
  `
  ALTER TABLE outbox ADD COLUMN fallback_from TEXT;
  `,
  // Jobs (issue 11): JSON documents, with the few columns matching filters on beside them.
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    occupation_id TEXT,
    latitude REAL,
    longitude REAL,
    remote INTEGER NOT NULL,
    closes_at TEXT NOT NULL,
    closed_at TEXT,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX jobs_org ON jobs(org_id, created_at);
  CREATE INDEX jobs_open ON jobs(latitude, longitude) WHERE status = 'open';
  CREATE INDEX jobs_closed ON jobs(closed_at) WHERE status = 'closed';
  CREATE TABLE job_profiles (
    person_id TEXT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    visible INTEGER NOT NULL,
    alerts INTEGER NOT NULL,
    latitude REAL,
    longitude REAL,
    last_alert_at TEXT,
    doc TEXT NOT NULL
  );
  CREATE INDEX job_profiles_alerts ON job_profiles(latitude, longitude) WHERE visible = 1 AND alerts = 1;
  CREATE TABLE job_applications (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    person_id TEXT,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE UNIQUE INDEX job_applications_once ON job_applications(job_id, person_id) WHERE person_id IS NOT NULL;
  CREATE INDEX job_applications_job ON job_applications(job_id, created_at);
  CREATE INDEX job_applications_person ON job_applications(person_id);
  `,
  // Longitude in the exchange's indexes: the box is then cut in the index, and only the rows
  // inside it are read (the "all categories" search read every row of the latitude band).
  `
  DROP INDEX exchange_posts_near;
  DROP INDEX exchange_posts_near_all;
  CREATE INDEX exchange_posts_near ON exchange_posts(kind, category, latitude, longitude) WHERE status = 'open';
  CREATE INDEX exchange_posts_near_all ON exchange_posts(kind, latitude, longitude) WHERE status = 'open';
  `,
  // The person's own channel order (JSON array of channel names): a column of the person, so it
  // goes with their row when they are forgotten.
  `
  ALTER TABLE people ADD COLUMN channel_order TEXT NOT NULL DEFAULT '[]';
  `,
  // A person's rows by lane. Why: the (address_key, status) index changed twice for every
  // broadcast row sent (claimed, then sent), and only replies are looked up by person and status
  // (the order a person's messages keep). Broadcast rows are found by person only to erase them
  // (an index without status: claiming and settling leave it alone); held rows of both lanes
  // to release them when the person writes again.
  `
  DROP INDEX outbox_person;
  CREATE INDEX outbox_person ON outbox(address_key, status) WHERE lane = 'interactive';
  CREATE INDEX outbox_bulk_person ON outbox(address_key) WHERE lane = 'bulk';
  CREATE INDEX outbox_held_person ON outbox(address_key) WHERE status = 'held';
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
