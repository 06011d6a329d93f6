import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Session } from '../../core/dialog/session.ts';
import { ConcurrencyConflictError } from '../../core/errors.ts';
import { addressKey, type Address, type ChannelName } from '../../core/messages.ts';
import type { ConversationStore, InboundLedger, Versioned } from '../../core/ports/conversation-store.port.ts';
import type { Organisation, OrganisationPatch, OrganisationStore, PeopleStore, Person, PersonPatch } from '../../core/ports/people.port.ts';
import type { ReachStore, ReceiptStatus, ReceiptStore } from '../../core/ports/reach.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { TranslationCache } from '../../core/ports/translator.port.ts';
import type { JsonObject } from '../../core/dialog/json.ts';
import { sqliteBroadcasts, sqliteInbox, sqliteOutbox } from './sqlite-broadcast-stores.ts';
import { sqliteContacts } from './sqlite-contacts.ts';
import { migrate } from './sqlite-schema.ts';

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
  created_at: string;
  updated_at: string;
}

/** Opaque ledger key: the record of a processed message names nobody. */
export function ledgerHash(channel: string, messageId: string): string {
  return createHash('sha256').update(`${channel}\u0000${messageId}`).digest('hex');
}

/**
 * Opens the embedded store: one SQLite file (WAL, so readers never wait for the writer),
 * created with its schema on first use. `:memory:` works for tests.
 */
export function openSqliteStore(file: string): Store & { readonly db: Database.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return {
    db,
    conversations: sqliteConversations(db),
    ledger: sqliteLedger(db),
    people: sqlitePeople(db),
    organisations: sqliteOrganisations(db),
    reach: sqliteReach(db),
    receipts: sqliteReceipts(db),
    translations: sqliteTranslationCache(db),
    contacts: sqliteContacts(db),
    broadcasts: sqliteBroadcasts(db),
    outbox: sqliteOutbox(db),
    inbox: sqliteInbox(db),
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}

function sqliteConversations(db: Database.Database): ConversationStore {
  const select = db.prepare<[string], { session: string; version: number }>('SELECT session, version FROM conversations WHERE key = ?');
  const insert = db.prepare('INSERT INTO conversations (key, session, version, updated_at) VALUES (?, ?, 1, ?) ON CONFLICT (key) DO NOTHING');
  const update = db.prepare('UPDATE conversations SET session = ?, version = version + 1, updated_at = ? WHERE key = ? AND version = ?');
  const remove = db.prepare('DELETE FROM conversations WHERE key = ?');
  return {
    async load(key): Promise<Versioned<Session> | null> {
      const row = select.get(key);
      return row ? { value: JSON.parse(row.session) as Session, version: row.version } : null;
    },
    async save(key, session, expected) {
      const json = JSON.stringify(session);
      const changes =
        expected === null ? insert.run(key, json, session.updatedAt).changes : update.run(json, session.updatedAt, key, expected).changes;
      if (changes !== 1) throw new ConcurrencyConflictError('conversation');
      return expected === null ? 1 : expected + 1;
    },
    async delete(key) {
      remove.run(key);
    },
  };
}

function sqliteLedger(db: Database.Database): InboundLedger {
  const insert = db.prepare('INSERT INTO inbound_ledger (hash, at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING');
  const prune = db.prepare('DELETE FROM inbound_ledger WHERE at < ?');
  return {
    async claim(channel, messageId, at) {
      return insert.run(ledgerHash(channel, messageId), at.getTime()).changes === 1;
    },
    async prune(before) {
      return prune.run(before.getTime()).changes;
    },
  };
}

function sqlitePeople(db: Database.Database): PeopleStore {
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
  const deleteConversation = db.prepare('DELETE FROM conversations WHERE key = ?');
  const deletePerson = db.prepare('DELETE FROM people WHERE id = ?');
  const deleteReach = db.prepare('DELETE FROM reach WHERE channel = ? AND address = ?');
  // Contacts imported for the same address (never linked to the person) name them too.
  const deleteContactsAt = db.prepare('DELETE FROM contacts WHERE address_channel = ? AND address_id = ?');

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
      deleteConversation.run(addressKey({ channel: identity.channel, id: identity.address }));
      deleteReach.run(identity.channel, identity.address);
      deleteContactsAt.run(identity.channel, identity.address);
    }
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
        throw new Error('could not create person: an identity or id is already taken', { cause: error });
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
    async listPending() {
      return pending.all().map((row) => hydrate(row)!);
    },
    async erase(id) {
      return erase(id);
    },
  };
}

