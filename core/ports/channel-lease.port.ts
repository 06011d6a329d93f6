import type { ChannelName } from '../messages.ts';

/**
 * Who sends on a channel right now. Why: a channel's rate limit is the bot's, not a process's;
 * when several server processes share one store, one of them holds a channel's lease at a time
 * and the others take it over when it stops renewing (it died).
 */
export interface ChannelLeases {
  /** Takes or renews the lease until `until`; false while another holder's lease runs. */
  acquire(channel: ChannelName, holder: string, now: Date, until: Date): Promise<boolean>;
  /** Gives the lease up (graceful shutdown), if this holder has it. */
  release(channel: ChannelName, holder: string): Promise<void>;
}
