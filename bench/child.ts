/**
 * Runs one bench script in a child Node process (through tsx) and talks to it over IPC: the
 * child sends a first message when it is ready, and answers each request with one message.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A running child: its first message, a request/answer call, and a way to end it. */
export interface BenchChild<Ready> {
  readonly ready: Ready;
  readonly pid: number;
  ask<T>(request: string): Promise<T>;
  close(): Promise<void>;
}

/** Forks `bench/<script>` with `env` added to this process's environment; resolves once it is ready. */
export async function startChild<Ready>(script: string, env: Record<string, string> = {}, execArgv: string[] = []): Promise<BenchChild<Ready>> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child: ChildProcess = fork(path, { env: { ...process.env, ...env }, execArgv: [...execArgv, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const failed = once(child, 'exit').then(([code]) => {
    throw new Error(`bench child ${script} exited with ${String(code)} before it was ready`);
  });
  const [ready] = (await Promise.race([once(child, 'message'), failed])) as [Ready];
  failed.catch(() => undefined);
  return {
    ready,
    pid: child.pid ?? 0,
    async ask<T>(request: string): Promise<T> {
      const answer = once(child, 'message');
      child.send(request);
      const [value] = (await answer) as [T];
      return value;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send('close');
      await exited;
    },
  };
}
