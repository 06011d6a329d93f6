import type { OutboundMessage } from '../../core/messages.ts';
import { locationText } from '../../core/pipeline/map-link.ts';

/**
 * The words of one rendered message as an SMS. The outbox has already made choices a numbered
 * list; a place is its name above a map link (a phone opens it, or the person reads the name).
 */
export function smsText(message: OutboundMessage): string {
  return message.type === 'location' ? locationText(message) : message.text;
}
