import type { ConversationRecord, PendingEffect } from '../ports/conversation-store.port.ts';

/** A conversation that has nothing stored yet. */
export const EMPTY_RECORD: ConversationRecord = { session: null, effects: [], outgoing: [], inputs: [], seen: [] };

/** Why a week: channels redeliver within hours (Telegram up to a day, Meta a few days), never weeks. */
export const SEEN_TTL_MS = 7 * 24 * 3_600_000;
/** Why a cap: a person writing hundreds of messages a week must not grow their record without end. */
const SEEN_MAX = 500;

/** Keeps the recent marks only (older redeliveries do not happen). */
export function recentSeen(record: ConversationRecord, now: Date): ConversationRecord['seen'] {
  const cutoff = now.getTime() - SEEN_TTL_MS;
  return record.seen.filter((s) => Date.parse(s.at) >= cutoff).slice(-SEEN_MAX + 1);
}

/** Whether the record holds work that must still be done (effects, messages, inputs). */
export function hasWork(record: ConversationRecord): boolean {
  return record.effects.length > 0 || record.outgoing.length > 0 || record.inputs.length > 0;
}

/**
 * When the record next needs attention, for the store's index: now for messages and inputs
 * not yet handed on, an effect's due time, or the dialog's timer.
 */
export function wakeAt(record: ConversationRecord, now: Date): Date | null {
  const times: number[] = [];
  if (record.outgoing.length > 0 || record.inputs.length > 0) times.push(now.getTime());
  for (const effect of record.effects) times.push(Date.parse(effect.dueAt));
  const timer = record.session?.timer;
  if (timer) times.push(Date.parse(timer.dueAt));
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

/**
 * The record with its dialog's timer as an input, once the timer is due: it then runs as a turn
 * like any other input (and a timer that fired already, or was re-armed, is ignored by the engine).
 */
export function withDueTimer(record: ConversationRecord, now: Date): ConversationRecord {
  const timer = record.session?.timer;
  if (!timer || Date.parse(timer.dueAt) > now.getTime()) return record;
  const id = `timer:${timer.id}`;
  if (record.inputs.some((i) => i.id === id)) return record;
  return { ...record, inputs: [...record.inputs, { id, input: { kind: 'timer', id: timer.id } }] };
}

/** Backoff of a failed effect: 1 s, 2 s, 4 s ... capped at 10 minutes. */
export function effectRetryMs(attempts: number): number {
  return Math.min(600_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

/** The record without one effect (performed, or given up). */
export function withoutEffect(record: ConversationRecord, id: string): ConversationRecord {
  return { ...record, effects: record.effects.filter((e) => e.id !== id) };
}

/** The record with one effect replaced (an attempt counted). */
export function withEffect(record: ConversationRecord, effect: PendingEffect): ConversationRecord {
  return { ...record, effects: record.effects.map((e) => (e.id === effect.id ? effect : e)) };
}
