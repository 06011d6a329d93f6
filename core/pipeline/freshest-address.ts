import type { Address } from '../messages.ts';
import type { ReachStore } from '../ports/reach.port.ts';

/**
 * The identity a person last wrote from: where a message to them has the best chance to be read
 * now (and, on WhatsApp or Messenger, to fall inside the 24-hour window). Ties and identities
 * that never wrote keep the given order.
 */
export async function freshestAddress(identities: readonly Address[], reach: ReachStore): Promise<Address | null> {
  let best: Address | null = null;
  let bestAt = -Infinity;
  for (const identity of identities) {
    const at = (await reach.get(identity))?.lastInboundAt.getTime() ?? -Infinity;
    if (best === null || at > bestAt) [best, bestAt] = [identity, at];
  }
  return best;
}
