import { createHash } from 'node:crypto';
import type { ChannelPost } from '../../core/messages.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import type { BroadcastService } from './broadcast.service.ts';

/** "link <code>" posted in a channel links it to the organisation that asked for the code. */
const LINK = /^\s*\/?link\s+([A-Za-z0-9_-]{8,64})\s*$/i;

/**
 * Turns posts in an NGO's Telegram channel into broadcasts to its audience. A channel is linked
 * by posting the one-time code the organisation got from the admin API: only someone who can
 * post in the channel can link it.
 */
export function channelPostHandler(deps: { store: Store; broadcasts: BroadcastService; clock: Clock; logger: Logger }) {
  return async (post: ChannelPost): Promise<void> => {
    const code = LINK.exec(post.text)?.[1];
    if (code) {
      const org = await deps.store.organisations.findByLinkCode(code);
      if (!org) {
        deps.logger.warn({ channel: post.channel }, 'channel link code unknown or already used');
        return;
      }
      await deps.store.organisations.update(org.id, { telegramChannelId: post.chatId, linkCode: null });
      deps.logger.info({ org: org.id }, 'telegram channel linked');
      return;
    }
    const org = await deps.store.organisations.findByTelegramChannel(post.chatId);
    if (!org) {
      deps.logger.info({ channel: post.channel }, 'channel post ignored: no organisation has linked this channel');
      return;
    }
    // Why an id from the post: Telegram redelivers a post whose webhook failed, and a redelivered
    // post must not become a second broadcast to the whole audience.
    const id = `post-${createHash('sha256').update(`${post.channel}\u0000${post.chatId}\u0000${post.id}`).digest('hex').slice(0, 32)}`;
    const { created } = await deps.broadcasts.create({ id, orgId: org.id, text: post.text, sourceLang: null, audience: { type: 'all' }, origin: 'telegram-channel' });
    if (!created) deps.logger.info({ org: org.id }, 'channel post redelivered; broadcast already made');
  };
}
