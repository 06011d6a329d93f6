import type { Collection } from 'mongodb';
import type { ChannelName } from '../../core/messages.ts';
import type { ChannelLeases } from '../../core/ports/channel-lease.port.ts';
import type { ChannelLeaseDoc } from './mongo-collections.ts';
import { guarded, isDuplicateKey, storeFailure } from './mongo-errors.ts';

/**
 * Channel sending leases in MongoDB: one document per channel, taken with one upsert whose
 * filter only matches a lease that is ours or has run out. When it matches nothing because
 * another holder's lease still runs, the upsert tries to insert a second document for the
 * channel and the `_id` index refuses it: that duplicate key is the "no". Two processes taking
 * a free channel at once race the same way, and only one insert wins.
 */
export class MongoChannelLeases implements ChannelLeases {
  constructor(private readonly collection: Collection<ChannelLeaseDoc>) {}

  /** Takes or renews the lease until `until`; false while another holder's lease runs. */
  async acquire(channel: ChannelName, holder: string, now: Date, until: Date): Promise<boolean> {
    try {
      await this.collection.updateOne(
        { _id: channel, $or: [{ holder }, { until: { $lte: now } }] },
        { $set: { holder, until } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw storeFailure('channel lease acquire', error);
    }
  }

  /** Gives the lease up, if this holder has it. */
  async release(channel: ChannelName, holder: string): Promise<void> {
    await guarded('channel lease release', () => this.collection.deleteOne({ _id: channel, holder }));
  }
}
