import { z } from 'zod';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { idSchema, orgCodeSchema } from './fields.ts';
import { formatTable } from './table.ts';

/** `broadcast:status`: progress of a broadcast by status, language and channel. */
export const broadcastStatusCommand: CliCommand = {
  summary: 'Show the progress of a broadcast by status, language and channel',
  usage: '--org <code> <broadcastId>',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, { options: { org: { type: 'string' } }, positionals: ['id'] }, z.object({ org: orgCodeSchema, id: idSchema }));
    if (!args.ok) return fail(args.error);
    const store = await ctx.store();
    const org = await store.organisations.findByCode(args.value.org);
    const broadcast = org ? await store.broadcasts.get(org.id, args.value.id) : null;
    if (!org || !broadcast) return fail(`no broadcast ${args.value.id} for organisation "${args.value.org}"`);
    const stats = await store.outbox.stats(broadcast.id);
    const statuses = Object.keys(stats.byStatus).sort();
    const rows = (table: Readonly<Record<string, Readonly<Record<string, number>>>>) =>
      Object.entries(table)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, counts]) => [key, ...statuses.map((s) => String(counts[s] ?? 0))]);
    ctx.print(`Broadcast ${broadcast.id}: ${broadcast.status}, scheduled ${broadcast.scheduledAt}, ${stats.total} deliveries`);
    if (stats.total > 0) {
      ctx.print('', ...formatTable(['LANGUAGE', ...statuses.map((s) => s.toUpperCase())], rows(stats.byLang)));
      ctx.print('', ...formatTable(['CHANNEL', ...statuses.map((s) => s.toUpperCase())], rows(stats.byChannel)));
    }
    return ok;
  },
};
