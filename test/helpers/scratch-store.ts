/** A fresh SQLite store in a folder of its own, for store tests; `close` closes it and removes the folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';

export interface ScratchStore {
  /** The store's database file. */
  readonly file: string;
  readonly store: Store;
  close(): Promise<void>;
}

export function scratchSqliteStore(prefix: string): ScratchStore {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'almanac.sqlite');
  const store = openSqliteStore(file);
  return {
    file,
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
