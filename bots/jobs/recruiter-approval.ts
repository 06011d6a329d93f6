import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import { preferredAddress } from '../../core/pipeline/freshest-address.ts';
import type { NewOutboxMessage } from '../../core/ports/outbox.port.ts';
import type { Organisation, Person } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';

/** Why an approval was refused (the CLI and the API word it their way). */
export type ApprovalRefusal = 'not-pending' | 'gone';

/**
 * Approves a pending staff member or recruiter for an organisation, and tells a recruiter in
 * chat (an outbox row whose id names the approval, so approving twice tells once). `send`
 * queues rows: the server's outbox worker sends them, also when the CLI approved.
 */
export async function approvePerson(
  deps: { store: Pick<Store, 'people' | 'reach'>; text: TextRenderer; send: (messages: readonly NewOutboxMessage[]) => Promise<void>; now: Date },
  person: Person,
  org: Organisation,
): Promise<{ ok: true; person: Person } | { ok: false; reason: ApprovalRefusal }> {
  if (person.roleStatus !== 'pending') return { ok: false, reason: 'not-pending' };
  // The notice is queued before the approval is written: a failure in between leaves the person
  // pending, and the retry queues the same row again (its id names the approval), then approves.
  if (person.role === 'recruiter') {
    const to = await preferredAddress(person, deps.store);
    const text = deps.text(person.lang, 'jobs:approved', { org: org.name });
    if (to) await deps.send([{ id: `approved:${person.id}:${org.id}`, kind: 'notice', to, reply: { lang: person.lang, message: { type: 'text', text } }, inboundAt: null, orgId: org.id }]);
  }
  const updated = await deps.store.people.update(person.id, { roleStatus: 'active', orgId: org.id }, deps.now);
  // Why: the person may have typed FORGET between the read and the write.
  if (!updated) return { ok: false, reason: 'gone' };
  return { ok: true, person: updated };
}
