/**
 * Online backup of a SQLite store (`almanac backup`) and the checks of a copy before it is
 * restored (`almanac restore`). The copy is made by SQLite's backup API (better-sqlite3
 * `Database.backup`) from a connection of its own, in ONE step: the first step (0 pages) only
 * learns the page count; the second copies every page inside one read transaction. In WAL mode a
 * reader never blocks the writers and sees one committed state, so the copy is consistent while
 * a server keeps writing (a copy made in many small steps would restart whenever another
 * connection commits, and might never finish under steady writes).
 */
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './migrations.js';

/** What a finished copy holds. */
export interface SqliteBackupInfo {
  /** Highest migration applied in the copy. */
  readonly schemaVersion: number;
  readonly pages: number;
}

/** The newest migration this build knows (a copy from a newer build is refused). */
const NEWEST_SQLITE_SCHEMA = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));

function schemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

/** Copy the store in `source` to the new file `target`, online. */
export async function backupSqlite(source: string, target: string): Promise<SqliteBackupInfo> {
  // Read-write open (nothing is written): a read-only connection cannot join a WAL whose -shm it may not create.
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const progress = await db.backup(target, { progress: () => 0x7fffffff });
    const copy = new Database(target);
    try {
      // The copy is a file of its own: no WAL left beside it, readable by any SQLite.
      copy.pragma('journal_mode = DELETE');
      return { schemaVersion: schemaVersion(copy), pages: progress.totalPages };
    } finally {
      copy.close();
    }
  } finally {
    db.close();
  }
}

/** Why a copy cannot be restored, or its schema version: integrity_check, then the schema. */
export function checkSqliteBackup(file: string): { readonly ok: SqliteBackupInfo } | { readonly error: string } {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    return { error: `cannot open ${file}: ${(err as Error).message}` };
  }
  try {
    const problems = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const first = problems[0]?.integrity_check;
    if (problems.length !== 1 || first !== 'ok') return { error: `integrity_check failed: ${first ?? 'no answer'}` };
    const hasSchema = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    if (!hasSchema) return { error: 'not an Almanac store (no schema_migrations table)' };
    const version = schemaVersion(db);
    if (version > NEWEST_SQLITE_SCHEMA)
      return { error: `made by a newer Almanac (schema ${version}; this one knows up to ${NEWEST_SQLITE_SCHEMA})` };
    const pages = db.pragma('page_count', { simple: true }) as number;
    return { ok: { schemaVersion: version, pages } };
  } catch (err) {
    return { error: `not a readable SQLite database: ${(err as Error).message}` };
  } finally {
    db.close();
  }
}
