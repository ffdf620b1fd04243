import type { SqlTxConn, SqlValue } from './driver.js';

/** Kept answers, by statement and parameters. */
type Memo = Map<string, unknown>;

function keyOf(sql: string, params: readonly SqlValue[]): string | null {
  let key = sql;
  for (const p of params) {
    if (typeof p !== 'string' && typeof p !== 'number') return null; // bytes and NULL: not kept
    key += `\u0000${typeof p === 'number' ? 'n' : 's'}${p}`;
  }
  return key;
}

/**
 * The connection of one transaction, keeping the answers of `kept` single-row reads (`get`) until
 * the transaction next writes. A write request reads the same rows again and again — the target
 * and its parent by the checks, the prepare step and the store's own write (issue #20: 7 reads of
 * two rows in one PUT, each a round trip on PostgreSQL). What counts as a write is conservative:
 * any statement that does not begin with SELECT (INSERT, UPDATE … RETURNING, DELETE, WITH …) and
 * names the resources table forgets everything (no trigger or cascade writes that table from
 * another: its foreign keys cascade outwards only, migrations.ts), and so does a lock that was
 * not held yet (another transaction may have committed to those rows meanwhile: what was read
 * before the lock is read again after it).
 * Each answer is a fresh row object from the driver; callers map it (toResource), never keep it.
 */
/** A transaction's connection with the memo: `known` and `remember` let a caller read kept rows in bulk. */
export interface MemoTxConn extends SqlTxConn {
  /** Whether the answer of this kept single-row read is held. */
  known(sql: string, params: readonly SqlValue[]): boolean;
  /** Hold `row` (undefined: no such row) as the answer of this kept single-row read. */
  remember(sql: string, params: readonly SqlValue[], row: unknown): void;
}

export function withTxReadMemo(conn: SqlTxConn, kept: ReadonlySet<string>): MemoTxConn {
  // Kept statements read the resources table only (sql-store.ts RESOURCE_BY_PATH, RESOURCE_BY_ID).
  const memo: Memo = new Map();
  const wrote = (sql: string): void => {
    if (memo.size > 0 && !/^\s*select\b/i.test(sql) && /\bresources\b/i.test(sql)) memo.clear();
  };
  const keyIfKept = (sql: string, params: readonly SqlValue[]): string | null =>
    kept.has(sql) ? keyOf(sql, params) : null;
  return {
    known(sql, params) {
      const key = keyIfKept(sql, params);
      return key !== null && memo.has(key);
    },
    remember(sql, params, row) {
      const key = keyIfKept(sql, params);
      if (key !== null) memo.set(key, row);
    },
    dialect: conn.dialect,
    skipLocked: conn.skipLocked,
    async lock(keys) {
      const fresh = await conn.lock(keys);
      if (fresh) memo.clear();
      return fresh;
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []) {
      const key = keyIfKept(sql, params);
      if (key === null) {
        wrote(sql);
        return conn.get<T>(sql, params);
      }
      if (memo.has(key)) return memo.get(key) as T | undefined;
      const row = await conn.get<T>(sql, params);
      memo.set(key, row);
      return row;
    },
    all<T>(sql: string, params?: readonly SqlValue[]) {
      wrote(sql);
      return conn.all<T>(sql, params);
    },
    rows(sql: string, params?: readonly SqlValue[]) {
      wrote(sql);
      return conn.rows(sql, params);
    },
    defer(sql: string, params?: readonly SqlValue[]) {
      wrote(sql);
      conn.defer(sql, params);
    },
    run(sql: string, params?: readonly SqlValue[]) {
      wrote(sql);
      return conn.run(sql, params);
    },
  };
}
