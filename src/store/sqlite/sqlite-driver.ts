import Database from 'better-sqlite3';
import type { SqlConn, SqlDriver, SqlValue } from '../sql/driver.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

type Db = Database.Database;

function conn(db: Db): SqlConn {
  // Statements are cached: the same SQL text is prepared once per connection.
  const cache = new Map<string, Database.Statement>();
  const prep = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  return {
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
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
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
        if (broken.length > 0) throw new Error(`migration ${m.version} broke foreign keys: ${JSON.stringify(broken.slice(0, 5))}`);
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
      }).immediate();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/**
 * SQLite in WAL mode with two connections: one writer, whose transactions are serialised by a
 * promise queue (SQLite has one writer anyway; `BEGIN IMMEDIATE` plus busy_timeout also
 * serialises other processes), and one reader that only ever sees committed data.
 */
export function openSqlite(file: string, options: SqliteOptions = {}): SqlDriver {
  const synchronous = options.synchronous ?? 'FULL';
  const writerDb = open(file, synchronous);
  migrate(writerDb);
  const readerDb = open(file, synchronous);
  const writer = conn(writerDb);
  const reader = conn(readerDb);
  let queue: Promise<unknown> = Promise.resolve();

  return {
    dialect: 'sqlite',
    reader,
    transaction<T>(_lockKeys: readonly string[], fn: (c: SqlConn) => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        writerDb.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(writer);
          writerDb.exec('COMMIT');
          return result;
        } catch (err) {
          if (writerDb.inTransaction) writerDb.exec('ROLLBACK');
          throw err;
        }
      };
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
    async close(): Promise<void> {
      await queue;
      readerDb.close();
      writerDb.close();
    },
  };
}
