import { z } from 'zod';
import { ConcurrencyConflictError } from '../../../core/errors.ts';
import { systemClock } from '../../../core/ports/clock.port.ts';
import { ConsoleAccounts } from '../../console/console-accounts.ts';
import { asConsoleLang } from '../../console/console-i18n.ts';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { idSchema, orgCodeSchema, requiredText } from './fields.ts';

const argsSchema = z.object({
  org: orgCodeSchema,
  email: requiredText().trim().pipe(z.email('must be an e-mail address')),
  role: z.enum(['admin', 'staff'], { error: 'must be admin or staff' }).default('admin'),
  person: idSchema.optional(),
  lang: z.string().optional(),
});

/**
 * `console:invite`: gives someone a console account. They sign in with a code sent to the chat
 * where they are known (`--person`, a person id as `people:pending` lists it), so they need no
 * password to remember.
 */
export const consoleInviteCommand: CliCommand = {
  summary: 'Invite a console user (the first admin of an organisation)',
  usage: '--org <code> --email <e-mail> [--role admin|staff] [--person <personId>] [--lang en|fr|es|ar]',
  async run(ctx) {
    const args = parseCommandArgs(
      ctx.args,
      { options: { org: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, person: { type: 'string' }, lang: { type: 'string' } } },
      argsSchema,
    );
    if (!args.ok) return fail(args.error);
    const { org: code, email, role, person: personId } = args.value;
    const store = await ctx.store();
    const org = await store.organisations.findByCode(code);
    if (!org) return fail(`no organisation with code "${code}" (see: npm run cli -- org:list)`);
    const person = personId ? await store.people.get(personId) : null;
    if (personId && !person) return fail(`no person with id "${personId}" (see: npm run cli -- people:pending)`);
    const lang = asConsoleLang(args.value.lang ?? null) ?? asConsoleLang(person?.lang ?? null) ?? asConsoleLang(org.lang) ?? 'en';
    const accounts = new ConsoleAccounts({ store, clock: ctx.clock ?? systemClock });
    try {
      const user = await accounts.invite({ orgId: org.id, email, role, lang, personId: person?.id ?? null, by: null });
      ctx.print(`Invited ${user.email} (${user.role}) to the console of "${org.name}".`, person ? '  Sign-in codes go to their chat.' : '  No chat identity: add --person <id> so that sign-in codes can reach them.');
    } catch (error) {
      if (error instanceof ConcurrencyConflictError) return fail(`a console user with e-mail "${email}" already exists`);
      throw error;
    }
    return ok;
  },
};
