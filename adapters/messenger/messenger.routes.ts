import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import express, { Router } from 'express';
import type { ConversationPipeline } from '../../core/pipeline/conversation-pipeline.ts';
import type { Clock } from '../../core/ports/clock.port.ts';
import type { Logger } from '../../core/ports/logger.port.ts';
import { sendValidationError } from '../http/validation-error.ts';
import { decideInbound, messageActivitySchema, type InboundDecision } from './messenger.activity.ts';
import { authenticate, authFieldsSchema, isRefusal, type MessengerAuth } from './messenger.auth.ts';
import { withoutSdkRetries } from './messenger.connector.ts';

/** Where the Azure Bot resource's "Messaging endpoint" points. */
export const MESSENGER_WEBHOOK_PATH = '/api/messages';

/** What the webhook needs. */
export interface MessengerRouterDeps {
  readonly adapter: CloudAdapter;
  readonly auth: MessengerAuth;
  readonly pipeline: ConversationPipeline;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The Bot Connector webhook: checks the bearer token (401), validates the activity (400 naming
 * the field), runs one turn for a person's message and sends its replies in that turn, then
 * answers 200. Other activity types (conversationUpdate, typing, ...) get 200 and nothing else.
 */
export function messengerRouter(deps: MessengerRouterDeps): Router {
  const { adapter, auth, pipeline, clock, logger } = deps;
  const router = Router();
  router.post(MESSENGER_WEBHOOK_PATH, express.json({ limit: '256kb' }), async (req, res) => {
    const fields = authFieldsSchema.safeParse(req.body);
    // Why the token before the body: a caller without a valid one learns nothing, not even
    // what we expect. The SDK refuses a missing header itself when authentication is on.
    const header = req.get('authorization') ?? '';
    const authenticated = await authenticate(auth, header, fields.success ? fields.data : { type: '' });
    if (isRefusal(authenticated)) {
      logger.warn({ channel: 'messenger', httpStatus: authenticated.httpStatus, reason: authenticated.reason }, 'Bot Connector request refused');
      res.status(authenticated.httpStatus).json({ error: authenticated.httpStatus === 401 ? 'unauthorized' : 'try again later' });
      return;
    }
    if (!fields.success) {
      sendValidationError(res, fields.error);
      return;
    }
    if (fields.data.type !== 'message') {
      logger.debug({ channel: 'messenger', type: fields.data.type }, 'activity type ignored');
      res.status(200).end();
      return;
    }
    const activity = messageActivitySchema.safeParse(req.body);
    if (!activity.success) {
      sendValidationError(res, activity.error);
      return;
    }
    const decision = decideInbound(activity.data, clock.now());
    if (decision.kind === 'ignored') {
      logger.debug({ channel: 'messenger', reason: decision.reason }, 'message activity ignored');
      res.status(200).end();
      return;
    }
    // Why: "expectReplies" would buffer our replies into this HTTP answer, which we never send.
    const { deliveryMode: _deliveryMode, ...raw } = req.body as Activity;
    try {
      await adapter.processActivityDirect(authenticated, raw as Activity, (context) => turn(context, decision));
      res.status(200).end();
    } catch {
      // Why 500: the connector delivers the activity again, and the pipeline's dedupe makes
      // that safe. The cause was logged in turn(); the SDK rewraps it as a bare Error.
      res.status(500).json({ error: 'internal error' });
    }
  });

  /** One turn: the pipeline stores it and queues its replies in the outbox (sent as proactive messages). */
  async function turn(context: TurnContext, decision: Extract<InboundDecision, { kind: 'message' }>): Promise<void> {
    withoutSdkRetries(adapter, context);
    try {
      await pipeline.handle(decision.message, decision.reference);
    } catch (error) {
      // The pipeline is stopping or the store is down (messages of our own code: no personal data).
      const err = error instanceof Error ? { name: error.name, message: error.message } : { name: 'unknown' };
      logger.error({ channel: 'messenger', err }, 'Messenger turn failed');
      throw error;
    }
  }

  return router;
}
