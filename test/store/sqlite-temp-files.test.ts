/**
 * SQLite's temporary structures stay in memory (store/sqlite/sqlite-driver.ts `open`,
 * `temp_store = MEMORY`; issue #20). A group commit runs each transaction after the first in a
 * SAVEPOINT, whose statement journal holds every page the transaction changes; past 64 KiB SQLite
 * wrote it to an unlinked file in /var/tmp (SQLite's "etilqs_" files), two write calls a page:
 * a 5,000-event import made 88,000 pwrite calls where 16,000 now do. Observed on the process's
 * open files while the grouped transaction runs.
 */
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { scratchSqliteStore, type ScratchStore } from '../helpers/scratch-store.js';

/** The files this process holds open that SQLite made for its temporary structures. */
function sqliteTempFiles(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.includes('etilqs_')) out.push(target);
    } catch {
      // closed since it was listed
    }
  }
  return out;
}

const VALUES = 120;
const big = (c: string): string => c.repeat(3000);
let scratch: ScratchStore;

before(async () => {
  scratch = scratchSqliteStore('almanac-temp-files-');
  await scratch.store.transaction([], async (tx) => {
    for (let i = 0; i < VALUES; i++) await tx.setValue('ns', `k${i}`, big('a'), null);
  });
});
after(() => scratch.close());

describe(
  'SQLite temporary structures (issue #20)',
  { skip: process.platform !== 'linux' && 'reads /proc/self/fd' },
  () => {
    it('a grouped transaction that changes ~480 KiB of pages under its SAVEPOINT opens no temporary file', async () => {
      const { store } = scratch;
      // Asked for in one turn: one group, the second transaction in a SAVEPOINT.
      const [, open] = await Promise.all([
        store.transaction([], (tx) => tx.setValue('ns', 'first', 'x', null)),
        store.transaction([], async (tx) => {
          for (let i = 0; i < VALUES; i++) await tx.setValue('ns', `k${i}`, big('b'), null);
          return sqliteTempFiles();
        }),
      ]);
      assert.deepEqual(open, []);
      for (const i of [0, VALUES - 1]) assert.equal(await store.getValue('ns', `k${i}`, Date.now()), big('b'));
    });
  },
);
