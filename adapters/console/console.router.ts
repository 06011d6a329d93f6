import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { BroadcastService } from '../../bots/broadcast/broadcast.service.ts';
import type { RelayService } from '../../bots/common/relay/relay.service.ts';
import type { ReplyDesk } from '../../bots/broadcast/replies.ts';
import type { Clock, IdGenerator } from '../../core/ports/clock.port.ts';
import type { Organisation, Person } from '../../core/ports/people.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { approvalsRouter } from './approvals.routes.ts';
import { broadcastsRouter } from './broadcasts.routes.ts';
import { composeRouter, type MessageCosts } from './compose.routes.ts';
import type { ConsoleAccounts } from './console-accounts.ts';
import { consoleSession, csrfGuard, ctxOf, requireUser, sendPage } from './console-http.ts';
import { layout } from './console-layout.ts';
import { contactsRouter } from './contacts.routes.ts';
import { html } from './html.ts';
import { inboxRouter } from './inbox.routes.ts';
import { moderationConsoleRouter } from './moderation.routes.ts';
import { settingsRouter, type Pairing, type TemplatesView } from './settings.routes.ts';
import { signInRouter } from './signin.routes.ts';

const ASSETS = fileURLToPath(new URL('./public/', import.meta.url));

/** What the console is built from: the same services as the chat and the admin API. */
export interface ConsoleDeps {
  readonly store: Store;
  readonly accounts: ConsoleAccounts;
  readonly broadcasts: BroadcastService;
  readonly replies: ReplyDesk;
  /** Relayed conversations: the moderation queue, and a person's part of them erased before the person. */
  readonly relays: RelayService;
  /** What the flows keep about a person, erased first when the console erases them (as "forget" does). */
  readonly beforeErase: (person: Person) => Promise<void>;
  /** Approves a pending staff member or recruiter (the same service as the API and the CLI: a recruiter is told in chat). */
  readonly approve: (person: Person, org: Organisation) => Promise<{ readonly ok: boolean }>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly costs: MessageCosts | undefined;
  readonly templates: TemplatesView;
  readonly pairing: Pairing | null;
  /** Sign-in form posts per minute from one client address (on top of the stored per-user lock). */
  readonly signInPerMinute: number;
}

/**
 * The NGO console under `/console`: server-rendered pages, one stylesheet and one small script
 * (no bundler, nothing from another host). Every form carries the session's CSRF token.
 */
export function consoleRouter(deps: ConsoleDeps): Router {
  const router = Router();
  router.use('/console/assets', express.static(ASSETS, { maxAge: '1h', index: false, fallthrough: false }));
  router.use('/console', express.urlencoded({ extended: false, limit: '5mb' }), consoleSession(deps), csrfGuard);
  router.use(signInRouter({ accounts: deps.accounts, perMinute: deps.signInPerMinute }));
  router.use('/console', requireUser);
  router.use(broadcastsRouter(deps));
  router.use(contactsRouter(deps));
  router.use(composeRouter(deps));
  router.use(inboxRouter(deps));
  router.use(approvalsRouter(deps));
  router.use(moderationConsoleRouter(deps));
  router.use(settingsRouter(deps));
  router.use('/console', (_req, res) => {
    const ctx = ctxOf(res);
    sendPage(res, layout(ctx, ctx.t('errors.notFound'), html`<p><a href="/console">${ctx.t('nav.overview')}</a></p>`), 404);
  });
  return router;
}
