import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Address, Choice, InboundContent, Reply } from '../../core/messages.ts';
import { locationText } from '../../core/pipeline/map-link.ts';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { withDotEnv } from '../dotenv.ts';
import { createLogger } from '../logger.ts';
import { isMainModule } from './is-main.ts';

/** What the terminal chat runs with; tests pass in-memory streams. */
export interface ChatOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly app: Pick<App, 'pipeline' | 'clock' | 'config'>;
  /** The person's id on the `cli` channel (default: the one kept in DATA_DIR for this machine). */
  readonly userId?: string;
  /** Ends the chat as Ctrl-D would (the bin aborts it on SIGINT when stdin is not a terminal). */
  readonly signal?: AbortSignal;
}

const USER_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The id this machine's terminal user has on the `cli` channel: read from DATA_DIR, or made
 * once and kept there, so the conversation (and the person) survive a restart.
 */
export function cliUserId(dataDir: string): string {
  const file = join(dataDir, 'cli-user-id');
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (USER_ID_PATTERN.test(kept)) return kept;
  } catch {
    // No id yet: made below.
  }
  const id = `cli-${randomUUID().replaceAll('-', '')}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}

/** The options the person can pick by number after these replies (the last list shown). */
function choicesOf(replies: readonly Reply[]): readonly Choice[] {
  let shown: readonly Choice[] = [];
  for (const { message } of replies) {
    if (message.type === 'choices') shown = message.choices;
    else if (message.type === 'location-request') shown = message.skip ? [message.skip] : [];
  }
  return shown;
}

/** Replies as terminal text: each message (a place as its name and a map link), then its options as "1. Label" lines. */
export function renderReplies(replies: readonly Reply[]): string {
  const blocks = replies.map(({ message }) => {
    const options = message.type === 'choices' ? message.choices : message.type === 'location-request' && message.skip ? [message.skip] : [];
    const text = message.type === 'location' ? locationText(message) : message.text;
    return [text, ...options.map((choice, i) => `${i + 1}. ${choice.label}`)].join('\n');
  });
  return blocks.map((block) => `${block}\n`).join('\n');
}

/**
 * What a typed line means: the number of a shown option, an option's label (any case), or
 * else plain text, which the dialog reads as an answer or a typed town.
 */
export function contentOf(line: string, shown: readonly Choice[]): InboundContent {
  if (/^\d+$/.test(line)) {
    const choice = shown[Number(line) - 1];
    if (choice) return { type: 'choice', choiceId: choice.id, label: choice.label };
  }
  const folded = line.normalize('NFC').toLocaleLowerCase();
  const byLabel = shown.find((c) => c.label.normalize('NFC').toLocaleLowerCase() === folded);
  if (byLabel) return { type: 'choice', choiceId: byLabel.id, label: byLabel.label };
  return { type: 'text', text: line };
}

/**
 * The web chat's conversation in a terminal, on the `cli` channel: opens with a start message,
 * prints each reply, reads one line per answer. Resolves when the input ends (Ctrl-D), on
 * Ctrl-C, or when `signal` aborts; the caller closes the app.
 */
export async function runChat({ input, output, app, userId, signal }: ChatOptions): Promise<void> {
  const from: Address = { channel: 'cli', id: userId ?? cliUserId(app.config.dataDir) };
  const rl = createInterface({ input, output });
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  rl.on('SIGINT', () => rl.close());
  const stop = () => rl.close();
  signal?.addEventListener('abort', stop, { once: true });
  rl.setPrompt('> ');

  let shown: readonly Choice[] = [];
  const turn = async (content: InboundContent): Promise<void> => {
    const replies = await app.pipeline.handle({ id: `cli-${randomUUID()}`, from, content, receivedAt: app.clock.now() });
    // Why keep the previous options on an empty answer: a redelivered or dropped turn shows
    // nothing new, and the numbers on screen still mean what they meant.
    if (replies.length > 0) shown = choicesOf(replies);
    output.write(renderReplies(replies));
    if (!closed) rl.prompt();
  };

  try {
    if (signal?.aborted) return;
    await turn({ type: 'start' });
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '') {
        if (!closed) rl.prompt();
        continue;
      }
      output.write('\n');
      await turn(contentOf(line, shown));
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    rl.close();
    output.write('\n');
  }
}

if (isMainModule(import.meta.url)) {
  try {
    // Logs go to stderr at warn level unless LOG_LEVEL says otherwise, so they never mix with the chat.
    const config = loadConfig({ LOG_LEVEL: 'warn', ...withDotEnv(process.env) });
    const app = await createApp(config, { logger: createLogger(config.LOG_LEVEL, process.stderr) });
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    try {
      await runChat({ input: process.stdin, output: process.stdout, app, signal: controller.signal });
    } finally {
      await app.close();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')}\n`);
    process.exitCode = 1;
  }
}
