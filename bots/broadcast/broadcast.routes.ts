import type { FreeTextOutcome, FreeTextRoute } from '../common/free-text-router.ts';
import { join, type BroadcastEffectsDeps } from './broadcast.effects.ts';
import type { ReplyDesk } from './replies.ts';

/** "JOIN secours" (any case) at the menu. */
const JOIN_TEXT = /^\s*join\s+(\S+)\s*$/i;

/**
 * Where the broadcast flow takes free text: a JOIN code (unmistakable), or a reply to the last
 * broadcast the person received this week (also a stranger's first words: imported contacts
 * write back before they ever signed up).
 */
export function broadcastFreeTextRoutes(deps: { readonly replies: ReplyDesk; readonly receivesNews: BroadcastEffectsDeps['receivesNews'] }): FreeTextRoute[] {
  return [
    {
      id: 'join',
      forStrangers: false,
      claim: async (text) => (JOIN_TEXT.test(text) ? { explicit: true, label: 'menu:join' } : null),
      deliver: async (text, context) => {
        const joined = await join(JOIN_TEXT.exec(text)?.[1] ?? '', context, deps.receivesNews);
        const notices = { joined: 'broadcast:joined', 'no-news': 'broadcast:joinNoNews', 'unknown-code': 'broadcast:unknownCode' } as const;
        return { ...joined, notice: notices[joined.kind] };
      },
    },
    {
      id: 'reply',
      forStrangers: true,
      claim: async (_text, context) => {
        const recent = await deps.replies.recentOrg(context.address);
        return recent ? { explicit: false, label: 'broadcast:replyTo', params: { org: recent.orgName } } : null;
      },
      deliver: async (text, context): Promise<FreeTextOutcome> => {
        const filed = await deps.replies.receive(context.effectId, context.address, text, context.person?.lang ?? null);
        if (!filed) return { kind: 'none' };
        return { kind: 'replied', notice: 'broadcast:replySent', orgName: filed.orgName, lang: filed.lang };
      },
    },
  ];
}
