import type Database from 'better-sqlite3';
import { addressKey, type ChannelName, type Reply } from '../../core/messages.ts';
import { foldDeliveryStats } from '../../core/outbox/delivery-stats.ts';
import type { ChannelLeases } from '../../core/ports/channel-lease.port.ts';
import type { DeliveryJob, DeliveryStatus, HeldDelivery, NewOutboxMessage, Outbox, OutboxKind } from '../../core/ports/outbox.port.ts';
import { audienceCondition } from './sqlite-contacts.ts';
import type { GroupCommit } from './sqlite-group-commit.ts';

/**
 * A claimed row as SQLite returns it, column by column in RETURNING's order. Why an array and not
 * an object: a claim reads a thousand rows a second during a broadcast, and better-sqlite3 names
 * every column of every row for an object (a third of the claim's CPU); the job is built anyway.
 */
type JobRow = [
  id: string,
  kind: OutboxKind,
  lane: DeliveryJob['lane'],
  broadcastId: string | null,
  orgId: string | null,
  contactId: string | null,
  channel: ChannelName,
  addressChannel: ChannelName | null,
  addressId: string | null,
  lang: string,
  firstName: string,
  attempts: number,
  payload: string | null,
  partsSent: number,
  inboundAt: number | null,
  final: number,
  fallbackFrom: ChannelName | null,
];

const RETURNING = 'RETURNING id, kind, lane, broadcast_id, org_id, contact_id, channel, address_channel, address_id, lang, first_name, attempts, payload, parts_sent, inbound_at, final, fallback_from';
/** A person's rows, of both lanes: each lane's index by person (see the schema) finds its own. */
export const ERASE_ADDRESS = `DELETE FROM outbox WHERE rowid IN (
  SELECT rowid FROM outbox WHERE address_key = @key AND lane = 'interactive'
  UNION ALL
  SELECT rowid FROM outbox WHERE address_key = @key AND lane = 'bulk')`;
/**
 * Why: failed interactive rows are kept a week for the NGO to see, then dropped; sent ones too,
 * without their words, so that the same id enqueued again (a replayed effect) is not sent twice.
 */
const KEEP_FAILED_MS = 7 * 24 * 3_600_000;

function toJob([id, kind, lane, broadcastId, orgId, contactId, channel, addressChannel, addressId, lang, firstName, attempts, payload, partsSent, inboundAt, final, fallbackFrom]: JobRow): DeliveryJob {
  return {
    id,
    kind,
    lane,
    broadcastId,
    orgId,
    contactId,
    channel,
    address: addressChannel && addressId ? { channel: addressChannel, id: addressId } : null,
    lang,
    firstName,
    attempts,
    reply: payload === null ? null : (JSON.parse(payload) as Reply),
    partsSent,
    inboundAt: inboundAt === null ? null : new Date(inboundAt),
    final: final === 1,
    fallbackFrom,
  };
}

/**
 * The one outbox in SQLite. Broadcast rows are made with one INSERT ... SELECT, never loaded
 * whole; interactive rows are claimed in each person's order (an earlier open row to the same
 * person holds the later ones back); once sent they keep only their id and status, for a week.
 */
