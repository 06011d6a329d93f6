/**
 * Seeding for the broadcast benches: one organisation and its imported contacts, in batches as
 * an import would (the recipients never sit in memory all at once), each with a recent inbound
 * message so that the 24-hour windows of WhatsApp and Messenger are open.
 */
import type { App } from '../adapters/app.ts';
import type { ChannelName } from '../core/messages.ts';
import type { ContactImport } from '../core/ports/contacts.port.ts';

/** The organisation the benches broadcast for. */
export const BENCH_ORG = { id: 'org-bench', name: 'Bench NGO', code: 'bench', lang: 'en', apiKeyHash: null, telegramChannelId: null, staffChatId: null, linkCode: null, glossary: {} };

/** The broadcast the benches send: to every contact, with a placeholder, from English. */
export const BENCH_BROADCAST = {
  orgId: BENCH_ORG.id,
  text: 'Hello {{firstName}}, the food distribution moves to the town hall on Saturday at 10:00. Bring your registration card.',
  sourceLang: 'en',
  audience: { type: 'all' },
  origin: 'api',
} as const;

/** What to seed: recipients spread round-robin over channels and languages. */
export interface SeedPlan {
  readonly recipients: number;
  readonly channels: readonly ChannelName[];
  readonly langs: readonly string[];
  /** Bot Framework service URL for Messenger conversation references. */
  readonly serviceUrl: string;
}

/** Creates BENCH_ORG and its contacts; returns how many recipients each channel got. */
export async function seedContacts(app: App, plan: SeedPlan): Promise<Map<ChannelName, number>> {
  await app.store.organisations.create({ ...BENCH_ORG, createdAt: new Date().toISOString() });
  const perChannel = new Map<ChannelName, number>();
  for (let start = 0; start < plan.recipients; start += 5_000) {
    const rows: ContactImport[] = [];
    for (let i = start; i < Math.min(plan.recipients, start + 5_000); i++) {
      const channel = plan.channels[i % plan.channels.length]!;
      perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
      const digits = `4915${String(i).padStart(8, '0')}`;
      const id = channel === 'telegram' ? String(500_000_000 + i) : channel === 'whatsapp-cloud' ? digits : `conv-${i}`;
      rows.push({ firstName: `Person${i}`, phone: `+${digits}`, lang: plan.langs[i % plan.langs.length]!, channel, address: { channel, id }, tags: [] });
      // People wrote to the bot recently, as the 24-hour windows of WhatsApp and Messenger require.
      const reference =
        channel === 'messenger'
          ? { channelId: 'emulator', serviceUrl: plan.serviceUrl, conversation: { id }, user: { id: `user-${i}` }, bot: { id: 'bot' } }
          : null;
      await app.store.reach.recordInbound({ channel, id }, new Date(), reference);
    }
    await app.store.contacts.importMany(BENCH_ORG.id, rows, () => crypto.randomUUID(), new Date());
  }
  return perChannel;
}
