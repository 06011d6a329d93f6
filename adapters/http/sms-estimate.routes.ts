import { Router, type Response } from 'express';
import { z } from 'zod';
import type { SmsEstimate } from '../../bots/broadcast/sms-estimate.ts';
import { LANGUAGE_CODES } from '../../core/i18n/languages.ts';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type { Organisation } from '../../core/ports/people.port.ts';
import { cleanFreeText, TAG_PATTERN } from '../../core/text/people-text.ts';
import { jsonBody } from './json-body.ts';
import { sendValidationError } from './validation-error.ts';

const lang = z.enum(LANGUAGE_CODES as [string, ...string[]]);
/** The body of `POST /api/broadcasts`: the estimate is of the broadcast the NGO is about to send. */
const estimateBody = z.strictObject({
  text: z.string().transform(cleanFreeText).pipe(z.string().trim().min(1, 'must not be empty').max(4000)),
  sourceLang: z.union([lang, z.literal('auto')]).default('auto'),
  audience: z.union([z.literal('all'), z.strictObject({ tags: z.array(z.string().trim().min(1).max(40).regex(TAG_PATTERN, 'must start with a letter or digit')).min(1).max(20) })]).default('all'),
  scheduleAt: z.iso.datetime({ offset: true }).optional(),
});

/** What the route needs: the estimate itself and the organisation the API key named. */
export interface SmsEstimateRoutesDeps {
  readonly estimate: (org: Organisation, text: string, sourceLang: string | null, audience: Audience) => Promise<SmsEstimate>;
  readonly orgOf: (res: Response) => Organisation | null;
}

/**
 * `POST /api/broadcasts/sms-estimate`: what a broadcast will cost on SMS before it is sent,
 * per language (recipients, encoding, segments per copy, segments, cost) and in all.
 */
export function smsEstimateRouter(deps: SmsEstimateRoutesDeps): Router {
  const router = Router();
  router.post('/api/broadcasts/sms-estimate', ...jsonBody('256kb'), async (req, res) => {
    const parsed = estimateBody.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const { text, sourceLang, audience } = parsed.data;
    const target: Audience = audience === 'all' ? { type: 'all' } : { type: 'tags', tags: audience.tags };
    res.json(await deps.estimate(deps.orgOf(res)!, text, sourceLang === 'auto' ? null : sourceLang, target));
  });
  return router;
}
