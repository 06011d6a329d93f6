import { randomIds, systemClock, type Clock, type IdGenerator } from '../../core/ports/clock.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { openStore } from '../app.ts';
import { loadConfig } from '../config.ts';
import { withDotEnv } from '../dotenv.ts';
import type { CliCommand, CliIo, CommandContext } from './commands/command.ts';
import { COMMANDS } from './commands/commands.ts';
import { isMainModule } from './is-main.ts';

/** What the admin CLI runs against; tests pass a temp environment, a fixed clock and ids. */
export interface CliOptions {
  /** Environment read by loadConfig (default: process.env with `.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** An already open store, left open afterwards; otherwise the configured one is opened and closed. */
  readonly store?: Store;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** The command table (default: {@link COMMANDS}). */
  readonly commands?: ReadonlyMap<string, CliCommand>;
}

/** One line, whatever the error: configuration errors list their problems on several lines. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
}

/**
 * Runs one admin command (`argv` without node and the script) and returns the exit code:
 * 0 on success, 1 with one `error:` line on `io.err` otherwise.
 */
export async function runCli(argv: readonly string[], io: CliIo, options: CliOptions = {}): Promise<number> {
  const commands = options.commands ?? COMMANDS;
  const [first, ...args] = argv;
  const name = first === undefined || first === '--help' || first === '-h' ? 'help' : first;
  const command = commands.get(name);
  if (!command) {
    io.err.write(`error: unknown command "${name}" (see: npm run cli -- help)\n`);
    return 1;
  }
  let opened: Promise<Store> | undefined;
  try {
    const config = loadConfig(options.env ?? withDotEnv(process.env));
    const ctx: CommandContext = {
      args,
      config,
      store: () => (opened ??= options.store ? Promise.resolve(options.store) : openStore(config)),
      clock: options.clock ?? systemClock,
      ids: options.ids ?? randomIds,
      print: (...lines) => {
        for (const line of lines) io.out.write(`${line}\n`);
      },
      commands,
    };
    const result = await command.run(ctx);
    if (!result.ok) {
      io.err.write(`error: ${name}: ${result.error}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    io.err.write(`error: ${name}: ${oneLine(error)}\n`);
    return 1;
  } finally {
    if (opened && !options.store) await (await opened.catch(() => null))?.close();
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr });
}
