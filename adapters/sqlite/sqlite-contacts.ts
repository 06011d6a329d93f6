import type Database from 'better-sqlite3';
import type { Address, ChannelName } from '../../core/messages.ts';
import type { Audience, Contact, ContactStore } from '../../core/ports/contacts.port.ts';

interface ContactRow {
  id: string;
  org_id: string;
  person_id: string | null;
  first_name: string;
  phone: string | null;
  lang: string;
  channel: ChannelName;
  address_channel: ChannelName | null;
  address_id: string | null;
  tags: string;
  source: Contact['source'];
  subscribed: number;
  unreachable: string | null;
  created_at: string;
  updated_at: string;
}

function hydrate(row: ContactRow): Contact {
  return {
    id: row.id,
    orgId: row.org_id,
    personId: row.person_id,
    firstName: row.first_name,
    phone: row.phone,
    lang: row.lang,
    channel: row.channel,
    address: row.address_channel && row.address_id ? { channel: row.address_channel, id: row.address_id } : null,
    tags: JSON.parse(row.tags) as string[],
    source: row.source,
    subscribed: row.subscribed === 1,
    unreachable: row.unreachable,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * SQL condition (on alias `c`) selecting an audience's subscribed, reachable contacts.
 * Tags are a JSON array per contact; `json_each` matches any of the wanted tags.
 */
export function audienceCondition(audience: Audience): { sql: string; params: string[] } {
  const marks = (values: readonly string[]) => values.map(() => '?').join(',');
  const parts = ['c.org_id = ? AND c.subscribed = 1 AND c.unreachable IS NULL'];
  const params: string[] = [];
  if (audience.type === 'tags') {
    parts.push(`EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE t.value IN (${marks(audience.tags)}))`);
    params.push(...audience.tags);
  }
  // Every statement using this joins `people p`: the person's own language wins, as in the rows made.
  if (audience.langs) {
    parts.push(`COALESCE(p.lang, c.lang) IN (${marks(audience.langs)})`);
    params.push(...audience.langs);
  }
  if (audience.channels) {
    parts.push(`c.channel IN (${marks(audience.channels)})`);
    params.push(...audience.channels);
  }
  return { sql: parts.join(' AND '), params };
}

/** The columns of a contact row, as the insert and update statements name them. */
function columnsOf(
  orgId: string,
  c: Pick<Contact, 'personId' | 'firstName' | 'phone' | 'lang' | 'channel' | 'address' | 'tags'>,
  source: Contact['source'],
  at: string,
) {
  return {
    org_id: orgId,
    person_id: c.personId,
    first_name: c.firstName,
    phone: c.phone,
    lang: c.lang,
    channel: c.channel,
    address_channel: c.address?.channel ?? null,
    address_id: c.address?.id ?? null,
    tags: JSON.stringify(c.tags),
    source,
    at,
  };
}

/** Contacts in SQLite; every query is scoped by organisation except the by-address ones. */
export function sqliteContacts(db: Database.Database): ContactStore {
  const byPhone = db.prepare<[string, string], ContactRow>('SELECT * FROM contacts WHERE org_id = ? AND phone = ?');
  const byOrgAddress = db.prepare<[string, string, string], ContactRow>(
    'SELECT * FROM contacts WHERE org_id = ? AND address_channel = ? AND address_id = ?',
  );
  const insert = db.prepare(
    `INSERT INTO contacts (id, org_id, person_id, first_name, phone, lang, channel, address_channel, address_id, tags, source, subscribed, unreachable, created_at, updated_at)
     VALUES (@id, @org_id, @person_id, @first_name, @phone, @lang, @channel, @address_channel, @address_id, @tags, @source, 1, NULL, @at, @at)`,
  );
  const updateImported = db.prepare(
    `UPDATE contacts SET first_name = @first_name, lang = @lang, channel = @channel, address_channel = @address_channel,
       address_id = @address_id, tags = @tags, unreachable = NULL, updated_at = @at WHERE id = @id`,
  );
  const linkPerson = db.prepare('UPDATE contacts SET person_id = ?, first_name = ?, lang = ?, subscribed = 1, updated_at = ? WHERE id = ?');
  const byId = db.prepare<[string, string], ContactRow>('SELECT * FROM contacts WHERE org_id = ? AND id = ?');
  const page = db.prepare<[string, string, number], ContactRow>('SELECT * FROM contacts WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?');
  const atAddress = db.prepare<[string, string], ContactRow>('SELECT * FROM contacts WHERE address_channel = ? AND address_id = ?');
  const unsubscribe = db.prepare('UPDATE contacts SET subscribed = 0, updated_at = ? WHERE address_channel = ? AND address_id = ? AND subscribed = 1');
  const resubscribe = db.prepare('UPDATE contacts SET subscribed = 1, updated_at = ? WHERE address_channel = ? AND address_id = ? AND subscribed = 0');
  const ownerOf = db.prepare<[string, string], string>('SELECT person_id FROM identities WHERE channel = ? AND address = ?').pluck();
  const linkAt = db.prepare('UPDATE contacts SET person_id = ?, updated_at = ? WHERE address_channel = ? AND address_id = ? AND person_id IS NULL');
  const eraseContactsAt = db.prepare('DELETE FROM contacts WHERE address_channel = ? AND address_id = ?');
  // A stranger's web chat (someone who never finished onboarding) goes with their contacts.
  const eraseHistory = db.prepare("DELETE FROM webchat_history WHERE user_id = ?");
  const eraseAt = db.transaction((address: Address): number => {
    if (address.channel === 'webchat') eraseHistory.run(address.id);
    return eraseContactsAt.run(address.channel, address.id).changes;
  });
  const unreachable = db.prepare('UPDATE contacts SET unreachable = ?, updated_at = ? WHERE id = ?');
  const setTags = db.prepare('UPDATE contacts SET tags = ?, updated_at = ? WHERE org_id = ? AND id = ?');
  // deliveries, outbox rows and inbox entries of the contact go with it (ON DELETE CASCADE)
  const remove = db.prepare('DELETE FROM contacts WHERE org_id = ? AND id = ?');

  const importMany = db.transaction((orgId: string, rows: Parameters<ContactStore['importMany']>[1], ids: () => string, at: string) => {
    let created = 0;
    let updated = 0;
    for (const row of rows) {
      // Someone who already signed up at this address owns the new contact: their choices win.
      const owner = row.address ? (ownerOf.get(row.address.channel, row.address.id) ?? null) : null;
      const values = columnsOf(orgId, { ...row, personId: owner, tags: [...new Set(row.tags)] }, 'imported', at);
      const existing = byPhone.get(orgId, row.phone) ?? (row.address ? byOrgAddress.get(orgId, row.address.channel, row.address.id) : undefined);
      if (existing) {
        updateImported.run({ ...values, id: existing.id });
        updated++;
      } else {
        insert.run({ ...values, id: ids() });
        created++;
      }
    }
    return { created, updated };
  });

  return {
    async importMany(orgId, rows, ids, at) {
      return importMany(orgId, rows, ids, at.toISOString());
    },
    async join(orgId, contact, id, at) {
      const when = at.toISOString();
      const existing = contact.address ? byOrgAddress.get(orgId, contact.address.channel, contact.address.id) : undefined;
      if (existing) {
        linkPerson.run(contact.personId, contact.firstName, contact.lang, when, existing.id);
        return hydrate(byId.get(orgId, existing.id)!);
      }
      insert.run({ ...columnsOf(orgId, contact, 'joined', when), id });
      return hydrate(byId.get(orgId, id)!);
    },
    async get(orgId, id) {
      const row = byId.get(orgId, id);
      return row ? hydrate(row) : null;
    },
    async list(orgId, { limit, after }) {
      return page.all(orgId, after ?? '', limit).map(hydrate);
    },
    async findByAddress(address: Address) {
      return atAddress.all(address.channel, address.id).map(hydrate);
    },
    async linkAddress(address, personId, at) {
      return linkAt.run(personId, at.toISOString(), address.channel, address.id).changes;
    },
    async unsubscribeAddress(address, at) {
      return unsubscribe.run(at.toISOString(), address.channel, address.id).changes;
    },
    async resubscribeAddress(address, at) {
      return resubscribe.run(at.toISOString(), address.channel, address.id).changes;
    },
    async eraseAddress(address) {
      return eraseAt(address);
    },
    async markUnreachable(id, reason, at) {
      unreachable.run(reason, at.toISOString(), id);
    },
    async countAudience(orgId, audience) {
      const where = audienceCondition(audience);
      // The same people a broadcast materializes: a person who said "stop" is not counted.
      const sql = `SELECT COUNT(*) FROM contacts c LEFT JOIN people p ON p.id = c.person_id WHERE ${where.sql} AND (p.id IS NULL OR p.subscribed = 1)`;
      return (db.prepare(sql).pluck().get(orgId, ...where.params) as number) ?? 0;
    },
    async audienceLanguages(orgId, audience, channel) {
      const where = audienceCondition(audience);
      const rows = db
        .prepare<unknown[], { lang: string; n: number }>(
          `SELECT COALESCE(p.lang, c.lang) AS lang, COUNT(*) AS n FROM contacts c LEFT JOIN people p ON p.id = c.person_id
           WHERE ${where.sql} AND (p.id IS NULL OR p.subscribed = 1)${channel ? ' AND c.channel = ?' : ''} GROUP BY 1`,
        )
        .all(orgId, ...where.params, ...(channel ? [channel] : []));
      return new Map(rows.map((r) => [r.lang, r.n]));
    },
    async search(orgId, { q, tag, lang, channel, limit, offset }) {
      const parts = ['c.org_id = ?'];
      const params: (string | number)[] = [orgId];
      if (q) {
        // instr, not LIKE: a % or _ typed in the search box means itself.
        parts.push('(instr(lower(COALESCE(p.first_name, c.first_name)), lower(?)) > 0 OR instr(COALESCE(c.phone, \'\'), ?) > 0)');
        params.push(q, q);
      }
      if (tag) {
        parts.push('EXISTS (SELECT 1 FROM json_each(c.tags) t WHERE t.value = ?)');
        params.push(tag);
      }
      if (lang) {
        parts.push('COALESCE(p.lang, c.lang) = ?');
        params.push(lang);
      }
      if (channel) {
        parts.push('c.channel = ?');
        params.push(channel);
      }
      const from = `FROM contacts c LEFT JOIN people p ON p.id = c.person_id WHERE ${parts.join(' AND ')}`;
      const total = db.prepare(`SELECT COUNT(*) ${from}`).pluck().get(...params) as number;
      const rows = db.prepare<unknown[], ContactRow>(`SELECT c.* ${from} ORDER BY c.first_name, c.id LIMIT ? OFFSET ?`).all(...params, limit, offset);
      return { contacts: rows.map(hydrate), total };
    },
    async setTags(orgId, id, tags, at) {
      setTags.run(JSON.stringify([...new Set(tags)]), at.toISOString(), orgId, id);
      const row = byId.get(orgId, id);
      return row ? hydrate(row) : null;
    },
    async remove(orgId, id) {
      return remove.run(orgId, id).changes === 1;
    },
  };
}
