import type { Collection } from 'mongodb';
import type { CounterDoc } from './mongo-collections.ts';
import { isDuplicateKey, MongoStoreError } from './mongo-errors.ts';

/**
 * Increasing numbers from a counter document, a range per call. This is the outbox's insertion
 * order (SQLite's rowid). Why a counter and not ObjectIds: an ObjectId orders only by its
 * second, then by a per-process random part, so two processes' ids in one second compare at
 * random, and a person's later message could go out first. The counter's `$inc` is atomic on
 * the server, so an enqueue that starts after another one finished always gets higher numbers.
 * Why a range per call and not a block cached per process: a cached block would hand a later
 * message of one process a lower number than an earlier message of another.
 */
export class MongoSequence {
  constructor(
    private readonly counters: Collection<CounterDoc>,
    private readonly name: string,
  ) {}

  /** Reserves `count` numbers and returns the first; they run from it to first + count - 1. */
  async reserve(count: number): Promise<number> {
    const run = (): Promise<CounterDoc | null> =>
      this.counters.findOneAndUpdate({ _id: this.name }, { $inc: { value: count } }, { upsert: true, returnDocument: 'after' });
    let doc: CounterDoc | null;
    try {
      doc = await run();
    } catch (error) {
      // Two first reservations raced to insert the counter; the loser now finds it.
      if (!isDuplicateKey(error)) throw error;
      doc = await run();
    }
    if (!doc) throw new MongoStoreError('The outbox counter was not returned');
    return doc.value - count + 1;
  }
}
