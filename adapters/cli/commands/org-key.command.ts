import { z } from 'zod';
import { newApiKey } from '../../http/org-auth.ts';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { orgCodeSchema } from './fields.ts';

/** `org:key <code>`: a new admin API key for the organisation; the previous key stops working. */
export const orgKeyCommand: CliCommand = {
  summary: "Create the organisation's admin API key (replaces the previous one)",
  usage: '<code>',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, { positionals: ['code'] }, z.object({ code: orgCodeSchema }));
    if (!args.ok) return fail(args.error);
    const store = await ctx.store();
    const org = await store.organisations.findByCode(args.value.code);
    if (!org) return fail(`no organisation with code "${args.value.code}"`);
    const { key, hash } = newApiKey();
    await store.organisations.update(org.id, { apiKeyHash: hash });
    ctx.print(`API key of ${org.name} (shown once, store it safely):`, key, 'Use it as: Authorization: Bearer <key>');
    return ok;
  },
};
