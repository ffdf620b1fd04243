import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqlStore } from '../sql/sql-store.js';
import type { Store } from '../store.js';
import { openSqlite, type SqliteOptions } from './sqlite-driver.js';

/** Open (creating and migrating as needed) a SQLite store at `file`. */
export function openSqliteStore(file: string, options: SqliteOptions = {}): Store {
  mkdirSync(dirname(file), { recursive: true });
  return new SqlStore(openSqlite(file, options));
}
