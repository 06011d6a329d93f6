import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the generated secret is kept: beside the database, never inside it. */
export const MARK_SECRET_FILE = 'inbound-mark.key';

/**
 * The secret that keys the dedupe marks: INBOUND_MARK_SECRET when given (several machines
 * sharing one MongoDB must share it), else 32 random bytes made at first start and kept in the
 * data directory (readable by the owner only), so that processes on one machine agree.
 */
export function inboundMarkSecret(dataDir: string, configured: string | undefined): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = join(dataDir, MARK_SECRET_FILE);
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}`, { cause: error });
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': if another process made it meanwhile, keep theirs.
    writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot write ${file}`, { cause: error });
  }
  return readFileSync(file);
}
