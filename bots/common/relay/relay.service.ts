import type { Person } from '../../../core/ports/people.port.ts';
import type { OutcomeCounts, RelayReport } from '../../../core/ports/relays.port.ts';
import { closeSilent, forgetInRelays, suspendReported } from './relay-endings.ts';
import { RelayKit, type RelayDeps } from './relay-kit.ts';
import { requestRelay, type RelayRequest, type RequestOutcome } from './relay-requests.ts';
import { deleteOrphanRelays, pruneRelays } from './relay-retention.ts';
import type { RelaySubjectKind } from './relay-subjects.ts';

/** How often the silence sweep looks for relays to close. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The relay as the rest of the product uses it: flows register their subjects and ask for
 * contact; search asks who is blocked; the admin API moderates; "forget" erases. The chat side
 * (dialogs and their effects) works on the same kit.
 */
export class RelayService {
  readonly kit: RelayKit;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> = Promise.resolve();

  constructor(deps: RelayDeps) {
    this.kit = new RelayKit(deps);
  }

  /** A flow's subject kind: its header in a reader's language, its request sentence, its hooks. */
  registerSubject(kind: RelaySubjectKind): void {
    this.kit.deps.subjects.register(kind);
  }

  /** Asks for contact (or opens at once with `open`); idempotent by `effectId`. */
  request(effectId: string, from: Person, request: RelayRequest): Promise<RequestOutcome> {
    return requestRelay(this.kit, effectId, from, request);
  }

  /** Whether either person blocked the other (no request, no post shown, both ways). */
  isBlockedEitherWay(a: string, b: string): Promise<boolean> {
    return this.kit.store.relays.isBlockedEitherWay(a, b);
  }

  /** Everyone this person blocked or was blocked by: what a search leaves out. */
  blockedEitherWay(personId: string): Promise<string[]> {
    return this.kit.store.relays.blockedEitherWay(personId);
  }

  /** Whether moderation suspended this person (from relays and the exchange). */
  isSuspended(personId: string): Promise<boolean> {
    return this.kit.store.relays.isSuspended(personId);
  }

  /** "Did you agree on something?" answers for one subject, or a whole kind. */
  outcomes(kind: string, id?: string): Promise<OutcomeCounts> {
    return this.kit.store.relays.outcomes(kind, id);
  }

  /** Reports in an organisation's queue (null: the operator's), newest first. */
  reports(orgId: string | null, status: RelayReport['status'] | null, limit: number): Promise<RelayReport[]> {
    return this.kit.store.relays.reports(orgId, status, limit);
  }

  /** A report of that queue, or null (another organisation's report is not found). */
  report(orgId: string | null, id: string): Promise<RelayReport | null> {
    return this.kit.store.relays.getReport(orgId, id);
  }

  /** Dismisses an open report of that queue; null when there is none to dismiss. */
  dismiss(orgId: string | null, id: string): Promise<RelayReport | null> {
    return this.kit.store.relays.settleReport(orgId, id, 'dismissed', this.kit.now());
  }

  /** Suspends the person a report of that queue is about (they are told in their language). */
  suspend(orgId: string | null, reportId: string): Promise<RelayReport | null> {
    return suspendReported(this.kit, orgId, reportId);
  }

  /** Hides the subject a report of that queue is about, through its flow; null when not found, false when the flow cannot. */
  async hideSubject(orgId: string | null, reportId: string): Promise<boolean | null> {
    const report = await this.report(orgId, reportId);
    if (!report) return null;
    const hide = this.kit.deps.subjects.get(report.subject.kind)?.hide;
    return hide ? hide(report.subject.id) : false;
  }

  /** Erases a person from every relay (see forgetInRelays); run before the person is erased. */
  forget(person: Person): Promise<void> {
    return forgetInRelays(this.kit, person);
  }

  /**
   * A flow whose retention deleted subjects calls this: the relays about subjects of that kind
   * that no longer exist are deleted with their messages. Returns how many.
   */
  deleteOrphans(kind: string, exists: (id: string) => Promise<boolean>): Promise<number> {
    return deleteOrphanRelays(this.kit.store.relays, kind, exists);
  }

  /** Closes the relays silent for 14 days now, then deletes what retention lets go; returns how many closed. */
  sweep(): Promise<number> {
    const run = this.sweeping.then(async () => {
      const closed = await closeSilent(this.kit);
      await pruneRelays(this.kit);
      return closed;
    });
    this.sweeping = run.catch((error: unknown) => this.kit.deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'relay sweep failed'));
    return run;
  }

  /** Sweeps now and every minute. */
  start(everyMs = SWEEP_EVERY_MS): void {
    void this.sweep().catch(() => undefined);
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), everyMs);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
  }
}
