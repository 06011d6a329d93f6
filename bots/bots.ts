import type { DialogDef } from '../core/dialog/dialog-definition.ts';
import type { PersonView } from '../core/dialog/engine-env.ts';
import type { JsonObject } from '../core/dialog/json.ts';
import { forgetDialog, languageDialog } from './common/common.dialogs.ts';
import { menuDialog } from './menu/menu.dialog.ts';
import { onboardingDialog } from './onboarding/onboarding.dialog.ts';
import { composeDialog, joinDialog } from './broadcast/broadcast.dialogs.ts';
import { JOBS_DIALOGS } from './jobs/jobs.dialogs.ts';

import { RELAY_DIALOGS } from './common/relay/relay.dialogs.ts';
import { RELAY_SIGNAL_NAMES } from './common/relay/relay-names.ts';
import { placeDialog } from './common/places/places.dialog.ts';
import { EXCHANGE_DIALOG_DEFS } from './exchange/exchange.dialogs.ts';
import { channelsDialog } from './channels/channels.dialog.ts';

/** Every dialog of the product. */
export const DIALOGS: readonly DialogDef[] = [
  onboardingDialog,
  menuDialog,
  languageDialog,
  forgetDialog,
  joinDialog,
  composeDialog,
  // Shared sub-dialogs and the relay between two people.
  placeDialog,
  ...RELAY_DIALOGS,
  // The skill-for-service exchange.
  ...EXCHANGE_DIALOG_DEFS,
  // Jobs: recruiters, candidates' profiles, matching and applications.
  ...JOBS_DIALOGS,
  // Which of their channels a person is written to first.
  channelsDialog,
];

/**
 * Signals the product's flows send to someone else's conversation (a contact request, an answer,
 * a decision); the registry refuses to start if a step cannot receive one.
 */
export const SIGNALS: readonly string[] = [...RELAY_SIGNAL_NAMES];

/** Dialogs opened by the global `language` and `forget` commands. */
export const COMMAND_DIALOGS = { language: languageDialog.id, forget: forgetDialog.id } as const;

/**
 * Strangers start with onboarding; people we know start at their menu, or join the
 * organisation of the deep link (`/start code`) they came through.
 */
export function entryDialog(person: PersonView | null, startPayload?: string): { dialog: string; data: JsonObject } {
  if (!person) return { dialog: onboardingDialog.id, data: {} };
  if (startPayload) return { dialog: joinDialog.id, data: { role: person.role } };
  return { dialog: menuDialog.id, data: { role: person.role } };
}
