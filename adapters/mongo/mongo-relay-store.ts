import type { Collection, Db, Filter } from 'mongodb';
import type { OutcomeCounts, Relay, RelayMessage, RelayReport, RelayStore, Suspension } from '../../core/ports/relays.port.ts';
import { guarded, isDuplicateKey } from './mongo-errors.ts';

/** A relay; the two ids sit in `people` too, so one index finds a person's relays. */
interface RelayDoc extends Omit<Relay, 'id'> {
  _id: string;
  people: string[];
}

/** A message; `seq` orders messages written within the same millisecond. */
interface RelayMessageDoc extends Omit<RelayMessage, 'id'> {
  _id: string;
  seq: number;
}

interface BlockDoc {
  _id: string;
  blockerId: string;
  blockedId: string;
  at: string;
}

interface ReportDoc extends Omit<RelayReport, 'id'> {
  _id: string;
}

interface SuspensionDoc extends Omit<Suspension, 'personId'> {
  _id: string;
}

interface OutcomeDoc {
  _id: string;
  kind: string;
  subjectId: string;
  yes: number;
  no: number;
  notYet: number;
}

const toRelay = ({ _id, people: _people, ...rest }: RelayDoc): Relay => ({ id: _id, ...rest });
const toMessage = ({ _id, seq: _seq, ...rest }: RelayMessageDoc): RelayMessage => ({ id: _id, ...rest });
const toReport = ({ _id, ...rest }: ReportDoc): RelayReport => ({ id: _id, ...rest });
const peopleOf = (r: Pick<Relay, 'requesterId' | 'receiverId'>): string[] => [r.requesterId, r.receiverId].filter((p): p is string => p !== null);
const LIVE = ['requested', 'open'] as const;
const OVER = ['declined', 'ended', 'closed', 'left'] as const;

/**
 * The relays in MongoDB, with the same behaviour as the SQLite adapter (see RelayStore): the
 * conditional writes are filters on the status, so a decision taken twice applies once.
 */
export class MongoRelayStore implements RelayStore {
  private readonly relays: Collection<RelayDoc>;
  private readonly messagesC: Collection<RelayMessageDoc>;
  private readonly blocks: Collection<BlockDoc>;
  private readonly reportsC: Collection<ReportDoc>;
  private readonly suspensions: Collection<SuspensionDoc>;
  private readonly outcomesC: Collection<OutcomeDoc>;

  constructor(db: Db) {
    this.relays = db.collection('relays');
    this.messagesC = db.collection('relay_messages');
    this.blocks = db.collection('relay_blocks');
    this.reportsC = db.collection('relay_reports');
    this.suspensions = db.collection('relay_suspensions');
    this.outcomesC = db.collection('relay_outcomes');
  }

  /** Creates the indexes the queries need (at start-up). */
  async ensureIndexes(): Promise<void> {
    await Promise.all([
      this.relays.createIndex({ people: 1, lastMessageAt: -1 }, { name: 'people_recent' }),
      this.relays.createIndex({ closesAt: 1 }, { name: 'closing', partialFilterExpression: { status: { $in: [...LIVE] } } }),
      this.messagesC.createIndex({ relayId: 1, seq: 1 }, { name: 'relay_seq' }),
      this.messagesC.createIndex({ fromPersonId: 1 }, { name: 'from' }),
      this.messagesC.createIndex({ at: 1 }, { name: 'held_at', partialFilterExpression: { held: true } }),
      this.relays.createIndex({ updatedAt: 1 }, { name: 'over', partialFilterExpression: { status: { $in: [...OVER] } } }),
      this.relays.createIndex({ 'subject.kind': 1, 'subject.id': 1 }, { name: 'subject' }),
      this.blocks.createIndex({ blockedId: 1 }, { name: 'blocked' }),
      this.blocks.createIndex({ blockerId: 1 }, { name: 'blocker' }),
      this.reportsC.createIndex({ orgId: 1, createdAt: -1 }, { name: 'queue' }),
    ]);
  }

