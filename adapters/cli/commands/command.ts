import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import type { Clock, IdGenerator } from '../../../core/ports/clock.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';
import type { Config } from '../../config.ts';

/** Somewhere to write text: `process.stdout`, `process.stderr`, or a test's collector. */
export interface Writer {
  write(text: string): unknown;
}

/** Where a command writes: results to `out`, problems to `err`. */
export interface CliIo {
  readonly out: Writer;
  readonly err: Writer;
}

/** The outcome of a command: expected failures (unknown person, bad flag) are values. */
export type CommandResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** What a command runs with. The store is opened on first use, so `help` never touches it. */
export interface CommandContext {
  /** The arguments after the command name. */
  readonly args: readonly string[];
  readonly config: Config;
  /** Opens the configured store once; the CLI closes it after the command. */
  store(): Promise<Store>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Writes each line to standard output. */
  print(...lines: string[]): void;
  /** The whole command table (for `help`). */
  readonly commands: ReadonlyMap<string, CliCommand>;
}

/** One admin command: a line for `help`, its usage, and what it does. */
export interface CliCommand {
  readonly summary: string;
  /** Arguments and options, as shown by `help` after the command name. */
  readonly usage: string;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** A success. */
export const ok: CommandResult = { ok: true };

/** An expected failure, shown to the operator as one line. */
export function fail(error: string): CommandResult {
  return { ok: false, error };
}

/** How a command's arguments are read: named options, then named positionals in order. */
export interface ArgSpec {
  readonly options?: NonNullable<ParseArgsConfig['options']>;
  readonly positionals?: readonly string[];
}

/** Parsed and validated arguments, or a one-line reason they were refused. */
export type ParsedArgs<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Reads arguments with node:util parseArgs (strict: unknown options are refused) and validates
 * them with a zod schema over `{...options, ...positionals by name}`.
 */
export function parseCommandArgs<S extends z.ZodType>(args: readonly string[], spec: ArgSpec, schema: S): ParsedArgs<z.output<S>> {
  const names = spec.positionals ?? [];
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: spec.options ?? {}, strict: true, allowPositionals: names.length > 0 });
  } catch (error) {
    // parseArgs explains itself in a first sentence, then suggests a workaround.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message.split(/\.\s/)[0]!.replace(/\.$/, '') };
  }
  if (parsed.positionals.length > names.length) {
    return { ok: false, error: `unexpected argument "${parsed.positionals[names.length]}"` };
  }
  const input: Record<string, unknown> = { ...parsed.values };
  names.forEach((name, i) => {
    input[name] = parsed.positionals[i];
  });
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const label = names.includes(key) ? `<${key}>` : `--${key}`;
    return `${label} ${issue.message}`;
  });
  return { ok: false, error: issues.join('; ') };
}
