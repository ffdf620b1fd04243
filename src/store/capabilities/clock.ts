/**
 * The clock every node shares (issue #21): expiry times that one node writes and another reads
 * (WebDAV locks, web and SyncML sessions) are taken from it, so a node whose own clock is off
 * neither ends another node's lock early nor keeps it too long. On PostgreSQL it is the
 * database server's clock (this process's offset to it, measured at start and every minute);
 * on SQLite, one machine, it is this process's.
 */
export interface Clock {
  /** Milliseconds since the epoch by the shared clock. */
  now(): number;
}
