import type { SqlTxConn, SqlValue } from './driver.js';

/** Most statement texts whose written tables are remembered (a few dozen are in use). */
const WRITES_KEPT = 1_024;

/**
 * Per set of kept reads (one per store: sql-store.ts KEPT_IN_TX), the kept tables each statement
 * that is no SELECT names (it may write them), by statement text: worked out once per text, not
 * per transaction.
 */
const writesByKept = new WeakMap<ReadonlyMap<string, string>, Map<string, readonly string[]>>();

/**
 * The connection of one transaction, keeping the answers of `kept` reads — each statement reads
 * one table — until the transaction next writes that table. A write request reads the same rows
 * again and again — the target and its parent by the checks, the prepare step and the store's
 * own write (issue #20: 7 reads of two rows in one PUT, each a round trip on PostgreSQL); an
 * import's batch reads its calendar's properties for each of its objects. What counts as a write
 * of a table is conservative: any statement that does not begin with SELECT (INSERT, UPDATE …
 * RETURNING, DELETE, WITH …) and names the table forgets what was kept of it (no trigger or
 * cascade writes a kept table from another: their foreign keys cascade outwards only,
 * migrations.ts), and a lock that was not held yet forgets everything (another transaction may
 * have committed to those rows meanwhile: what was read before the lock is read again after it).
 * A kept row is a row object from the driver, never changed: callers map it (toResource); a
 * kept list of rows is handed out as a copy.
 */
export interface MemoTxConn extends SqlTxConn {
  /** Whether the answer of this kept single-row read is held. */
  known(sql: string, params: readonly SqlValue[]): boolean;
  /** The held answer of this kept single-row read, or undefined (none held, or no such row). */
  held(sql: string, params: readonly SqlValue[]): unknown;
  /** Hold `row` (undefined: no such row) as the answer of this kept single-row read. */
  remember(sql: string, params: readonly SqlValue[], row: unknown): void;
}

/** What one transaction keeps: per kept table, the answers of its kept reads by statement and parameters. */
class Answers {
  private readonly tables: readonly string[];
  /** A short key per statement: a key holding the whole statement text was hashed on every read. */
  private readonly ids: ReadonlyMap<string, string>;
  private readonly byTable: ReadonlyMap<string, Map<string, unknown>>;
  private readonly writesOf: Map<string, readonly string[]>;

  constructor(private readonly kept: ReadonlyMap<string, string>) {
    this.tables = [...new Set(kept.values())];
    let writesOf = writesByKept.get(kept);
    if (!writesOf) writesByKept.set(kept, (writesOf = new Map()));
    this.writesOf = writesOf;
    this.ids = new Map([...kept.keys()].map((sql, i) => [sql, `${i}`]));
    this.byTable = new Map(this.tables.map((t) => [t, new Map()]));
  }

  /** The key of a kept read's answer; null for a statement not kept, or parameters never kept (bytes, NULL). */
  key(sql: string, params: readonly SqlValue[]): string | null {
    let key = this.ids.get(sql);
    if (key === undefined) return null;
    for (const p of params) {
      if (typeof p !== 'string' && typeof p !== 'number') return null;
      key += `\u0000${typeof p === 'number' ? 'n' : 's'}${p}`;
    }
    return key;
  }

  /** The answers kept of the table that `sql` (a kept read) reads. */
  of(sql: string): Map<string, unknown> | undefined {
    return this.byTable.get(this.kept.get(sql) ?? '');
  }

  /** `sql` runs: forget what was kept of each table it may write. */
  wrote(sql: string): void {
    let written = this.writesOf.get(sql);
    if (written === undefined) {
      written = /^\s*select\b/i.test(sql) ? [] : this.tables.filter((t) => new RegExp(`\\b${t}\\b`, 'i').test(sql));
      if (this.writesOf.size >= WRITES_KEPT) this.writesOf.clear();
      this.writesOf.set(sql, written);
    }
    for (const t of written) this.byTable.get(t)?.clear();
  }

  forgetAll(): void {
    for (const answers of this.byTable.values()) answers.clear();
  }
}

/** `kept`: each kept read statement and the one table it reads. */
export function withTxReadMemo(conn: SqlTxConn, kept: ReadonlyMap<string, string>): MemoTxConn {
  const memo = new Answers(kept);
  return {
    known(sql, params) {
      const key = memo.key(sql, params);
      return key !== null && memo.of(sql)?.has(key) === true;
    },
    held(sql, params) {
      const key = memo.key(sql, params);
      return key === null ? undefined : memo.of(sql)?.get(key);
    },
    remember(sql, params, row) {
      const key = memo.key(sql, params);
      if (key !== null) memo.of(sql)?.set(key, row);
    },
    dialect: conn.dialect,
    skipLocked: conn.skipLocked,
    async lock(keys) {
      const fresh = await conn.lock(keys);
      if (fresh) memo.forgetAll();
      return fresh;
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []) {
      const key = memo.key(sql, params);
      const answers = memo.of(sql);
      if (key === null || !answers) {
        memo.wrote(sql);
        return conn.get<T>(sql, params);
      }
      if (answers.has(key)) return answers.get(key) as T | undefined;
      const row = await conn.get<T>(sql, params);
      answers.set(key, row);
      return row;
    },
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      const key = memo.key(sql, params);
      const answers = memo.of(sql);
      if (key === null || !answers) {
        memo.wrote(sql);
        return conn.all<T>(sql, params);
      }
      let rows = answers.get(key) as T[] | undefined;
      if (rows === undefined) {
        rows = await conn.all<T>(sql, params);
        answers.set(key, rows);
      }
      return rows.slice();
    },
    rows(sql: string, params?: readonly SqlValue[]) {
      memo.wrote(sql);
      return conn.rows(sql, params);
    },
    defer(sql: string, params?: readonly SqlValue[]) {
      memo.wrote(sql);
      conn.defer(sql, params);
    },
    run(sql: string, params?: readonly SqlValue[]) {
      memo.wrote(sql);
      return conn.run(sql, params);
    },
  };
}