function sqliteOrganisations(db: Database.Database): OrganisationStore {
  interface OrgRow {
    id: string;
    name: string;
    code: string;
    lang: string;
    created_at: string;
    api_key_hash: string | null;
    telegram_channel_id: string | null;
    staff_chat_id: string | null;
    link_code: string | null;
    glossary: string;
  }
  const hydrate = (row: OrgRow | undefined): Organisation | null =>
    row
      ? {
          id: row.id,
          name: row.name,
          code: row.code,
          lang: row.lang,
          createdAt: row.created_at,
          apiKeyHash: row.api_key_hash,
          telegramChannelId: row.telegram_channel_id,
          staffChatId: row.staff_chat_id,
          linkCode: row.link_code,
          glossary: JSON.parse(row.glossary) as Organisation['glossary'],
        }
      : null;
  const insert = db.prepare(
    `INSERT INTO organisations (id, name, code, lang, created_at, api_key_hash, telegram_channel_id, staff_chat_id, link_code, glossary)
     VALUES (@id, @name, @code, @lang, @created_at, @api_key_hash, @telegram_channel_id, @staff_chat_id, @link_code, @glossary)`,
  );
  const by = (column: string) => db.prepare<[string], OrgRow>(`SELECT * FROM organisations WHERE ${column} = ?`);
  const byId = by('id');
  const byCode = by('code');
  const byKey = by('api_key_hash');
  const byChannel = by('telegram_channel_id');
  const byLinkCode = by('link_code');
  const all = db.prepare<[], OrgRow>('SELECT * FROM organisations ORDER BY created_at, rowid');
  const columns: Record<keyof OrganisationPatch, string> = {
    name: 'name',
    lang: 'lang',
    apiKeyHash: 'api_key_hash',
    telegramChannelId: 'telegram_channel_id',
    staffChatId: 'staff_chat_id',
    linkCode: 'link_code',
    glossary: 'glossary',
  };
  return {
    async create(org) {
      try {
        insert.run({
          id: org.id,
          name: org.name,
          code: org.code.toLowerCase(),
          lang: org.lang,
          created_at: org.createdAt,
          api_key_hash: org.apiKeyHash,
          telegram_channel_id: org.telegramChannelId,
          staff_chat_id: org.staffChatId,
          link_code: org.linkCode,
          glossary: JSON.stringify(org.glossary),
        });
      } catch (error) {
        throw new Error('could not create organisation: its code or id is already taken', { cause: error });
      }
    },
    async get(id) {
      return hydrate(byId.get(id));
    },
    async findByCode(code) {
      return hydrate(byCode.get(code.toLowerCase()));
    },
    async list() {
      return all.all().map((row) => hydrate(row)!);
    },
    async update(id, patch) {
      const sets: string[] = [];
      const params: Record<string, unknown> = { id };
      for (const [field, value] of Object.entries(patch) as [keyof OrganisationPatch, unknown][]) {
        if (value === undefined) continue;
        const column = columns[field];
        sets.push(`${column} = @${column}`);
        params[column] = field === 'glossary' ? JSON.stringify(value) : value;
      }
      if (sets.length > 0) {
        try {
          db.prepare(`UPDATE organisations SET ${sets.join(', ')} WHERE id = @id`).run(params);
        } catch (error) {
          throw new Error('could not update organisation: a unique value is already taken', { cause: error });
        }
      }
      return hydrate(byId.get(id));
    },
    async findByApiKeyHash(hash) {
      return hydrate(byKey.get(hash));
    },
    async findByTelegramChannel(chatId) {
      return hydrate(byChannel.get(chatId));
    },
    async findByLinkCode(code) {
      return hydrate(byLinkCode.get(code));
    },
  };
}

function sqliteReach(db: Database.Database): ReachStore {
  const upsert = db.prepare(
    `INSERT INTO reach (channel, address, last_inbound_at, reference) VALUES (?, ?, ?, ?)
     ON CONFLICT (channel, address) DO UPDATE SET last_inbound_at = excluded.last_inbound_at,
       reference = COALESCE(excluded.reference, reach.reference)`,
  );
  const select = db.prepare<[string, string], { last_inbound_at: number; reference: string | null }>(
    'SELECT last_inbound_at, reference FROM reach WHERE channel = ? AND address = ?',
  );
  const remove = db.prepare('DELETE FROM reach WHERE channel = ? AND address = ?');
  return {
    async forget(address) {
      remove.run(address.channel, address.id);
    },
    async recordInbound(address, at, reference) {
      upsert.run(address.channel, address.id, at.getTime(), reference === null ? null : JSON.stringify(reference));
    },
    async get(address) {
      const row = select.get(address.channel, address.id);
      return row
        ? { lastInboundAt: new Date(row.last_inbound_at), reference: row.reference === null ? null : (JSON.parse(row.reference) as JsonObject) }
        : null;
    },
  };
}

/** Why ranks: platforms may report "delivered" after "read"; a state never goes backwards. */
const RECEIPT_RANK: Record<ReceiptStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

function sqliteReceipts(db: Database.Database): ReceiptStore {
  const upsert = db.prepare(
    `INSERT INTO receipts (channel, platform_message_id, status, rank, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (channel, platform_message_id) DO UPDATE SET status = excluded.status, rank = excluded.rank, at = excluded.at
     WHERE excluded.rank >= receipts.rank`,
  );
  const select = db.prepare<[string, string], { status: ReceiptStatus; at: number }>(
    'SELECT status, at FROM receipts WHERE channel = ? AND platform_message_id = ?',
  );
  return {
    async record(channel, platformMessageId, status, at) {
      upsert.run(channel, platformMessageId, status, RECEIPT_RANK[status], at.getTime());
    },
    async get(channel, platformMessageId) {
      const row = select.get(channel, platformMessageId);
      return row ? { status: row.status, at: new Date(row.at) } : null;
    },
  };
}

function sqliteTranslationCache(db: Database.Database): TranslationCache {
  const upsert = db.prepare('INSERT INTO translation_cache (key, text, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING');
  return {
    async getMany(keys) {
      const found = new Map<string, string>();
      // Why chunks: SQLite limits bound parameters per statement.
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500);
        const rows = db
          .prepare<string[], { key: string; text: string }>(`SELECT key, text FROM translation_cache WHERE key IN (${chunk.map(() => '?').join(',')})`)
          .all(...chunk);
        for (const row of rows) found.set(row.key, row.text);
      }
      return found;
    },
    async putMany(entries, at) {
      db.transaction(() => {
        for (const [key, text] of entries) upsert.run(key, text, at.getTime());
      })();
    },
  };
}
