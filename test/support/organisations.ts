import type { Organisation } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { newApiKey } from '../../adapters/http/org-auth.ts';

/** Creates an organisation with an API key; returns it with the key (shown once in real life). */
export async function createOrg(store: Store, fields: Partial<Organisation> & { code: string }): Promise<Organisation & { apiKey: string }> {
  const { key, hash } = newApiKey();
  const org: Organisation = {
    id: `org-${fields.code}`,
    name: fields.name ?? `Org ${fields.code}`,
    lang: fields.lang ?? 'en',
    createdAt: '2026-11-01T00:00:00.000Z',
    apiKeyHash: hash,
    telegramChannelId: null,
    staffChatId: null,
    linkCode: null,
    glossary: {},
    ...fields,
  };
  await store.organisations.create(org);
  return { ...org, apiKey: key };
}
