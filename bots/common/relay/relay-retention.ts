import type { RelayKit } from './relay-kit.ts';

/** Over relays are kept this long after their last activity by default (`RELAY_RETENTION_DAYS`). */
export const RELAY_RETENTION_MS = 183 * 24 * 3_600_000;
/** Why a day: a held message may hold a phone number; a writer who has not confirmed by then will not. */
export const HELD_PATIENCE_MS = 24 * 3_600_000;
/** Relays deleted per store call: a large backlog goes in short writes, over several sweeps. */
const RETENTION_BATCH = 100;

/**
 * Deletes what nobody will come back for: relays over (ended, closed, declined, left) and idle
 * past the retention period, with their messages, and held messages never confirmed within a
 * day. Safe with several processes: each delete is a condition on the rows. Returns how many
 * relays and held messages went.
 */
export async function pruneRelays(kit: RelayKit): Promise<{ relays: number; held: number }> {
  const now = kit.now().getTime();
  const relays = await kit.store.relays.deleteOverBefore(new Date(now - (kit.deps.retentionMs ?? RELAY_RETENTION_MS)), RETENTION_BATCH);
  const held = await kit.store.relays.dropHeldBefore(new Date(now - HELD_PATIENCE_MS));
  if (relays + held > 0) kit.deps.logger.info({ event: 'relay.retention', relays, held }, 'old relays and unconfirmed held messages deleted');
  return { relays, held };
}

/**
 * Deletes the relays about subjects of a kind that no longer exist (a flow's retention deleted
 * them), so the two people's words do not outlive what they were about. Pages through every
 * subject id of the kind: a round interrupted half-way leaves nothing the next round misses.
 * Returns how many relays went.
 */
export async function deleteOrphanRelays(
  relays: Pick<RelayKit['store']['relays'], 'subjectIds' | 'deleteBySubjects'>,
  kind: string,
  exists: (id: string) => Promise<boolean>,
): Promise<number> {
  let deleted = 0;
  let after = '';
  for (;;) {
    const ids = await relays.subjectIds(kind, after, RETENTION_BATCH);
    const gone: string[] = [];
    for (const id of ids) if (!(await exists(id))) gone.push(id);
    deleted += await relays.deleteBySubjects(kind, gone);
    if (ids.length < RETENTION_BATCH) return deleted;
    after = ids[ids.length - 1]!;
  }
}
