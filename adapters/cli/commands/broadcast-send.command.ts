import { z } from 'zod';
import { LANGUAGE_CODES } from '../../../core/i18n/languages.ts';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { orgCodeSchema, requiredText } from './fields.ts';

const argsSchema = z.object({
  org: orgCodeSchema,
  text: requiredText().trim().min(1, 'is required').max(4000, 'must be at most 4000 characters'),
  lang: z.enum(['auto', ...LANGUAGE_CODES]).default('auto'),
  tags: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(/[;,|]/).map((t) => t.trim()).filter(Boolean) : [])),
  at: z.iso.datetime({ offset: true, error: 'must be an ISO date-time such as 2026-12-01T09:00:00+01:00' }).optional(),
});

/**
 * `broadcast:send`: records a broadcast for the organisation's audience. The running server
 * translates and sends it at its time (now by default).
 */
export const broadcastSendCommand: CliCommand = {
  summary: 'Send a broadcast to the organisation\'s contacts (the running server delivers it)',
  usage: '--org <code> --text "<message, {{firstName}} allowed>" [--lang fr|auto] [--tags a;b] [--at <ISO date-time>]',
  async run(ctx) {
    const args = parseCommandArgs(
      ctx.args,
      { options: { org: { type: 'string' }, text: { type: 'string' }, lang: { type: 'string' }, tags: { type: 'string' }, at: { type: 'string' } } },
      argsSchema,
    );
    if (!args.ok) return fail(args.error);
    const { org: code, text, lang, tags, at } = args.value;
    const store = await ctx.store();
    const org = await store.organisations.findByCode(code);
    if (!org) return fail(`no organisation with code "${code}"`);
    const now = ctx.clock.now();
    const id = ctx.ids.newId();
    const audience = tags.length > 0 ? ({ type: 'tags', tags } as const) : ({ type: 'all' } as const);
    await store.broadcasts.create({
      id,
      orgId: org.id,
      text,
      sourceLang: lang === 'auto' ? null : lang,
      audience,
      origin: 'api',
      status: 'scheduled',
      scheduledAt: (at ? new Date(at) : now).toISOString(),
      createdAt: now.toISOString(),
    });
    const recipients = await store.contacts.countAudience(org.id, audience);
    ctx.print(`Broadcast ${id} scheduled for ${recipients} recipient(s). Follow it with: npm run cli -- broadcast:status --org ${code} ${id}`);
    return ok;
  },
};