  async create(relay: Relay): Promise<Relay> {
    const { id, ...rest } = relay;
    try {
      await guarded('relay create', () => this.relays.insertOne({ _id: id, ...rest, people: peopleOf(relay) }));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Relay | null> {
    const doc = await guarded('relay get', () => this.relays.findOne({ _id: id }));
    return doc ? toRelay(doc) : null;
  }

  async transition(id: string, from: readonly Relay['status'][], patch: Partial<Relay>, at: Date): Promise<Relay | null> {
    if (from.length === 0) return null;
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const doc = await guarded('relay transition', () =>
      this.relays.findOneAndUpdate({ _id: id, status: { $in: [...from] } }, { $set: { ...set, updatedAt: at.toISOString() } }, { returnDocument: 'after' }),
    );
    return doc ? toRelay(doc) : null;
  }

  async listFor(personId: string, limit: number): Promise<Relay[]> {
    const docs = await guarded('relay list', () => this.relays.find({ people: personId }).sort({ lastMessageAt: -1, _id: 1 }).limit(limit).toArray());
    return docs.map(toRelay);
  }

  async findLive(a: string, b: string, subject: Relay['subject']): Promise<Relay | null> {
    const doc = await guarded('relay live', () =>
      this.relays.findOne({ 'subject.kind': subject.kind, 'subject.id': subject.id, status: { $in: [...LIVE] }, people: { $all: [a, b] } }),
    );
    return doc ? toRelay(doc) : null;
  }

  async dueToClose(now: Date, limit: number): Promise<Relay[]> {
    const docs = await guarded('relay due', () =>
      this.relays.find({ status: { $in: [...LIVE] }, closesAt: { $lte: now.toISOString() } }).sort({ closesAt: 1 }).limit(limit).toArray(),
    );
    return docs.map(toRelay);
  }

  async addMessage(message: RelayMessage, keep: number): Promise<void> {
    const { id, ...rest } = message;
    const last = await guarded('relay message seq', () => this.messagesC.find({ relayId: message.relayId }).sort({ seq: -1 }).limit(1).toArray());
    try {
      await guarded('relay message add', () => this.messagesC.insertOne({ _id: id, ...rest, seq: (last[0]?.seq ?? 0) + 1 }));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return;
    }
    const kept = await guarded('relay message keep', () =>
      this.messagesC.find({ relayId: message.relayId, held: false }).sort({ seq: -1 }).skip(keep).limit(1).toArray(),
    );
    const cut = kept[0]?.seq;
    if (cut !== undefined) await guarded('relay message prune', () => this.messagesC.deleteMany({ relayId: message.relayId, held: false, seq: { $lte: cut } }));
  }

  async releaseMessage(id: string, shownText: string, shownLang: string, at: Date): Promise<RelayMessage | null> {
    const unsent = { $or: [{ held: true }, { shownText: null }] };
    const held = await guarded('relay message held', () => this.messagesC.findOne({ _id: id, ...unsent }));
    if (!held) return null;
    // A new sequence number puts the released message after those sent meanwhile.
    const last = await guarded('relay message seq', () => this.messagesC.find({ relayId: held.relayId }).sort({ seq: -1 }).limit(1).toArray());
    const doc = await guarded('relay message release', () =>
      this.messagesC.findOneAndUpdate(
        { _id: id, ...unsent },
        { $set: { held: false, shownText, shownLang, at: at.toISOString(), seq: (last[0]?.seq ?? 0) + 1 } },
        { returnDocument: 'after' },
      ),
    );
    return doc ? toMessage(doc) : null;
  }

  async discardMessage(id: string): Promise<boolean> {
    const result = await guarded('relay message discard', () => this.messagesC.deleteOne({ _id: id, held: true }));
    return result.deletedCount === 1;
  }

  async getMessage(id: string): Promise<RelayMessage | null> {
    const doc = await guarded('relay message get', () => this.messagesC.findOne({ _id: id }));
    return doc ? toMessage(doc) : null;
  }

  async messages(relayId: string, limit: number): Promise<RelayMessage[]> {
    const docs = await guarded('relay messages', () => this.messagesC.find({ relayId, held: false, shownText: { $ne: null } }).sort({ seq: -1 }).limit(limit).toArray());
    return docs.reverse().map(toMessage);
  }

  async block(blockerId: string, blockedId: string, at: Date): Promise<void> {
    await guarded('relay block', () =>
      this.blocks.updateOne({ _id: `${blockerId}>${blockedId}` }, { $setOnInsert: { blockerId, blockedId, at: at.toISOString() } }, { upsert: true }),
    );
  }

  async isBlockedEitherWay(a: string, b: string): Promise<boolean> {
    return (await guarded('relay blocked pair', () => this.blocks.countDocuments({ _id: { $in: [`${a}>${b}`, `${b}>${a}`] } }))) > 0;
  }

  async blockedEitherWay(personId: string): Promise<string[]> {
    const docs = await guarded('relay blocked', () => this.blocks.find({ $or: [{ blockerId: personId }, { blockedId: personId }] }).toArray());
    return [...new Set(docs.map((d) => (d.blockerId === personId ? d.blockedId : d.blockerId)))];
  }

  async addReport(report: RelayReport): Promise<void> {
    const { id, ...rest } = report;
    await guarded('relay report add', () => this.reportsC.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true }));
  }

