import { z } from 'zod';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { formatTable } from './table.ts';
import { orgCodeSchema } from './fields.ts';

/**
 * `people:pending`: staff and recruiters waiting for approval, oldest first. Shows the first
 * name (the admin needs it to recognise them) but never a channel address: those can be
 * phone numbers.
 */
export const peoplePendingCommand: CliCommand = {
  summary: 'List staff and recruiters waiting for approval',
  usage: '[--org <code>]',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, { options: { org: { type: 'string' } } }, z.object({ org: orgCodeSchema.optional() }));
    if (!args.ok) return fail(args.error);
    const store = await ctx.store();
    let orgId: string | undefined;
    if (args.value.org !== undefined) {
      const org = await store.organisations.findByCode(args.value.org);
      if (!org) return fail(`no organisation with code "${args.value.org}" (see: npm run cli -- org:list)`);
      orgId = org.id;
    }
    const pending = await store.people.listPending(orgId);
    if (pending.length === 0) {
      ctx.print('Nobody is waiting for approval.');
      return ok;
    }
    ctx.print(...formatTable(['ID', 'ROLE', 'FIRST NAME', 'CREATED'], pending.map((p) => [p.id, p.role, p.firstName, p.createdAt.slice(0, 10)])));
    return ok;
  },
};
