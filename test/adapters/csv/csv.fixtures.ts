import type { Organisation } from '../../../core/ports/people.port.ts';

/** The organisation the contact imports go to: Secours Solidaire (org-1), no API key, no channel. */
export function secoursSolidaire(createdAt: string): Organisation {
  return {
    id: 'org-1',
    name: 'Secours Solidaire',
    code: 'secours',
    lang: 'fr',
    createdAt,
    apiKeyHash: null,
    telegramChannelId: null,
    staffChatId: null,
    linkCode: null,
    glossary: {},
  };
}
