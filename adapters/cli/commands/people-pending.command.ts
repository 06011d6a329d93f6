import { z } from 'zod';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { formatTable } from './table.ts';

/**
 * `people:pending`: staff and recruiters waiting for approval, oldest first. Shows the first
 * name (the admin needs it to recognise them) but never a channel address: those can be
 * phone numbers.
 */
export const peoplePendingCommand: CliCommand = {
  summary: 'List staff and recruiters waiting for approval',
  usage: '',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, {}, z.object({}));
    if (!args.ok) return fail(args.error);
    const pending = await (await ctx.store()).people.listPending();
    if (pending.length === 0) {
      ctx.print('Nobody is waiting for approval.');
      return ok;
    }
    ctx.print(...formatTable(['ID', 'ROLE', 'FIRST NAME', 'CREATED'], pending.map((p) => [p.id, p.role, p.firstName, p.createdAt.slice(0, 10)])));
    return ok;
  },
};
