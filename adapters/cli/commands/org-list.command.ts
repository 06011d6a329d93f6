import { z } from 'zod';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { formatTable } from './table.ts';

/** `org:list`: every organisation, oldest first. */
export const orgListCommand: CliCommand = {
  summary: 'List organisations',
  usage: '',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, {}, z.object({}));
    if (!args.ok) return fail(args.error);
    const orgs = await (await ctx.store()).organisations.list();
    if (orgs.length === 0) {
      ctx.print('No organisations yet. Add one with: npm run cli -- org:add --name "<name>" --code <code>');
      return ok;
    }
    ctx.print(...formatTable(['ID', 'CODE', 'LANG', 'NAME'], orgs.map((o) => [o.id, o.code, o.lang, o.name])));
    return ok;
  },
};
