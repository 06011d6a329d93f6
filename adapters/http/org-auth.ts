import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Organisation } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';

/** A new organisation API key: shown once, only its hash is stored. */
export function newApiKey(): { key: string; hash: string } {
  const key = `psk_${randomBytes(24).toString('base64url')}`;
  return { key, hash: hashApiKey(key) };
}

/** sha256 of an API key (keys are long and random, so no slow hash is needed). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Resolves the organisation from `Authorization: Bearer <api key>`; 401 without a valid key.
 * Every admin route then works inside that organisation only.
 */
export function requireOrg(store: Store): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const hash = match ? hashApiKey(match[1]!) : null;
    // The organisation's own key (org:key), or one of its named keys made in the console.
    let org = hash ? await store.organisations.findByApiKeyHash(hash) : null;
    if (!org && hash) {
      const named = await store.console.findApiKey(hash);
      org = named ? await store.organisations.get(named.orgId) : null;
    }
    if (!org) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'missing or invalid API key' });
      return;
    }
    res.locals['org'] = org;
    next();
  };
}

/** The organisation resolved by {@link requireOrg}. */
export function orgOf(res: Response): Organisation | null {
  return (res.locals['org'] as Organisation | undefined) ?? null;
}
