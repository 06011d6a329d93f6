import type { Address } from '../../core/messages.ts';
import type { ConversationPipeline } from '../../core/pipeline/conversation-pipeline.ts';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** An SMS from a person, as both back-ends read it from their webhooks. */
export interface InboundSms {
  /** The back-end's id of the message (Twilio's MessageSid): the pipeline dedupes on it. */
  readonly id: string;
  /** The sender's number, E.164 when possible. */
  readonly from: string;
  readonly text: string;
  readonly receivedAt: Date;
}

/**
 * The SMS address of a phone number: E.164 ("+33612345678"), the same number a WhatsApp
 * identity or an imported contact has; a national number is read in `country` when given.
 * Null when it is no phone number (a short code, a sender name).
 */
export function smsAddress(raw: string, country?: string): Address | null {
  const phone = parsePhoneNumberFromString(raw.trim(), country ? { defaultCountry: country as CountryCode } : undefined);
  return phone?.isPossible() ? { channel: 'sms', id: phone.number } : null;
}

/**
 * Hands one SMS to the pipeline. An SMS is always text: "1" answers a numbered choice, the
 * carrier keywords (STOP, START, HELP and their local forms) are commands of the dialogs.
 */
export async function handleSms(pipeline: ConversationPipeline, sms: InboundSms, country?: string): Promise<boolean> {
  const from = smsAddress(sms.from, country);
  if (!from) return false;
  await pipeline.handle({ id: sms.id, from, content: { type: 'text', text: sms.text }, receivedAt: sms.receivedAt });
  return true;
}
