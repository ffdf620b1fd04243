/**
 * What SQLite runs for a store call, and how it plans it: for tests that keep a statement on
 * its index (issue #20). The SQL texts are those the store really prepares; the plans are
 * asked of SQLite with EXPLAIN QUERY PLAN on the store's own file (scratch-store.ts).
 */
import Database from 'better-sqlite3';

/** The SQL texts prepared while `fn` runs that `wanted` keeps (statements cached before are not seen). */
export async function preparedStatements(
  wanted: (sql: string) => boolean,
  fn: () => Promise<unknown>,
): Promise<string[]> {
  const prepare = Database.prototype.prepare;
  const seen: string[] = [];
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    if (wanted(sql)) seen.push(sql);
    return prepare.call(this, sql) as Database.Statement;
  } as typeof prepare;
  try {
    await fn();
  } finally {
    Database.prototype.prepare = prepare;
  }
  return seen;
}

/** SQLite's plan of `statement` on `file`: its first parameter `first`, every other `rest`. */
export function planOf(file: string, statement: string, first: number, rest: number | string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const params = (statement.match(/\?/g) ?? []).map((_, i) => (i === 0 ? first : rest));
    return (db.prepare(`EXPLAIN QUERY PLAN ${statement}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  } finally {
    db.close();
  }
}
