import type { TxLocks } from '../capabilities/transactional.js';

/** What the shared SQL store needs from a database driver. SQL uses `?` placeholders. */
export type SqlValue = string | number | null | Uint8Array;

export interface SqlConn {
  /** Which SQL the connection (and its driver) speaks, for the few queries written per dialect (card-search.ts). */
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Like `all`, each row as an array in the order of the SELECT list (cheaper for many rows). */
  rows(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** The connection of one transaction: the queries, plus what only a transaction can do. */
export interface SqlTxConn extends SqlConn {
  /**
   * Transaction-scoped locks on these keys, held until commit or rollback; another transaction
   * asking for one of them waits. Resolves true when a key was taken that this transaction did
   * not hold yet (what it read before may have changed meanwhile), false when it held them all.
   * PostgreSQL: `pg_advisory_xact_lock` on a 64-bit hash of each key not held yet, in sorted
   * order. SQLite: nothing to do and always false: its one writer runs transactions one at a
   * time (sqlite-driver.ts), so no other transaction commits between this one's statements.
   */
  lock(keys: readonly string[]): Promise<boolean>;
  /**
   * A write whose outcome the caller does not wait for (no rows, no count): it runs after the
   * statements before it and before any after it. If it fails, the transaction fails: the next
   * statement, or the commit, rejects with its error. PostgreSQL: sent at once, and nothing waits
   * for its answer until the next statement's (issue #20: one round trip less, under the rows
   * every write of a collection updates, per deferred write). SQLite: run at once (it throws
   * here).
   */
  defer(sql: string, params?: readonly SqlValue[]): void;
  /**
   * Appended to the SELECT of a row-claiming subquery: PostgreSQL `FOR UPDATE SKIP LOCKED`
   * (rows another open transaction claims are passed over, not waited for); SQLite nothing.
   */
  readonly skipLocked: string;
}

export interface SqlDriver {
  /** Connection for reads outside transactions: sees only committed data. */
  readonly reader: SqlConn;
  transaction<T>(locks: TxLocks, fn: (conn: SqlTxConn) => Promise<T>): Promise<T>;
  /**
   * A number that moves whenever another process commits to the database, and not on this
   * process's own commits (SQLite: `PRAGMA data_version` of the writer connection). Absent where
   * other processes announce their writes themselves (PostgreSQL: NOTIFY, push/pg-bus.ts).
   */
  readonly foreignCommitVersion?: () => number;
  /** Milliseconds to add to this process's clock to read the database server's (Store.now). */
  readonly clockOffsetMs?: () => number;
  close(): Promise<void>;
}
