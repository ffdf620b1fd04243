import { LocalBus, type ChangeBus } from './bus.js';

/**
 * The change bus for a store: PostgreSQL's LISTEN/NOTIFY (push/pg-bus.ts) when several nodes may
 * share the database, else the in-process bus. The PostgreSQL driver is loaded only then, so a
 * server or command on SQLite does not pay for loading it.
 * `listen: false` only publishes (a command-line process that writes, e.g. `almanac import`).
 */
export async function openChangeBus(pgUrl: string | undefined, options: { listen?: boolean } = {}): Promise<ChangeBus> {
  if (pgUrl === undefined) return new LocalBus();
  const { PgBus } = await import('./pg-bus.js');
  return new PgBus(pgUrl, options);
}
