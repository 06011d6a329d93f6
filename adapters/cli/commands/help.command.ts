import { z } from 'zod';
import { fail, ok, parseCommandArgs, type CliCommand } from './command.ts';

/** `help`: every command with its usage and summary, or one command's. */
export const helpCommand: CliCommand = {
  summary: 'Show the commands, or how to use one',
  usage: '[command]',
  async run(ctx) {
    const args = parseCommandArgs(ctx.args, { positionals: ['command'] }, z.object({ command: z.string().optional() }));
    if (!args.ok) return fail(args.error);
    const wanted = args.value.command;
    if (wanted !== undefined) {
      const command = ctx.commands.get(wanted);
      if (!command) return fail(`unknown command "${wanted}" (see: npm run cli -- help)`);
      ctx.print(`Usage: npm run cli -- ${wanted} ${command.usage}`.trimEnd(), '', command.summary);
      return ok;
    }
    const entries = [...ctx.commands].map(([name, command]) => [`${name} ${command.usage}`.trimEnd(), command.summary] as const);
    const width = Math.max(...entries.map(([usage]) => usage.length));
    ctx.print(
      'Usage: npm run cli -- <command> [arguments]',
      '',
      'Commands:',
      ...entries.map(([usage, summary]) => `  ${usage.padEnd(width)}  ${summary}`),
    );
    return ok;
  },
};
