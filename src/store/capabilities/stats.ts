/** Sizes an operator watches (`/metrics`, http/metrics.ts), read outside transactions. */
export interface StoreStats {
  readonly users: number;
  /** Collections of every kind (calendars, address books, folders, homes). */
  readonly collections: number;
  /** Stored resources that are not collections: calendar objects, contacts, files. */
  readonly objects: number;
  /** Outbound iTIP messages not yet sent for good (pending or waiting for a retry). */
  readonly itipWaiting: number;
}

export interface StatsReader {
  /** The counts above; each one COUNT over a table, so it is meant for a scrape, not a request path. */
  storeStats(): Promise<StoreStats>;
  /** How many values of `namespace` in kv have not expired at `now` (e.g. live SyncML sessions). */
  countValues(namespace: string, now: number): Promise<number>;
}