  async reports(orgId: string | null, status: RelayReport['status'] | null, limit: number): Promise<RelayReport[]> {
    const filter: Filter<ReportDoc> = status ? { orgId, status } : { orgId };
    const docs = await guarded('relay reports', () => this.reportsC.find(filter).sort({ createdAt: -1, _id: 1 }).limit(limit).toArray());
    return docs.map(toReport);
  }

  async getReport(orgId: string | null, id: string): Promise<RelayReport | null> {
    const doc = await guarded('relay report get', () => this.reportsC.findOne({ _id: id, orgId }));
    return doc ? toReport(doc) : null;
  }

  async settleReport(orgId: string | null, id: string, status: 'dismissed' | 'suspended', at: Date): Promise<RelayReport | null> {
    const doc = await guarded('relay report settle', () =>
      this.reportsC.findOneAndUpdate({ _id: id, orgId, status: 'open' }, { $set: { status, updatedAt: at.toISOString() } }, { returnDocument: 'after' }),
    );
    return doc ? toReport(doc) : null;
  }

  async suspend(s: Suspension): Promise<void> {
    await guarded('relay suspend', () =>
      this.suspensions.updateOne({ _id: s.personId }, { $setOnInsert: { orgId: s.orgId, reportId: s.reportId, at: s.at } }, { upsert: true }),
    );
  }

  async isSuspended(personId: string): Promise<boolean> {
    return (await guarded('relay suspended', () => this.suspensions.countDocuments({ _id: personId }))) > 0;
  }

  async markAnswered(relayId: string, side: 'requester' | 'receiver', at: Date): Promise<boolean> {
    const field = side === 'requester' ? 'requesterAnswered' : 'receiverAnswered';
    const result = await guarded('relay answered', () => this.relays.updateOne({ _id: relayId, [field]: false }, { $set: { [field]: true, updatedAt: at.toISOString() } }));
    return result.modifiedCount === 1;
  }

  async countOutcome(subject: Relay['subject'], answer: 'yes' | 'no' | 'not-yet'): Promise<void> {
    const field = answer === 'yes' ? 'yes' : answer === 'no' ? 'no' : 'notYet';
    await guarded('relay outcome', () =>
      this.outcomesC.updateOne(
        { _id: `${subject.kind}:${subject.id}` },
        { $setOnInsert: { kind: subject.kind, subjectId: subject.id }, $inc: { yes: 0, no: 0, notYet: 0, [field]: 1 } },
        { upsert: true },
      ),
    );
  }

