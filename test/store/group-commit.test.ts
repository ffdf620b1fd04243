/**
 * SQLite group commit (store/sqlite/sqlite-driver.ts; issue #20, PUT p50): transactions asked
 * for in the same turn of the event loop share one COMMIT, and so one fsync run on the event
 * loop's thread, instead of the first paying its own. COMMITs are counted on the real
 * better-sqlite3 connection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';

let dir: string;
let store: Store;
let commits = 0;
const exec = Database.prototype.exec;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'almanac-group-commit-'));
  store = openSqliteStore(join(dir, 'almanac.sqlite'));
  Database.prototype.exec = function (this: Database.Database, sql: string) {
    if (/^\s*COMMIT\b/i.test(sql)) commits++;
    return exec.call(this, sql);
  };
});
after(async () => {
  Database.prototype.exec = exec;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite group commit', () => {
  it('ten transactions asked for in one turn commit together: one COMMIT, every write durable and visible', async () => {
    commits = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.transaction([], (tx) => tx.setValue('ns', `k${i}`, String(i), null))),
    );
    assert.equal(commits, 1);
    for (let i = 0; i < 10; i++) assert.equal(await store.getValue('ns', `k${i}`, Date.now()), String(i));
  });

  it("each transaction of a group runs in its own caller's async context (AsyncLocalStorage, as push/scope.ts uses)", async () => {
    const caller = new AsyncLocalStorage<string>();
    commits = 0;
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((who) =>
        caller.run(who, () => store.transaction([], () => Promise.resolve(caller.getStore()))),
      ),
    );
    assert.equal(commits, 1);
    assert.deepEqual(seen, ['a', 'b', 'c']);
  });

  it('one that fails in the group rolls back alone; the others commit in the same COMMIT', async () => {
    commits = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        store.transaction([], async (tx) => {
          await tx.setValue('ns', `f${i}`, String(i), null);
          if (i === 2) throw new Error('refused');
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    assert.equal(commits, 1);
    assert.equal(await store.getValue('ns', 'f2', Date.now()), null);
    assert.equal(await store.getValue('ns', 'f4', Date.now()), '4');
  });
});
