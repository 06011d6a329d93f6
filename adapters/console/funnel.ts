import type { DeliveryStats } from '../../core/ports/outbox.port.ts';
import type { ConsoleContext } from './console-http.ts';
import { html, type SafeHtml } from './html.ts';

/** A broadcast's funnel as the console shows it: what is waiting, what went, what came back, what failed. */
export interface Funnel {
  readonly total: number;
  readonly queued: number;
  readonly sent: number;
  /** Of those sent, what the platform reported delivered (read ones included), and read; channels without receipts report none. */
  readonly delivered: number;
  readonly read: number;
  readonly held: number;
  readonly failed: number;
  readonly replied: number;
  /** Rows that need no more work from us (sent, failed, or held for the person): the progress bar. */
  readonly handled: number;
}

/** Folds statuses into the funnel; `counts` is one status-to-count table (a whole broadcast, a language, a channel). */
export function funnelOf(counts: Readonly<Record<string, number>>, replied = 0, receipts: Readonly<Record<string, number>> = {}): Funnel {
  const n = (s: string) => counts[s] ?? 0;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const queued = n('pending') + n('sending');
  const failed = n('unreachable') + n('dead') + n('expired') + n('skipped');
  const read = receipts['read'] ?? 0;
  return { total, queued, sent: n('sent'), delivered: (receipts['delivered'] ?? 0) + read, read, held: n('held'), failed, replied, handled: total - queued };
}

/** Percent handled: 0 while the broadcast is not yet prepared (it has no rows), 100 for one that reached nobody. */
export function percent(f: Funnel, status: string): number {
  if (status === 'scheduled') return 0;
  return f.total === 0 ? 100 : Math.floor((f.handled * 100) / f.total);
}

const COLUMNS = ['total', 'queued', 'sent', 'delivered', 'read', 'held', 'failed', 'replied'] as const;

/** A table of funnels, one row per label (language, channel). */
export function funnelTable(ctx: ConsoleContext, caption: string, rows: readonly [string, Funnel][], id?: string): SafeHtml {
  const { t } = ctx;
  return html`<table${id ? html` id="${id}"` : ''}><caption>${caption}</caption>
<thead><tr><th scope="col"></th>${COLUMNS.map((c) => html`<th scope="col">${t(`funnel.${c}`)}</th>`)}</tr></thead>
<tbody>${rows.map(([label, f]) => html`<tr data-key="${label}"><th scope="row"><bdi>${label}</bdi></th>${COLUMNS.map((c) => html`<td data-col="${c}">${f[c]}</td>`)}</tr>`)}</tbody></table>`;
}

/** Counts of one kind (replies, receipts) for the whole broadcast, per language and per channel. */
export interface Breakdown<T> {
  readonly total: T;
  readonly lang: ReadonlyMap<string, T>;
  readonly channel: ReadonlyMap<string, T>;
}

/** The funnels of a broadcast: overall, per language, per channel. */
export function funnels(stats: DeliveryStats, replied: Breakdown<number>, receipts: Breakdown<Readonly<Record<string, number>>>) {
  return {
    all: funnelOf(stats.byStatus, replied.total, receipts.total),
    byLang: Object.entries(stats.byLang).map(([k, v]) => [k, funnelOf(v, replied.lang.get(k) ?? 0, receipts.lang.get(k))] as [string, Funnel]),
    byChannel: Object.entries(stats.byChannel).map(([k, v]) => [k, funnelOf(v, replied.channel.get(k) ?? 0, receipts.channel.get(k))] as [string, Funnel]),
  };
}
