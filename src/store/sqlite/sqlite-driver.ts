import { AsyncResource } from 'node:async_hooks';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { SqlConn, SqlDriver, SqlTxConn, SqlValue } from '../sql/driver.js';
import { StoreError, type TxLocks } from '../store.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { ReadSteps } from './read-steps.js';

type Db = Database.Database;

/** Most prepared statements kept per connection (least recently used ones are dropped). */
const STATEMENT_CACHE = 256;

/** A prepare function with its own bounded LRU of statements, each prepared once per SQL text. */
function statementCache(
  db: Db,
  configure: (s: Database.Statement) => Database.Statement,
): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (s) cache.delete(sql);
    else {
      s = configure(db.prepare(sql));
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, s);
    return s;
  };
}

/**
 * A connection's statements. `gate`, when given, is asked before every statement: while it
 * returns a promise, the statement waits for it and asks again; the statement then runs in the
 * same synchronous step as the last ask (the reader waits while a commit is not yet on disk,
 * see `openSqlite`). With `steps` (the reader's), the statements of one synchronous step run in
 * one read transaction.
 */
function conn(
  db: Db,
  gate?: () => Promise<void> | null,
  steps?: ReadSteps,
): SqlConn & { runNow(sql: string, params: readonly SqlValue[]): number } {
  const prep = statementCache(db, (s) => s);
  // Array-row statements are separate objects: `raw(true)` changes a statement for good.
  const prepRaw = statementCache(db, (s) => s.raw(true));
  const when = <T>(f: () => T): Promise<T> => {
    const g = gate?.();
    if (g) return g.then(() => when(f));
    try {
      steps?.enter();
      return Promise.resolve(f());
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return {
    dialect: 'sqlite',
    rows: (sql: string, params: readonly SqlValue[] = []) => when(() => prepRaw(sql).all(...params) as unknown[][]),
    all: <T>(sql: string, params: readonly SqlValue[] = []) => when(() => prep(sql).all(...params) as T[]),
    get: <T>(sql: string, params: readonly SqlValue[] = []) => when(() => prep(sql).get(...params) as T | undefined),
    run: (sql: string, params: readonly SqlValue[] = []) => when(() => prep(sql).run(...params).changes),
    runNow: (sql: string, params: readonly SqlValue[]) => prep(sql).run(...params).changes,
  };
}

export interface SqliteOptions {
  /**
   * `FULL` (default): every commit is on disk (its WAL frames synced) before it is acknowledged
   * or visible to this process's readers. `NORMAL`: survives a process crash but not power loss.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Both connections run SQLite's `synchronous = NORMAL` (§pragma synchronous, WAL mode): SQLite
 * then syncs the WAL before each checkpoint, the database after it, and a reused WAL's header —
 * every sync that orders its own files — but not the WAL at each COMMIT. That one sync is what
 * `synchronous = FULL` would run on the event loop's thread, blocking every request for its
 * duration; `openSqlite` runs it itself, off that thread. Returns whether the database is in
 * WAL mode (a file on a filesystem that cannot share memory may refuse it).
 */
function open(file: string): { db: Db; wal: boolean } {
  const db = new Database(file);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  // SQLite §pragma temp_store: its temporary structures in memory, not in files. The one that
  // mattered is the statement journal of a group commit's SAVEPOINT (runGroup): past 64 KiB
  // SQLite wrote it to an unlinked file in /var/tmp, two writes for every page a grouped
  // transaction changed first (issue #20: a 5,000-event import made 88,000 pwrite calls, 16,000
  // without; a contact PUT at c=8 took 14 % more CPU). What it holds is bounded by the pages of
  // one group's transactions, as the WAL's frames are.
  db.pragma('temp_store = MEMORY');
  const wal = mode === 'wal';
  // Not in WAL mode, the rollback journal's commit must sync in place.
  db.pragma(`synchronous = ${wal ? 'NORMAL' : 'FULL'}`);
  return { db, wal };
}

/**
 * When this process's commits are on disk: after each COMMIT the database's write-ahead log is
 * synced (fdatasync on libuv's thread pool), one sync at a time, and `syncing` is the running
 * one, which the reader waits at. The file is SQLite's own `-wal`, which SQLite keeps (and never
 * replaces) while any connection to the database is open; ours stay open until `close`. Linux
 * syncs a file's data whichever descriptor wrote it.
 */
class WalDurability {
  /** The running sync of the last COMMIT (it never rejects); null when everything committed is on disk. */
  syncing: Promise<void> | null = null;
  /** Why the disk's state is unknown, once a sync failed. */
  failed: StoreError | null = null;
  private handle: Promise<FileHandle> | null = null;

  /** `path`: the `-wal` file; null = nothing to sync (synchronous NORMAL, or no WAL). */
  constructor(private readonly path: string | null) {}

  /**
   * Called right after a COMMIT, in the same synchronous step (before any other code of this
   * process can read what it committed): starts the sync and makes readers wait for it. The
   * returned promise fails, and marks the store failed, when the disk reports an error.
   */
  committed(): Promise<void> {
    if (this.path === null) return Promise.resolve();
    const sync = this.sync(this.path).catch((err: unknown) => {
      this.failed ??= new StoreError(
        'unavailable',
        `the disk did not confirm a database write (${err instanceof Error ? err.message : String(err)}); restart the server`,
      );
      throw this.failed;
    });
    const done = sync.then(
      () => undefined,
      () => undefined,
    );
    this.syncing = done;
    void done.then(() => {
      if (this.syncing === done) this.syncing = null;
    });
    return sync;
  }

  private async sync(path: string): Promise<void> {
    this.handle ??= openFile(path, 'r+');
    const h = await this.handle.catch((err: unknown) => {
      this.handle = null;
      throw err;
    });
    await h.datasync();
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    if (h) await (await h.catch(() => null))?.close();
  }
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  // Foreign keys are off while migrating (SQLite rebuilds a table by copy, drop and rename, and a
  // drop would cascade) and checked before each migration commits. The pragma is a no-op inside
  // a transaction, so it is set around them.
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const pending = SQLITE_MIGRATIONS.filter((m) => !applied.has(m.version));
  if (pending.length === 0) return;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of pending) {
      db.transaction(() => {
        // Re-read inside the write lock: another process may have applied it meanwhile.
        if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version)) return;
        db.exec(m.sql);
        const broken = db.prepare('PRAGMA foreign_key_check').all();
        if (broken.length > 0)
          throw new Error(`migration ${m.version} broke foreign keys: ${JSON.stringify(broken.slice(0, 5))}`);
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
      }).immediate();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/** Most transactions committed together by one group commit. */
const MAX_GROUP = 64;

interface Pending {
  readonly fn: (c: SqlTxConn) => Promise<unknown>;
  /** The caller's async context (AsyncLocalStorage: domain/cooperative.ts, a request's task and budget), which `fn` runs in. */
  readonly context: AsyncResource;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/**
 * One group: its transactions, each in its caller's async context, then one COMMIT, after which
 * `committed` is called in the same synchronous step (before any other code of this process can
 * read what was committed). Each transaction after the first runs in a SAVEPOINT, so that its
 * failure rolls back only itself; the first needs none (nothing precedes it: its failure rolls
 * back the whole transaction, which begins again for the rest). A SAVEPOINT is not free: SQLite
 * keeps a statement journal of every page changed under it (issue #20: it doubled the cost of
 * each row an import's batch inserted, in a group of its own), which `temp_store = MEMORY`
 * (`open`) keeps in memory, not in a temporary file.
 */
async function runGroup(
  writerDb: Db,
  writer: SqlTxConn,
  group: readonly Pending[],
  committed: () => void,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  writerDb.exec('BEGIN IMMEDIATE');
  for (const [k, p] of group.entries()) {
    const savepoint = k > 0;
    if (savepoint) writerDb.exec('SAVEPOINT tx');
    try {
      const value = await p.context.runInAsyncScope(p.fn, null, writer);
      if (savepoint) writerDb.exec('RELEASE tx');
      outcomes.push({ ok: true, value });
    } catch (error) {
      if (writerDb.inTransaction && !savepoint) {
        writerDb.exec('ROLLBACK');
        writerDb.exec('BEGIN IMMEDIATE');
        outcomes.push({ ok: false, error });
      } else if (writerDb.inTransaction) {
        writerDb.exec('ROLLBACK TO tx');
        writerDb.exec('RELEASE tx');
        outcomes.push({ ok: false, error });
      } else {
        // SQLite aborted the whole transaction: nothing of this group so far is committed.
        for (let i = 0; i < outcomes.length; i++) outcomes[i] = { ok: false, error };
        outcomes.push({ ok: false, error });
        writerDb.exec('BEGIN IMMEDIATE');
      }
    }
  }
  writerDb.exec('COMMIT');
  committed();
  return outcomes;
}

/**
 * The reader connection: its statements wait while a commit is not yet on disk, and those of
 * one synchronous step share a read transaction (read-steps.ts), which a commit of this
 * process ends first (`committed`, then the WAL's sync), so that a read after it sees it.
 */
function readerOf(db: Db, durability: WalDurability): { conn: SqlConn; committed(): Promise<void>; close(): void } {
  const steps = new ReadSteps(db);
  return {
    conn: conn(db, () => durability.syncing, steps),
    committed: () => {
      steps.end();
      return durability.committed();
    },
    close: () => {
      steps.end();
      db.close();
    },
  };
}

/**
 * SQLite in WAL mode with two connections: one writer and one reader that only ever sees
 * committed data. Writer transactions are queued (SQLite has one writer anyway; `BEGIN
 * IMMEDIATE` plus busy_timeout also serialises other processes) and committed in groups: the
 * transactions waiting when the writer becomes free run one after another, each inside its own
 * SAVEPOINT (a failure rolls back only that one), and share one COMMIT — one fsync for the
 * group instead of one each.
 *
 * Durability (`synchronous: 'FULL'`, the default): after a group's COMMIT the WAL is synced
 * off the event loop (WalDurability), and until that sync is done no transaction of the group
 * settles, no read statement of this process runs (the reader waits: what it would see is not
 * on disk yet), and the next group does not start. What `synchronous = FULL` guarantees holds —
 * nothing acknowledged or read is lost to a power cut — while the event loop parses, renders
 * and answers everything else that does not read the store during the sync (issue #20: the
 * COMMIT's fsync on the loop was a fifth to a third of its busy time in a PUT burst). If the
 * sync fails the disk's state is unknown: the group's callers get the error, and every later
 * transaction is refused ('unavailable') until the process restarts.
 */
export function openSqlite(file: string, options: SqliteOptions = {}): SqlDriver {
  const durable = (options.synchronous ?? 'FULL') === 'FULL';
  const { db: writerDb, wal } = open(file);
  migrate(writerDb);
  const durability = new WalDurability(durable && wal ? `${writerDb.name}-wal` : null);
  // One transaction at a time on the one writer: locks have nothing left to serialise.
  const writerConn = conn(writerDb);
  const writer: SqlTxConn = {
    ...writerConn,
    lock: async () => false,
    // In process and synchronous: nothing to gain by waiting later, and a failure throws here.
    defer: (sql, params = []) => void writerConn.runNow(sql, params),
    skipLocked: '',
  };
  const reading = readerOf(open(file).db, durability);
  const reader = reading.conn;
  const pending: Pending[] = [];
  let running: Promise<void> | null = null;
  let idle: (() => void) | null = null;

  let soon = false;
  /**
   * Start the next group at the end of this turn of the event loop rather than at once: the
   * transactions other requests ask for in the same turn join it and share its COMMIT (one
   * WAL sync) instead of each paying their own.
   */
  function pumpSoon(): void {
    if (soon || running) return;
    soon = true;
    setImmediate(() => {
      soon = false;
      pump();
    });
  }

  function pump(): void {
    if (running) return;
    if (pending.length === 0) {
      idle?.();
      return;
    }
    const group = pending.splice(0, MAX_GROUP);
    const { failed } = durability;
    if (failed) {
      for (const p of group) p.reject(failed);
      pump();
      return;
    }
    let onDisk: Promise<void> = Promise.resolve();
    running = runGroup(writerDb, writer, group, () => (onDisk = reading.committed()))
      .then(
        async (outcomes) => {
          // Nothing settles before it is on disk; a failed sync fails the group's commits.
          const lost = await onDisk.then(
            () => null,
            (err: unknown) => err,
          );
          outcomes.forEach((o, i) =>
            o.ok && lost === null ? group[i]?.resolve(o.value) : group[i]?.reject(o.ok ? lost : o.error),
          );
        },
        (error: unknown) => {
          if (writerDb.inTransaction) writerDb.exec('ROLLBACK');
          for (const p of group) p.reject(error);
        },
      )
      .finally(() => {
        running = null;
        pump();
      });
  }

  return {
    reader,
    transaction<T>(_locks: TxLocks, fn: (c: SqlTxConn) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        // Run in the caller's async context, not that of whichever caller started the group it
        // ends up in.
        const context = new AsyncResource('almanac.sqlite-transaction');
        pending.push({ fn, context, resolve: resolve as (v: unknown) => void, reject });
        pumpSoon();
      });
    },
    // SQLite §pragma data_version: it changes when another connection commits. Asked of the
    // writer, so this process's own commits (all made by the writer) do not move it.
    foreignCommitVersion: () => writerDb.pragma('data_version', { simple: true }) as number,
    async close(): Promise<void> {
      if (running || pending.length > 0) await new Promise<void>((r) => (idle = r));
      await durability.close();
      reading.close();
      writerDb.close();
    },
  };
}
