import { join } from 'node:path';
import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';
import { postgresUrl } from './database-url.js';
import type { Store } from './store.js';

/** The one place a store implementation is chosen: `postgres://…` URLs, else SQLite in `dataDir`. */
export async function openStore(options: { database?: string | undefined; dataDir: string }): Promise<Store> {
  const url = options.database;
  const postgres = postgresUrl(url);
  if (postgres) return openPostgresStore(postgres);
  if (url && url.startsWith('sqlite:')) return openSqliteStore(url.slice('sqlite:'.length));
  if (url) throw new Error(`unsupported --database URL (use postgres://… or sqlite:FILE): ${url}`);
  return openSqliteStore(join(options.dataDir, 'almanac.sqlite'));
}
