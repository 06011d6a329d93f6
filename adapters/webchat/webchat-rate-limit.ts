import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import { directionOf, LANGUAGE_CODES } from '../../core/i18n/languages.ts';

/** How the web chat API is rate-limited. */
export interface WebchatRateLimitOptions {
  readonly text: TextRenderer;
  /** Language of the 429 when the request names none we speak. */
  readonly defaultLang: string;
  /** Messages (POST) per minute from one client address; polls (GET) may be four times as many. */
  readonly perMinute: number;
}

const PATH = '/api/webchat/messages';

/**
 * Rate limits of the public web chat API, per client address (express-rate-limit; IPv6 by
 * /56 subnet): each message may create a conversation and write several rows, so one client
 * must not fill the disk. A refused request gets a 429 with `Retry-After` and a short message
 * in the language the page asks for (`Accept-Language`: the page sends the conversation's).
 * Why generous: people in one shelter or office share an address.
 * Why in memory: a limit protects this process; it decides nothing about what is sent.
 */
export function webchatRateLimit(options: WebchatRateLimitOptions): Router {
  const tooMany = (req: Request, res: Response): void => {
    const lang = req.acceptsLanguages(...LANGUAGE_CODES) || options.defaultLang;
    res.status(429).json({ error: 'too many requests', lang, dir: directionOf(lang), message: options.text(lang, 'common:tooFast') });
  };
  const common = { windowMs: 60_000, standardHeaders: 'draft-8', legacyHeaders: false, handler: tooMany } as const;
  const router = Router();
  router.post(PATH, rateLimit({ ...common, limit: options.perMinute, identifier: 'webchat-messages' }));
  router.get(PATH, rateLimit({ ...common, limit: options.perMinute * 4, identifier: 'webchat-polls' }));
  return router;
}