export function sqliteOutbox(db: Database.Database, group: GroupCommit): Outbox & { readonly enqueueNow: (messages: readonly NewOutboxMessage[], at: Date) => string[] } {
  const insert = db.prepare(
    `INSERT INTO outbox (id, kind, lane, org_id, contact_id, channel, address_channel, address_id, address_key, lang, payload, inbound_at, status, next_attempt_at, lease_until, final, updated_at)
     VALUES (@id, @kind, 'interactive', @org_id, @contact_id, @channel, @channel, @address_id, @address_key, @lang, @payload, @inbound_at, @status, @not_before, @lease_until, @final, @now)
     ON CONFLICT DO NOTHING`,
  );
  // The same test the interactive claim makes: an earlier open row to the person holds this one back.
  const openFor = db
    .prepare<[string], number>(
      "SELECT 1 FROM outbox WHERE address_key = ? AND status IN ('pending', 'sending', 'held') AND lane = 'interactive' AND kind <> 'template-notice' LIMIT 1",
    )
    .pluck();
  // Inside the group commit's transaction, always (see GroupCommit): its rows go in together or not at all.
  const enqueue = (messages: readonly NewOutboxMessage[], at: number): string[] => {
    const claimed: string[] = [];
    // Per person, decided once for all their rows of this call: claimed together, in order, or none.
    const first = new Map<string, boolean>();
    for (const m of messages) {
      const key = addressKey(m.to);
      let until = m.claimedUntil?.getTime() ?? null;
      if (until === null && m.claimIfFirst && m.kind !== 'template-notice') {
        let free = first.get(key);
        if (free === undefined) first.set(key, (free = openFor.get(key) === undefined));
        if (free) until = m.claimIfFirst.getTime();
      }
      const inserted = insert.run({
        id: m.id,
        kind: m.kind,
        org_id: m.orgId ?? null,
        contact_id: m.contactId ?? null,
        channel: m.to.channel,
        address_id: m.to.id,
        address_key: key,
        lang: m.reply.lang,
        payload: JSON.stringify(m.reply),
        inbound_at: m.inboundAt?.getTime() ?? null,
        not_before: m.notBefore?.getTime() ?? at,
        status: until === null ? 'pending' : 'sending',
        lease_until: until,
        final: m.final ? 1 : 0,
        now: at,
      }).changes;
      if (until !== null && inserted === 1) claimed.push(m.id);
      // A row already there (a replay) is open or done: either way the person's later rows wait or go as usual.
      else if (until !== null && !m.claimedUntil) first.set(key, false);
    }
    return claimed;
  };
  // Why two SELECTs joined by UNION ALL: each uses the claim index; an OR would scan.
  const claimInteractive = db.prepare<{ channel: string; now: number; limit: number; lease: number }, JobRow>(
    `UPDATE outbox SET status = 'sending', lease_until = @lease, updated_at = @now
     WHERE id IN (
       SELECT o.id FROM outbox o
       WHERE o.id IN (
         SELECT id FROM outbox WHERE channel = @channel AND lane = 'interactive' AND status = 'pending' AND next_attempt_at <= @now
         UNION ALL
         SELECT id FROM outbox WHERE channel = @channel AND lane = 'interactive' AND status = 'sending' AND lease_until <= @now)
       AND (o.kind = 'template-notice' OR NOT EXISTS (
         SELECT 1 FROM outbox e WHERE e.address_key = o.address_key AND e.status IN ('pending', 'sending', 'held')
           AND e.lane = 'interactive' AND e.kind <> 'template-notice' AND e.rowid < o.rowid))
       ORDER BY o.rowid LIMIT @limit)
     ${RETURNING}`,
  ).raw(true);
  const claimBulk = db.prepare<{ channel: string; now: number; limit: number; lease: number }, JobRow>(
    // By rowid: the claim indexes hold it, so no row is looked up twice (by id, then by rowid).
    `UPDATE outbox SET status = 'sending', lease_until = @lease, updated_at = @now
     WHERE rowid IN (
       SELECT rowid FROM outbox WHERE channel = @channel AND lane = 'bulk' AND status = 'pending' AND next_attempt_at <= @now
       UNION ALL
       SELECT rowid FROM outbox WHERE channel = @channel AND lane = 'bulk' AND status = 'sending' AND lease_until <= @now
       LIMIT @limit)
     ${RETURNING}`,
  ).raw(true);
  const deleteLastWords = db.prepare("DELETE FROM outbox WHERE id = @id AND status = 'sending' AND final = 1");
  const settleSentKept = db.prepare(
    `UPDATE outbox SET status = 'sent', reason = NULL, platform_message_id = @pid, attempts = attempts + 1, lease_until = NULL, updated_at = @now,
       payload = CASE WHEN lane = 'interactive' THEN NULL ELSE payload END
     WHERE id = @id AND status = 'sending' AND final = 0`,
  );
  const settleFinal = db.prepare(
    `UPDATE outbox SET status = @status, reason = @reason, platform_message_id = @pid, attempts = attempts + 1, lease_until = NULL, updated_at = @now,
       payload = CASE WHEN lane = 'interactive' THEN NULL ELSE payload END
     WHERE id = @id AND status = 'sending'`,
  );
  const settleRetry = db.prepare(
    "UPDATE outbox SET status = 'pending', reason = @reason, next_attempt_at = @at, attempts = attempts + @inc, parts_sent = @parts, lease_until = NULL, updated_at = @now WHERE id = @id AND status = 'sending'",
  );
  const settleHeld = db.prepare(
    "UPDATE outbox SET status = 'held', reason = @reason, expires_at = @expires, parts_sent = @parts, lease_until = NULL, updated_at = @now WHERE id = @id AND status = 'sending'",
  );
  const settleRerouted = db.prepare(
    `UPDATE outbox SET status = 'pending', channel = @channel, address_channel = @channel, address_id = @address, address_key = @key, fallback_from = @from,
       reason = @reason, attempts = 0, parts_sent = 0, next_attempt_at = @now, lease_until = NULL, expires_at = NULL, updated_at = @now
     WHERE id = @id AND status = 'sending' AND fallback_from IS NULL`,
  );
  const settle = db.transaction((outcomes: Parameters<Outbox['settle']>[0], now: number) => {
    for (const { id, outcome } of outcomes) {
      switch (outcome.status) {
        case 'sent':
          // Why kept (without its words) rather than deleted: its id is what makes a replayed
          // effect's enqueue a no-op; a deleted row would let the same message go out twice.
          // Last words to a person just erased go entirely: nothing of theirs may stay.
          // Why the UPDATE first: nearly every row is kept, so one statement settles it.
          if (settleSentKept.run({ id, pid: outcome.platformMessageId, now }).changes === 0) deleteLastWords.run({ id });
          break;
        case 'retry':
          settleRetry.run({ id, reason: outcome.reason, at: outcome.at.getTime(), inc: outcome.countsAsAttempt ? 1 : 0, parts: outcome.partsSent ?? 0, now });
          break;
        case 'rerouted':
          settleRerouted.run({ id, channel: outcome.to.channel, address: outcome.to.id, key: addressKey(outcome.to), from: outcome.from, reason: outcome.reason, now });
          break;
        case 'held':
          settleHeld.run({ id, reason: outcome.reason, expires: outcome.expiresAt.getTime(), parts: outcome.partsSent ?? 0, now });
          break;
        default:
          settleFinal.run({ id, status: outcome.status, reason: outcome.reason, pid: null, now });
      }
    }
  });
  const reclaim = db.prepare("UPDATE outbox SET status = 'pending', next_attempt_at = @now, lease_until = NULL, updated_at = @now WHERE channel = @channel AND status = 'sending'");
  // Why these reads before the writes they guard: most claims and releases find nothing, and a
  // read takes no write lock, where an UPDATE that changes nothing still does.
  const anyDue = db
    .prepare<{ channel: string; lane: string; now: number }, number>(
      `SELECT EXISTS (SELECT 1 FROM outbox WHERE channel = @channel AND lane = @lane AND status = 'pending' AND next_attempt_at <= @now)
           OR EXISTS (SELECT 1 FROM outbox WHERE channel = @channel AND lane = @lane AND status = 'sending' AND lease_until <= @now)`,
    )
    .pluck();
  const anyHeld = db.prepare<{ key: string }, number>("SELECT 1 FROM outbox WHERE address_key = @key AND status = 'held' LIMIT 1").pluck();
  const release = db.prepare("UPDATE outbox SET status = 'pending', next_attempt_at = @now, expires_at = NULL, updated_at = @now WHERE address_key = @key AND status = 'held'");
  const releaseChannel = db.prepare(
    "UPDATE outbox SET status = 'pending', next_attempt_at = @now, expires_at = NULL, updated_at = @now WHERE channel = @channel AND status = 'held' AND reason = @reason",
  );
  const expire = db.prepare("UPDATE outbox SET status = 'expired', reason = 'expired', payload = NULL, updated_at = @now WHERE status = 'held' AND expires_at <= @now");
  const dropFailed = db.prepare(
    "DELETE FROM outbox WHERE lane = 'interactive' AND status IN ('sent', 'dead', 'unreachable', 'expired', 'skipped') AND updated_at < @before",
  );
  const held = db.prepare<[string, number], { id: string; kind: OutboxKind; channel: ChannelName; contact_id: string | null; broadcast_id: string | null; reason: string; expires_at: number }>(
    "SELECT id, kind, channel, contact_id, broadcast_id, reason, expires_at FROM outbox WHERE org_id = ? AND status = 'held' ORDER BY rowid LIMIT ?",
  );
  const statusOf = db.prepare<[string], { status: DeliveryStatus }>('SELECT status FROM outbox WHERE id = ?');
  const open = db.prepare("SELECT COUNT(*) FROM outbox WHERE broadcast_id = ? AND status IN ('pending', 'sending', 'held')").pluck();
  const anyOpen = db.prepare<[string], number>("SELECT 1 FROM outbox WHERE broadcast_id = ? AND status IN ('pending', 'sending', 'held') LIMIT 1").pluck();
  const openBroadcasts = db.prepare("SELECT DISTINCT broadcast_id FROM outbox WHERE broadcast_id IS NOT NULL AND status IN ('pending', 'sending', 'held')").pluck();
  const stats = db.prepare<[string], { status: string; lang: string; channel: string; fallbackFrom: string | null; n: number }>(
    'SELECT status, lang, channel, fallback_from AS fallbackFrom, COUNT(*) AS n FROM outbox WHERE broadcast_id = ? GROUP BY status, lang, channel, fallback_from',
  );
  const lastTo = db.prepare<[string, string, number], { org_id: string; broadcast_id: string; contact_id: string }>(
    `SELECT org_id, broadcast_id, contact_id FROM outbox
     WHERE address_channel = ? AND address_id = ? AND status = 'sent' AND lane = 'bulk' AND updated_at >= ? ORDER BY updated_at DESC LIMIT 1`,
  );
  const eraseAddress = db.prepare(ERASE_ADDRESS);
  /** Inserts rows (idempotent by id), synchronously, inside the group commit's transaction (the conversation store's hand-over). */
  const enqueueNow = (messages: readonly NewOutboxMessage[], at: Date): string[] => enqueue(messages, at.getTime());
  const receiptCounts = db.prepare<[string], { lang: string; channel: string; status: string; n: number }>(
    `SELECT o.lang, o.channel, r.status, COUNT(*) AS n FROM outbox o
     JOIN receipts r ON r.channel = o.channel AND r.platform_message_id = o.platform_message_id
     WHERE o.broadcast_id = ? AND o.status = 'sent' GROUP BY o.lang, o.channel, r.status`,
  );
  return {
    enqueueNow,
    async receiptCounts(broadcastId) {
      return receiptCounts.all(broadcastId);
    },
    enqueue(messages, at) {
      return group.run(() => enqueueNow(messages, at));
    },
    async materialize(broadcastId, orgId, audience, at) {
      const where = audienceCondition(audience);
      // Ids are derived from (broadcast, contact): a second materialize adds nothing.
      const sql = `INSERT INTO outbox (id, kind, lane, broadcast_id, org_id, contact_id, channel, address_channel, address_id, address_key, lang, first_name, status, next_attempt_at, updated_at)
        SELECT ? || ':' || c.id, 'broadcast', 'bulk', ?, c.org_id, c.id, c.channel, c.address_channel, c.address_id,
               CASE WHEN c.address_id IS NULL THEN NULL ELSE c.address_channel || ':' || c.address_id END,
               COALESCE(p.lang, c.lang), COALESCE(p.first_name, c.first_name), 'pending', ?, ?
        FROM contacts c LEFT JOIN people p ON p.id = c.person_id
        WHERE ${where.sql} AND (p.id IS NULL OR p.subscribed = 1)
        ON CONFLICT DO NOTHING`;
      return db.prepare(sql).run(broadcastId, broadcastId, at.getTime(), at.getTime(), orgId, ...where.params).changes;
    },
    async claim(channel, lane, now, limit, leaseUntil) {
      const params = { channel, now: now.getTime(), limit, lease: leaseUntil.getTime() };
      if (!anyDue.get({ channel, lane, now: params.now })) return [];
      return (lane === 'interactive' ? claimInteractive : claimBulk).all(params).map(toJob);
    },
    async settle(outcomes, at) {
      if (outcomes.length > 0) settle(outcomes, at.getTime());
    },
    async reclaim(channel, at) {
      return reclaim.run({ channel, now: at.getTime() }).changes;
    },
    async release(address, at) {
      if (!anyHeld.get({ key: addressKey(address) })) return 0;
      return release.run({ key: addressKey(address), now: at.getTime() }).changes;
    },
    async releaseChannel(channel, reason, at) {
      return releaseChannel.run({ channel, reason, now: at.getTime() }).changes;
    },
    async expire(now) {
      const n = expire.run({ now: now.getTime() }).changes;
      dropFailed.run({ before: now.getTime() - KEEP_FAILED_MS });
      return n;
    },
    async held(orgId, limit): Promise<HeldDelivery[]> {
      return held.all(orgId, limit).map((r) => ({
        id: r.id,
        kind: r.kind,
        channel: r.channel,
        contactId: r.contact_id,
        broadcastId: r.broadcast_id,
        reason: r.reason,
        expiresAt: new Date(r.expires_at).toISOString(),
      }));
    },
    async statusOf(ids) {
      const out = new Map<string, DeliveryStatus>();
      for (const id of ids) {
        const row = statusOf.get(id);
        if (row) out.set(id, row.status);
      }
      return out;
    },
    async stats(broadcastId) {
      return foldDeliveryStats(stats.all(broadcastId));
    },
    async openCount(broadcastId) {
      return open.get(broadcastId) as number;
    },
    async anyOpen(broadcastId) {
      return anyOpen.get(broadcastId) !== undefined;
    },
    async openBroadcasts() {
      return openBroadcasts.all() as string[];
    },
    async lastDeliveredTo(address, since) {
      const row = lastTo.get(address.channel, address.id, since.getTime());
      return row ? { orgId: row.org_id, broadcastId: row.broadcast_id, contactId: row.contact_id } : null;
    },
    async eraseAddress(address) {
      return eraseAddress.run({ key: addressKey(address) }).changes;
    },
  };
}

/** Channel sending leases in SQLite: one upsert that only takes over an expired or own lease. */
export function sqliteChannelLeases(db: Database.Database): ChannelLeases {
  const acquire = db.prepare(
    `INSERT INTO channel_leases (channel, holder, until) VALUES (@channel, @holder, @until)
     ON CONFLICT (channel) DO UPDATE SET holder = excluded.holder, until = excluded.until
     WHERE channel_leases.holder = excluded.holder OR channel_leases.until <= @now`,
  );
  const release = db.prepare('DELETE FROM channel_leases WHERE channel = ? AND holder = ?');
  return {
    async acquire(channel, holder, now, until) {
      return acquire.run({ channel, holder, until: until.getTime(), now: now.getTime() }).changes === 1;
    },
    async release(channel, holder) {
      release.run(channel, holder);
    },
  };
}

