import type { ContactImport } from '../../core/ports/contacts.port.ts';

/** Import rows for `count` Telegram contacts with chat ids from `firstChatId` (English, no tags). */
export function telegramContacts(count: number, firstChatId: number, phonePrefix: string): ContactImport[] {
  return Array.from({ length: count }, (_, i) => ({
    firstName: `P${i}`,
    phone: `+${phonePrefix}${String(i).padStart(7, '0')}`,
    lang: 'en',
    channel: 'telegram' as const,
    address: { channel: 'telegram' as const, id: String(firstChatId + i) },
    tags: [],
  }));
}

/** The most events seen in any one-second window (sends a platform counted). */
export function peakPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}
