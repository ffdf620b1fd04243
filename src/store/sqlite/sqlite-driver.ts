import { AsyncResource } from 'node:async_hooks';
import Database from 'better-sqlite3';
import type { SqlConn, SqlDriver, SqlTxConn, SqlValue } from '../sql/driver.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

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

function conn(db: Db): SqlConn {
  const prep = statementCache(db, (s) => s);
  // Array-row statements are separate objects: `raw(true)` changes a statement for good.
  const prepRaw = statementCache(db, (s) => s.raw(true));
  return {
    rows: async (sql: string, params: readonly SqlValue[] = []) => prepRaw(sql).all(...params) as unknown[][],
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => prep(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => prep(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => prep(sql).run(...params).changes,
  };
}

export interface SqliteOptions {
  /** `FULL` (default) syncs the WAL on every commit; `NORMAL` survives process crashes but not power loss. */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

function open(file: string, synchronous: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  return db;
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
  /** The caller's async context (AsyncLocalStorage: push/scope.ts, cooperative.ts budgets), which `fn` runs in. */
  readonly context: AsyncResource;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** One group: its transactions, each in its SAVEPOINT and its caller's async context, then one COMMIT. */
async function runGroup(writerDb: Db, writer: SqlTxConn, group: readonly Pending[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  writerDb.exec('BEGIN IMMEDIATE');
  for (const p of group) {
    writerDb.exec('SAVEPOINT tx');
    try {
      const value = await p.context.runInAsyncScope(p.fn, null, writer);
      writerDb.exec('RELEASE tx');
      outcomes.push({ ok: true, value });
    } catch (error) {
      if (writerDb.inTransaction) {
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
  return outcomes;
}

/**
 * SQLite in WAL mode with two connections: one writer and one reader that only ever sees
 * committed data. Writer transactions are queued (SQLite has one writer anyway; `BEGIN
 * IMMEDIATE` plus busy_timeout also serialises other processes) and committed in groups: the
 * transactions waiting when the writer becomes free run one after another, each inside its own
 * SAVEPOINT (a failure rolls back only that one), and share one COMMIT — one fsync for the
 * group instead of one each. No transaction's promise settles before its COMMIT is durable.
 */
export function openSqlite(file: string, options: SqliteOptions = {}): SqlDriver {
  const synchronous = options.synchronous ?? 'FULL';
  const writerDb = open(file, synchronous);
  migrate(writerDb);
  const readerDb = open(file, synchronous);
  // One transaction at a time on the one writer: locks have nothing left to serialise.
  const writer: SqlTxConn = { ...conn(writerDb), lock: async () => false, skipLocked: '' };
  const reader = conn(readerDb);
  const pending: Pending[] = [];
  let running: Promise<void> | null = null;
  let idle: (() => void) | null = null;

  let soon = false;
  /**
   * Start the next group at the end of this turn of the event loop rather than at once: the
   * transactions other requests ask for in the same turn join it and share its COMMIT (one
   * fsync, run on this thread) instead of each paying their own.
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
    running = runGroup(writerDb, writer, group)
      .then(
        (outcomes) => outcomes.forEach((o, i) => (o.ok ? group[i]?.resolve(o.value) : group[i]?.reject(o.error))),
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
    dialect: 'sqlite',
    reader,
    transaction<T>(_lockKeys: readonly string[], fn: (c: SqlTxConn) => Promise<T>): Promise<T> {
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
      readerDb.close();
      writerDb.close();
    },
  };
}
