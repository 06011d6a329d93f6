/** How long a post shows before it must be renewed. */
export const POST_LIFE_MS = 30 * 86_400_000;
/** How long before its end the poster is reminded. */
export const REMIND_BEFORE_MS = 3 * 86_400_000;
/** How long an ended post is kept for "My posts" (to renew it) before it is deleted. */
export const KEEP_ENDED_MS = 30 * 86_400_000;

/** The dates of a post (re)opened now: it ends in 30 days, the reminder 3 days before. */
export function lifeFrom(now: Date): { renewedAt: string; expiresAt: string; remindAt: string; remindedAt: null } {
  const expires = now.getTime() + POST_LIFE_MS;
  return { renewedAt: now.toISOString(), expiresAt: new Date(expires).toISOString(), remindAt: new Date(expires - REMIND_BEFORE_MS).toISOString(), remindedAt: null };
}
