import { createHmac } from 'node:crypto';

/**
 * Turns (conversation, message id) into an opaque mark for the dedupe record. Keyed with a
 * secret (HMAC-SHA256), because message ids are small counters: an unkeyed hash of a known chat
 * id and a few guessed ids would tell anyone holding the database that this person wrote to us.
 */
export type InboundMarker = (conversation: string, messageId: string) => string;

/** An HMAC-SHA256 marker with this secret (at least 32 random bytes, kept outside the database). */
export function hmacMarker(secret: Uint8Array): InboundMarker {
  if (secret.length < 32) throw new Error('the inbound mark secret needs at least 32 bytes');
  return (conversation, messageId) => createHmac('sha256', secret).update(conversation).update('\u0000').update(messageId).digest('base64url');
}
