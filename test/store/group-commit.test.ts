/**
 * SQLite group commit (store/sqlite/sqlite-driver.ts; issue #20, PUT p50): transactions asked
 * for in the same turn of the event loop share one COMMIT, and so one WAL sync, instead of the
 * first paying its own. The sync runs off the event loop (fdatasync of the `-wal` file on
 * libuv's pool), and until it is done nothing committed is acknowledged or read. COMMITs are
 * counted on the real better-sqlite3 connection; syncs are observed on Node's FileHandle.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { after, before, describe, it } from 'node:test';
import { open, type FileHandle } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { StoreError, type Store } from '../../src/store/store.js';

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

  it('the first of a group runs without a SAVEPOINT (a statement journal per page it writes), and its failure still rolls back only itself', async () => {
    const statements: string[] = [];
    const counting = Database.prototype.exec;
    Database.prototype.exec = function (this: Database.Database, sql: string) {
      statements.push(sql.trim().split(/\s+/)[0] ?? '');
      return counting.call(this, sql);
    };
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 3 }, (_, i) =>
          store.transaction([], async (tx) => {
            await tx.setValue('ns', `s${i}`, String(i), null);
            if (i === 0) throw new Error('refused');
          }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        ['rejected', 'fulfilled', 'fulfilled'],
      );
      assert.deepEqual(statements, [
        'BEGIN',
        'ROLLBACK',
        'BEGIN',
        'SAVEPOINT',
        'RELEASE',
        'SAVEPOINT',
        'RELEASE',
        'COMMIT',
      ]);
      assert.equal(await store.getValue('ns', 's0', Date.now()), null);
      assert.equal(await store.getValue('ns', 's2', Date.now()), '2');
      statements.length = 0;
      await store.transaction([], (tx) => tx.setValue('ns', 'alone', '1', null));
      assert.deepEqual(statements, ['BEGIN', 'COMMIT'], 'a transaction alone in its group');
    } finally {
      Database.prototype.exec = counting;
    }
  });
});

/** Node's FileHandle.prototype, whose `datasync` the driver calls on the WAL. */
async function fileHandlePrototype(): Promise<{ datasync: (this: FileHandle) => Promise<void> }> {
  const h = await open(join(dir, 'probe'), 'w');
  await h.close();
  return Object.getPrototypeOf(h) as { datasync: (this: FileHandle) => Promise<void> };
}

async function until(cond: () => boolean, failure: string): Promise<void> {
  for (const end = Date.now() + 2000; !cond(); await new Promise((r) => setTimeout(r, 1)))
    if (Date.now() > end) assert.fail(failure);
}

/** A pending promise's state, read without waiting for it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('SQLite durability: the WAL sync off the event loop (synchronous=FULL)', () => {
  it('a COMMIT is synced by one fdatasync of the -wal file; its transaction settles only after it', async () => {
    const proto = await fileHandlePrototype();
    const datasync = proto.datasync;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const synced: number[] = [];
    let syncedPath = '';
    proto.datasync = async function (this: FileHandle) {
      synced.push(this.fd);
      syncedPath = readlinkSync(`/proc/self/fd/${this.fd}`);
      await held;
      return datasync.call(this);
    };
    try {
      commits = 0;
      const write = store.transaction([], (tx) => tx.setValue('ns', 'held', 'v', null));
      await until(() => synced.length > 0, 'no fdatasync after the COMMIT');
      assert.equal(commits, 1, 'committed');
      // The sync is running: the event loop goes on (timers fire), the write is not acknowledged.
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await settled(write), false, 'acknowledged before its sync finished');
      release();
      await write;
      assert.equal(synced.length, 1);
      assert.equal(syncedPath, join(dir, 'almanac.sqlite-wal'));
    } finally {
      proto.datasync = datasync;
    }
  });

  it('a read waits while a commit is not on disk, then sees it (nothing not yet durable is read)', async () => {
    const proto = await fileHandlePrototype();
    const datasync = proto.datasync;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let syncing = false;
    proto.datasync = async function (this: FileHandle) {
      syncing = true;
      await held;
      return datasync.call(this);
    };
    try {
      const write = store.transaction([], (tx) => tx.setValue('ns', 'visible', 'after-sync', null));
      await until(() => syncing, 'no fdatasync after the COMMIT');
      const read = store.getValue('ns', 'visible', Date.now());
      assert.equal(await settled(read), false, 'a read ran while the commit was not on disk');
      release();
      assert.equal(await read, 'after-sync');
      await write;
    } finally {
      proto.datasync = datasync;
    }
  });

  it('a failed sync fails its transactions and every later one (the disk state is unknown)', async () => {
    const failDir = mkdtempSync(join(tmpdir(), 'almanac-sync-fail-'));
    const failing = openSqliteStore(join(failDir, 'almanac.sqlite'));
    const proto = await fileHandlePrototype();
    const datasync = proto.datasync;
    try {
      await failing.transaction([], (tx) => tx.setValue('ns', 'before', '1', null));
      proto.datasync = () => Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      await assert.rejects(
        failing.transaction([], (tx) => tx.setValue('ns', 'lost', '1', null)),
        (err: unknown) => err instanceof StoreError && err.code === 'unavailable' && /EIO/.test(err.message),
      );
      proto.datasync = datasync;
      await assert.rejects(
        failing.transaction([], (tx) => tx.setValue('ns', 'later', '1', null)),
        (err: unknown) => err instanceof StoreError && err.code === 'unavailable',
      );
      assert.equal(await failing.getValue('ns', 'before', Date.now()), '1');
    } finally {
      proto.datasync = datasync;
      await failing.close();
      rmSync(failDir, { recursive: true, force: true });
    }
  });
});
