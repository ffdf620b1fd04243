import type { CalendarSubscription } from '../types.js';
import type { SqlConn } from './driver.js';

interface SubscriptionRow {
  collection_id: number | string;
  owner_id: number | string;
  url: string;
  refresh_seconds: number | string;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: number | string | null;
  last_success_at: number | string | null;
  last_error: string | null;
  next_refresh_at: number | string;
}

const COLUMNS =
  'collection_id, owner_id, url, refresh_seconds, etag, last_modified, last_attempt_at, last_success_at, last_error, next_refresh_at';

const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toSubscription(r: SubscriptionRow): CalendarSubscription {
  return {
    collectionId: Number(r.collection_id),
    ownerId: Number(r.owner_id),
    url: r.url,
    refreshSeconds: Number(r.refresh_seconds),
    etag: r.etag,
    lastModified: r.last_modified,
    lastAttemptAt: numOrNull(r.last_attempt_at),
    lastSuccessAt: numOrNull(r.last_success_at),
    lastError: r.last_error,
    nextRefreshAt: Number(r.next_refresh_at),
  };
}

/** The calendar_subscriptions queries (migration 10), shared by both dialects. */
export const SUBSCRIPTIONS = {
  async get(db: SqlConn, collectionId: number): Promise<CalendarSubscription | null> {
    const r = await db.get<SubscriptionRow>(`SELECT ${COLUMNS} FROM calendar_subscriptions WHERE collection_id = ?`, [
      collectionId,
    ]);
    return r ? toSubscription(r) : null;
  },

  async list(db: SqlConn, ownerId: number): Promise<CalendarSubscription[]> {
    const rows = await db.all<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM calendar_subscriptions WHERE owner_id = ? ORDER BY collection_id`,
      [ownerId],
    );
    return rows.map(toSubscription);
  },

  async due(db: SqlConn, now: number, limit: number): Promise<CalendarSubscription[]> {
    const rows = await db.all<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM calendar_subscriptions WHERE next_refresh_at <= ? AND (lease_until IS NULL OR lease_until < ?)
       ORDER BY next_refresh_at, collection_id LIMIT ?`,
      [now, now, limit],
    );
    return rows.map(toSubscription);
  },

  async put(db: SqlConn, s: CalendarSubscription): Promise<void> {
    await db.run(
      `INSERT INTO calendar_subscriptions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (collection_id) DO UPDATE SET url = excluded.url, refresh_seconds = excluded.refresh_seconds,
       etag = excluded.etag, last_modified = excluded.last_modified, last_attempt_at = excluded.last_attempt_at,
       last_success_at = excluded.last_success_at, last_error = excluded.last_error, next_refresh_at = excluded.next_refresh_at`,
      [
        s.collectionId,
        s.ownerId,
        s.url,
        s.refreshSeconds,
        s.etag,
        s.lastModified,
        s.lastAttemptAt,
        s.lastSuccessAt,
        s.lastError,
        s.nextRefreshAt,
      ],
    );
  },

  /** One conditional UPDATE: on PostgreSQL a second node's UPDATE waits for the row and then finds the lease taken. */
  async lease(db: SqlConn, collectionId: number, holder: string, now: number, until: number): Promise<boolean> {
    const changed = await db.run(
      `UPDATE calendar_subscriptions SET lease_holder = ?, lease_until = ?
       WHERE collection_id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_holder = ?)`,
      [holder, until, collectionId, now, holder],
    );
    return changed === 1;
  },

  async release(db: SqlConn, collectionId: number, holder: string): Promise<void> {
    await db.run(
      'UPDATE calendar_subscriptions SET lease_holder = NULL, lease_until = NULL WHERE collection_id = ? AND lease_holder = ?',
      [collectionId, holder],
    );
  },
};
