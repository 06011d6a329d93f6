import type Database from 'better-sqlite3';
import type { Organisation, OrganisationPatch, OrganisationStore } from '../../core/ports/people.port.ts';

/** Organisations (tenants) in SQLite. */
export function sqliteOrganisations(db: Database.Database): OrganisationStore {
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
