import type { CliCommand } from './command.ts';
import { broadcastEstimateCommand } from './broadcast-estimate.command.ts';
import { broadcastSendCommand } from './broadcast-send.command.ts';
import { broadcastStatusCommand } from './broadcast-status.command.ts';
import { consoleInviteCommand } from './console-invite.command.ts';
import { contactsImportCommand } from './contacts-import.command.ts';
import { helpCommand } from './help.command.ts';
import { orgAddCommand } from './org-add.command.ts';
import { orgKeyCommand } from './org-key.command.ts';
import { orgListCommand } from './org-list.command.ts';
import { peopleApproveCommand } from './people-approve.command.ts';
import { peoplePendingCommand } from './people-pending.command.ts';

/**
 * The admin commands by name, in the order `help` lists them. A new command is one file in
 * this folder and one line here.
 */
export const COMMANDS: ReadonlyMap<string, CliCommand> = new Map<string, CliCommand>([
  ['org:add', orgAddCommand],
  ['org:list', orgListCommand],
  ['org:key', orgKeyCommand],
  ['people:pending', peoplePendingCommand],
  ['people:approve', peopleApproveCommand],
  ['contacts:import', contactsImportCommand],
  ['broadcast:estimate', broadcastEstimateCommand],
  ['broadcast:send', broadcastSendCommand],
  ['broadcast:status', broadcastStatusCommand],
  ['console:invite', consoleInviteCommand],
  ['help', helpCommand],
]);
