import { z } from 'zod';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';
import { idSchema, orgCodeSchema } from './fields.ts';
import { approvePerson } from '../../../bots/jobs/recruiter-approval.ts';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';

const argsSchema = z.object({ personId: idSchema, org: orgCodeSchema });

/** `people:approve`: lets a pending staff member or recruiter act for an organisation. */
export const peopleApproveCommand: CliCommand = {
  summary: 'Approve a pending staff member or recruiter for an organisation',
  usage: '<personId> --org <code>',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, { options: { org: { type: 'string' } }, positionals: ['personId'] }, argsSchema);
    if (!args.ok) return fail(args.error);
    const { personId, org: code } = args.value;
    const store = await ctx.store();
    const person = await store.people.get(personId);
    if (!person) return fail(`no person with id "${personId}" (see: npm run cli -- people:pending)`);
    if (person.roleStatus !== 'pending') return fail(`person "${personId}" is not waiting for approval (role ${person.role}, already ${person.roleStatus})`);
    const org = await store.organisations.findByCode(code);
    if (!org) return fail(`no organisation with code "${code}" (see: npm run cli -- org:list)`);
    // A recruiter is told in chat: the row waits in the outbox for the server's worker to send it.
    const now = ctx.clock.now();
    const result = await approvePerson({ store, text: createTextRenderer(loadLocales()), send: async (messages) => void (await store.outbox.enqueue(messages, now)), now }, person, org);
    if (!result.ok) return fail(`person "${personId}" no longer exists`);
    const updated = result.person;
    ctx.print(`Approved ${updated.id} (${updated.role}) for "${org.name}" (${org.code}).`);
    return ok;
  },
};
