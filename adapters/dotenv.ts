import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The process environment with the variables of a `.env` file added (`npm start`, `npm run chat`
 * and `npm run cli` read it, as `.env.example` says; docker compose reads it too). A variable
 * already set in the environment wins over the file, as with `node --env-file`. Node's own parser:
 * comments, quotes and multi-line values work as in docker compose.
 */
export function withDotEnv(env: NodeJS.ProcessEnv, file = '.env'): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new Error(`Could not read ${file}`, { cause: error });
  }
  return { ...parseEnv(text), ...env };
}
