import { Router } from 'express';
import type { ChannelName } from '../../core/messages.ts';

/** One channel as the NGO sees it: whether it runs here and, if it runs, whether it can send now. */
export interface ChannelHealth {
  readonly channel: ChannelName;
  readonly enabled: boolean;
  /** Why it is off (a variable not set), when it is. */
  readonly reason?: string;
  /** Why it cannot send now (`LOGOUT`: the WhatsApp web client was unlinked), or null. */
  readonly down: string | null;
}

/**
 * `GET /api/organisation/channels`: the channels of this server, on or off, and down ones with
 * why (no secret, no number): an NGO learns that its WhatsApp phone must be linked again.
 */
export function channelStatusRouter(health: () => readonly ChannelHealth[]): Router {
  const router = Router();
  router.get('/api/organisation/channels', (_req, res) => {
    res.json({ channels: health() });
  });
  return router;
}
