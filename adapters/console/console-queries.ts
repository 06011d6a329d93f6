import { CHANNELS } from '../../core/messages.ts';
import type { Contact } from '../../core/ports/contacts.port.ts';
import type { InboxEntry } from '../../core/ports/inbox.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { funnels } from './funnel.ts';

/** How far back the inbox looks for an organisation's conversations. */
export const INBOX_LIMIT = 500;

/** People an organisation reaches now, per channel and per language (subscribed and reachable). */
export async function reach(store: Store, orgId: string): Promise<{ byChannel: [string, number][]; byLang: [string, number][]; total: number }> {
  const byLang = [...(await store.contacts.audienceLanguages(orgId, { type: 'all' }))].sort((a, b) => b[1] - a[1]);
  const byChannel: [string, number][] = [];
  for (const channel of CHANNELS) {
    const n = await store.contacts.countAudience(orgId, { type: 'all', channels: [channel] });
    if (n > 0) byChannel.push([channel, n]);
  }
  return { byChannel, byLang, total: byLang.reduce((a, [, n]) => a + n, 0) };
}

/** The contacts named by some inbox entries, by id (another organisation's are never read). */
export async function contactsOf(store: Store, orgId: string, entries: readonly InboxEntry[]): Promise<Map<string, Contact>> {
  const ids = [...new Set(entries.map((e) => e.contactId))];
  const found = await Promise.all(ids.map((id) => store.contacts.get(orgId, id)));
  return new Map(found.flatMap((c) => (c ? [[c.id, c] as const] : [])));
}

/** A broadcast's funnels, with the people who replied to it counted per language and channel. */
export async function broadcastFunnels(store: Store, orgId: string, broadcastId: string) {
  const [stats, entries, receipts] = await Promise.all([store.outbox.stats(broadcastId), store.inbox.list(orgId, { limit: INBOX_LIMIT }), store.outbox.receiptCounts(broadcastId)]);
  const replies = entries.filter((e) => e.direction === 'in' && e.broadcastId === broadcastId);
  const contacts = await contactsOf(store, orgId, replies);
  const lang = new Map<string, number>();
  const channel = new Map<string, number>();
  for (const c of contacts.values()) {
    lang.set(c.lang, (lang.get(c.lang) ?? 0) + 1);
    channel.set(c.channel, (channel.get(c.channel) ?? 0) + 1);
  }
  const byStatus: Record<string, number> = {};
  const byLang = new Map<string, Record<string, number>>();
  const byChannel = new Map<string, Record<string, number>>();
  for (const r of receipts) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    for (const [map, key] of [[byLang, r.lang], [byChannel, r.channel]] as const) {
      const row = map.get(key) ?? map.set(key, {}).get(key)!;
      row[r.status] = (row[r.status] ?? 0) + r.n;
    }
  }
  return funnels(stats, { lang, channel, total: contacts.size }, { total: byStatus, lang: byLang, channel: byChannel });
}

/** An organisation's inbox (or one contact's) grouped by person, the most recent conversation first, each oldest message first. */
export async function inboxByPerson(store: Store, orgId: string, contactId?: string): Promise<{ contact: Contact; entries: InboxEntry[] }[]> {
  const entries = await store.inbox.list(orgId, { limit: INBOX_LIMIT, ...(contactId ? { contactId } : {}) });
  const contacts = await contactsOf(store, orgId, entries);
  const groups = new Map<string, InboxEntry[]>();
  for (const e of entries) (groups.get(e.contactId) ?? groups.set(e.contactId, []).get(e.contactId)!).push(e);
  return [...groups].flatMap(([id, list]) => {
    const contact = contacts.get(id);
    return contact ? [{ contact, entries: list.reverse() }] : [];
  });
}
