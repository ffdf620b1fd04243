import { join } from 'node:path';
import { notifyingStore, openChangeBus } from '../push/index.js';
import { postgresUrl } from '../store/database-url.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { User } from '../store/types.js';
import type { StoreLocation } from './args.js';
import { CliError, errorMessage } from './errors.js';

/** Where the store lives, for humans, without credentials: `sqlite FILE` or `postgres HOST/DB`. */
export function describeStore(location: StoreLocation): string {
  const { database, dataDir } = location;
  if (database === undefined) return `sqlite ${join(dataDir, 'almanac.sqlite')}`;
  if (database.startsWith('sqlite:')) return `sqlite ${database.slice('sqlite:'.length)}`;
  try {
    const url = new URL(database);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `postgres ${user}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return 'postgres';
  }
}

/** Open the store; failing to reach it is a one-line runtime error, not a stack trace. */
export async function openStoreAt(location: StoreLocation): Promise<Store> {
  try {
    return await openStore(location);
  } catch (err) {
    throw new CliError(`cannot open store (${describeStore(location)}): ${errorMessage(err)}`);
  }
}

/**
 * Run `fn` with an open store and close it afterwards, whatever happens. Its writes reach the
 * browsers of running servers: on PostgreSQL they are announced by NOTIFY after commit (as a
 * server node does); a server on the SQLite file notices them itself (Store.foreignChanges).
 * Either way they queue WebDAV-Push jobs in their transactions, which the servers deliver.
 */
export async function withStore<T>(location: StoreLocation, fn: (store: Store) => Promise<T>): Promise<T> {
  const base = await openStoreAt(location);
  const pgUrl = postgresUrl(location.database);
  const bus = await openChangeBus(pgUrl, { listen: false });
  try {
    return await fn(notifyingStore(base, bus));
  } finally {
    await bus.close().catch(() => undefined);
    await base.close().catch(() => undefined);
  }
}

/** The named user, or a one-line error naming the user. */
export async function existingUser(
  reader: { getUserByName(name: string): Promise<User | null> },
  name: string,
): Promise<User> {
  const user = await reader.getUserByName(name);
  if (!user) throw new CliError(`no such user '${name}'`);
  return user;
}
