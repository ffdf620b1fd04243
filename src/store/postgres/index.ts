import { SqlStore } from '../sql/sql-store.js';
import type { Store } from '../store.js';
import { openPostgres } from './postgres-driver.js';

/** Connect to PostgreSQL at `url`, migrating the schema as needed. */
export async function openPostgresStore(url: string): Promise<Store> {
  return new SqlStore(await openPostgres(url));
}
