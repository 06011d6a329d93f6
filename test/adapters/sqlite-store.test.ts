import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.ts';
import { storeContract } from './store.contract.ts';

// A real file rather than `:memory:`: the contract opens a second handle that must see the
// first one's writes, as a second process would.
const dir = mkdtempSync(join(tmpdir(), 'passerelle-sqlite-contract-'));
const file = join(dir, 'store.db');

storeContract(
  'sqlite',
  async () => openSqliteStore(file),
  async () => rmSync(dir, { recursive: true, force: true }),
);
