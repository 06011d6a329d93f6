import type { DeliveryStats } from '../ports/outbox.port.ts';

/** One group of a broadcast's rows, as a store counts them. */
export interface DeliveryCount {
  readonly status: string;
  readonly lang: string;
  readonly channel: string;
  /** The channel the rows fell back from, if they did. */
  readonly fallbackFrom?: string | null;
  readonly n: number;
}

/** Folds a store's grouped counts into statistics by status, language and channel (one place for every store). */
export function foldDeliveryStats(counts: Iterable<DeliveryCount>): DeliveryStats {
  const byStatus: Record<string, number> = {};
  const byLang: Record<string, Record<string, number>> = {};
  const byChannel: Record<string, Record<string, number>> = {};
  const byFallback: Record<string, number> = {};
  let total = 0;
  for (const { status, lang, channel, fallbackFrom, n } of counts) {
    total += n;
    if (fallbackFrom) byFallback[`${fallbackFrom}>${channel}`] = (byFallback[`${fallbackFrom}>${channel}`] ?? 0) + n;
    byStatus[status] = (byStatus[status] ?? 0) + n;
    const perLang = (byLang[lang] ??= {});
    perLang[status] = (perLang[status] ?? 0) + n;
    const perChannel = (byChannel[channel] ??= {});
    perChannel[status] = (perChannel[status] ?? 0) + n;
  }
  return Object.keys(byFallback).length > 0 ? { total, byStatus, byLang, byChannel, byFallback } : { total, byStatus, byLang, byChannel };
}
