/** What the shared SQL store needs from a database driver. SQL uses `?` placeholders. */
export type SqlValue = string | number | null | Uint8Array;

export interface SqlConn {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Like `all`, each row as an array in the order of the SELECT list (cheaper for many rows). */
  rows(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /** Connection for reads outside transactions: sees only committed data. */
  readonly reader: SqlConn;
  transaction<T>(lockKeys: readonly string[], fn: (conn: SqlConn) => Promise<T>): Promise<T>;
  /**
   * A number that moves whenever another process commits to the database, and not on this
   * process's own commits (SQLite: `PRAGMA data_version` of the writer connection). Absent where
   * other processes announce their writes themselves (PostgreSQL: NOTIFY, push/pg-bus.ts).
   */
  readonly foreignCommitVersion?: () => number;
  close(): Promise<void>;
}
