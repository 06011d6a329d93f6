import { z } from 'zod';
import { LANGUAGE_CODES } from '../../../core/i18n/languages.ts';
import type { Organisation } from '../../../core/ports/people.port.ts';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { orgCodeSchema, requiredText } from './fields.ts';

const argsSchema = z.object({
  name: requiredText().trim().min(2, 'must be 2-100 characters').max(100, 'must be 2-100 characters'),
  code: orgCodeSchema,
  lang: z.enum(LANGUAGE_CODES as [string, ...string[]], { error: `must be one of ${LANGUAGE_CODES.join(', ')}` }).optional(),
});

/** `org:add`: creates an organisation (an NGO or employer) that staff can then be approved for. */
export const orgAddCommand: CliCommand = {
  summary: 'Create an organisation',
  usage: '--name <name> --code <code> [--lang <language>]',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, { options: { name: { type: 'string' }, code: { type: 'string' }, lang: { type: 'string' } } }, argsSchema);
    if (!args.ok) return fail(args.error);
    const store = await ctx.store();
    if (await store.organisations.findByCode(args.value.code)) {
      return fail(`an organisation with code "${args.value.code}" already exists`);
    }
    const org: Organisation = {
      id: ctx.ids.newId(),
      name: args.value.name,
      code: args.value.code,
      lang: args.value.lang ?? ctx.config.DEFAULT_LANGUAGE,
      createdAt: ctx.clock.now().toISOString(),
      apiKeyHash: null,
      telegramChannelId: null,
      staffChatId: null,
      linkCode: null,
      glossary: {},
    };
    // Why the store may still refuse: another admin could add the same code between the check
    // and the insert; the unique index decides and the CLI reports it as one line.
    await store.organisations.create(org);
    ctx.print(`Created organisation "${org.name}".`, `  id:   ${org.id}`, `  code: ${org.code}`, `  lang: ${org.lang}`);
    return ok;
  },
};
