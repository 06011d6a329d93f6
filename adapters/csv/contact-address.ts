import type { Address, ChannelName } from '../../core/messages.ts';

/** The channels a contacts file may name: those an NGO can know a person by from a phone list. */
export const IMPORT_CHANNELS = ['whatsapp-cloud', 'whatsapp-web', 'telegram', 'messenger', 'sms'] as const satisfies readonly ChannelName[];
/** One of {@link IMPORT_CHANNELS}. */
export type ImportChannel = (typeof IMPORT_CHANNELS)[number];

/**
 * Where an imported contact is written to, derived from their E.164 phone: the WhatsApp Cloud
 * API's `wa_id` (digits without "+"), a WhatsApp Web chat id (`digits@c.us`), the number itself
 * for SMS (`+digits`), or null on the
 * platforms that cannot be reached by phone number until the person writes to the bot
 * (Telegram, Messenger); their broadcast deliveries then say `no-address`.
 */
export function addressFor(channel: ChannelName, e164: string): Address | null {
  const digits = e164.replace(/\D/g, '');
  switch (channel) {
    case 'whatsapp-cloud':
      return { channel, id: digits };
    case 'whatsapp-web':
      return { channel, id: `${digits}@c.us` };
    case 'sms':
      return { channel, id: `+${digits}` };
    default:
      return null;
  }
}
