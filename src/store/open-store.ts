import { join } from 'node:path';
import { postgresUrl } from './database-url.js';
import type { Store } from './store.js';

/** The one place a store implementation is chosen: `postgres://…` URLs, else SQLite in `dataDir`. */
export async function openStore(options: { database?: string | undefined; dataDir: string }): Promise<Store> {
  const url = options.database;
  const postgres = postgresUrl(url);
  // Each implementation (and its driver: pg, better-sqlite3) is loaded only when chosen.
  if (postgres) return (await import('./postgres/index.js')).openPostgresStore(postgres);
  if (url && !url.startsWith('sqlite:'))
    throw new Error(`unsupported --database URL (use postgres://… or sqlite:FILE): ${url}`);
  const file = url ? url.slice('sqlite:'.length) : join(options.dataDir, 'almanac.sqlite');
  return (await import('./sqlite/index.js')).openSqliteStore(file);
}
