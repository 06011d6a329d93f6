import type { OutboundMessage } from '../../core/messages.ts';
import { locationText } from '../../core/pipeline/map-link.ts';
import { smsFriendly } from '../../core/text/sms-segments.ts';

/**
 * The words of one rendered message as an SMS: GSM-7 look-alikes for typography where that
 * keeps the cheaper encoding (see smsFriendly). The outbox has already made choices a numbered
 * list; a place is its name above a map link.
 */
export function smsText(message: OutboundMessage): string {
  return smsFriendly(message.type === 'location' ? locationText(message) : message.text);
}