  async outcomes(kind: string, id?: string): Promise<OutcomeCounts> {
    const docs = await guarded('relay outcomes', () => this.outcomesC.find(id === undefined ? { kind } : { kind, subjectId: id }).toArray());
    return docs.reduce((sum, d) => ({ yes: sum.yes + d.yes, no: sum.no + d.no, notYet: sum.notYet + d.notYet }), { yes: 0, no: 0, notYet: 0 });
  }

  async erasePerson(personId: string, at: Date): Promise<Relay[]> {
    const before = (await guarded('relay erase list', () => this.relays.find({ people: personId }).toArray())).map(toRelay);
    const now = at.toISOString();
    await guarded('relay erase messages', () => this.messagesC.deleteMany({ fromPersonId: personId }));
    await guarded('relay erase ended', () => this.relays.updateMany({ endedBy: personId }, { $set: { endedBy: null } }));
    // The requester's intro is their words; the flow's facts are about the pair.
    await guarded('relay erase requester', () =>
      this.relays.updateMany({ requesterId: personId }, { $set: { requesterId: null, intro: null, context: null, status: 'left', updatedAt: now }, $pull: { people: personId } }),
    );
    await guarded('relay erase receiver', () =>
      this.relays.updateMany({ receiverId: personId }, { $set: { receiverId: null, context: null, status: 'left', updatedAt: now }, $pull: { people: personId } }),
    );
    const empty = await guarded('relay erase empty', () => this.relays.find({ people: { $size: 0 } }).toArray());
    if (empty.length > 0) {
      const ids = empty.map((d) => d._id);
      await guarded('relay erase empty messages', () => this.messagesC.deleteMany({ relayId: { $in: ids } }));
      await guarded('relay erase empty relays', () => this.relays.deleteMany({ _id: { $in: ids } }));
    }
    await guarded('relay erase reports', () => this.reportsC.deleteMany({ reporterId: personId }));
    await guarded('relay erase blocks', () => this.blocks.deleteMany({ $or: [{ blockerId: personId }, { blockedId: personId }] }));
    await guarded('relay erase suspension', () => this.suspensions.deleteOne({ _id: personId }));
    return before;
  }

  async deleteOverBefore(before: Date, limit: number): Promise<number> {
    const iso = before.toISOString();
    // Both times: a transition (ending, an answer) moves updatedAt, a message moves lastMessageAt.
    const docs = await guarded('relay retention list', () =>
      this.relays.find({ status: { $in: [...OVER] }, updatedAt: { $lt: iso }, lastMessageAt: { $lt: iso } }, { projection: { _id: 1 } }).limit(limit).toArray(),
    );
    return this.deleteRelays(docs.map((d) => d._id));
  }

  async dropHeldBefore(before: Date): Promise<number> {
    const result = await guarded('relay held drop', () => this.messagesC.deleteMany({ held: true, at: { $lt: before.toISOString() } }));
    return result.deletedCount;
  }

  async subjectIds(kind: string, after: string, limit: number): Promise<string[]> {
    const docs = await guarded('relay subject ids', () =>
      this.relays
        .aggregate<{ _id: string }>([{ $match: { 'subject.kind': kind, 'subject.id': { $gt: after } } }, { $group: { _id: '$subject.id' } }, { $sort: { _id: 1 } }, { $limit: limit }])
        .toArray(),
    );
    return docs.map((d) => d._id);
  }

  async deleteBySubjects(kind: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const docs = await guarded('relay subjects list', () => this.relays.find({ 'subject.kind': kind, 'subject.id': { $in: [...ids] } }, { projection: { _id: 1 } }).toArray());
    return this.deleteRelays(docs.map((d) => d._id));
  }

  /** Messages first: a failure in between leaves a relay without messages, which the next round deletes. */
  private async deleteRelays(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    await guarded('relay retention messages', () => this.messagesC.deleteMany({ relayId: { $in: [...ids] } }));
    const result = await guarded('relay retention relays', () => this.relays.deleteMany({ _id: { $in: [...ids] } }));
    return result.deletedCount;
  }
}
