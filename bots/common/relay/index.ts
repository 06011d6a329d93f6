/**
 * The relay: a pseudonymous, translated conversation between two people about a *subject* (an
 * exchange post, a job application), shared by every flow. Neither side ever sees the other's
 * phone number, channel id or handle; each reads the other in their own language.
 *
 * ## For a flow
 * 1. Register the subject kind once, in the composition root (adapters/app.ts):
 *    ```ts
 *    app.relays.registerSubject({
 *      kind: 'exchange-post',
 *      header: async (postId, lang) => '🔧 ' + categoryName(postId, lang),      // null: subject gone
 *      requestText: async (relay, lang, name, header) =>                       // optional
 *        text(lang, 'exchange:wouldAnswer', { name, km: relay.context?.km, subject: header }),
 *      onOutcome: async (relay, personId, answer) => { ... },                  // optional
 *      hide: async (postId) => posts.hide(postId),                              // optional, moderation
 *    });
 *    ```
 * 2. Ask for contact from a dialog: `{ kind: 'call', dialog: 'relay-request', args: ['subjectKind',
 *    'subjectId', 'toPersonId', 'intro', 'open', 'context'], save: 'contact', next: ... }` with those
 *    keys in the dialog's data (`open: true` opens at once: a recruiter writing to an applicant;
 *    `context` holds the flow's own facts for its request text, e.g. `{km: 3}`, never a place).
 *    `contact.kind` is then `requested`, `opened`, `exists`, `blocked`, `suspended`, `self` or `gone`;
 *    on `opened`/`exists` the person is already in the relay. From an effect instead:
 *    `relays.request(context.effectId, person, {subjectKind, subjectId, toPersonId, intro, open})`.
 * 3. Search: leave out `await relays.blockedEitherWay(readerId)` and suspended people
 *    (`relays.isSuspended(id)`); `relays.isBlockedEitherWay(a, b)` for one pair.
 * 4. Outcomes: `relays.outcomes(kind, id?)` → `{yes, no, notYet}` ("Did you agree on something?").
 * 5. "forget": nothing to do for relays (erasureWithHooks in bots/common/erasure-hooks.ts runs
 *    the relay's part); a flow adds its own hook there for its own data.
 *
 * ## What happens
 * The receiver is asked through their own conversation (signal `relay.request`, shown at once at
 * the menu or in another relay, else kept for the menu with a short notice): accept / decline /
 * later. In the relay (dialog `relay`, step `talk`) words go verbatim to the other side: an
 * outbox row of kind `relay` to their freshest channel, machine-translated at send time (never
 * cached), headed with the writer's first name and the subject; while the reader is elsewhere,
 * one short notice with a button to open it. A phone number, e-mail address or link is held until
 * the writer confirms. Controls: `#end #block #report #menu #original` (and translations);
 * "original" typed alone shows the last message as written. 14 days of silence close a relay
 * (a sweep over the store, so restarts lose nothing); each side is then asked once "Did you agree
 * on something?". Reports go to the reporter's organisation's queue (else the operator's):
 * `GET /api/moderation/reports`, `.../:id/dismiss`, `.../:id/suspend`, `.../:id/hide-subject`.
 */
export { RelayService } from './relay.service.ts';
export type { RelaySubjectKind } from './relay-subjects.ts';
export type { RelayRequest, RequestOutcome } from './relay-requests.ts';
export { RELAY_EVENTS, RELAY_SIGNALS } from './relay-names.ts';
export { relayRequestDialog } from './relay.dialogs.ts';
export { erasureWithHooks, type ErasureHook } from '../erasure-hooks.ts';
