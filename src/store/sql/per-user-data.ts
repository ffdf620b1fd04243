import type { PerUserEntry } from '../capabilities/per-user-data.js';
import type { SqlConn, SqlValue } from './driver.js';

/** The per_user_data queries (migration 17), shared by both dialects. */
export const PER_USER = {
  async of(db: SqlConn, resourceId: number): Promise<PerUserEntry[]> {
    const rows = await db.all<{ user_id: number | string; ical: string }>(
      'SELECT user_id, ical FROM per_user_data WHERE resource_id = ? ORDER BY user_id',
      [resourceId],
    );
    return rows.map((r) => ({ userId: Number(r.user_id), ical: r.ical }));
  },

  /** One chunk of `perUserDataFor`: `marks`/`params` an IN list of resource ids. */
  async forChunk(
    db: SqlConn,
    userId: number,
    marks: string,
    params: SqlValue[],
    out: Map<number, string>,
  ): Promise<void> {
    const rows = await db.all<{ resource_id: number | string; ical: string }>(
      `SELECT resource_id, ical FROM per_user_data WHERE user_id = ? AND resource_id IN (${marks})`,
      [userId, ...params],
    );
    for (const r of rows) out.set(Number(r.resource_id), r.ical);
  },

  async put(db: SqlConn, resourceId: number, userId: number, ical: string | null): Promise<void> {
    if (ical === null) {
      await db.run('DELETE FROM per_user_data WHERE resource_id = ? AND user_id = ?', [resourceId, userId]);
      return;
    }
    await db.run(
      `INSERT INTO per_user_data (resource_id, user_id, ical) VALUES (?, ?, ?)
       ON CONFLICT (resource_id, user_id) DO UPDATE SET ical = excluded.ical`,
      [resourceId, userId, ical],
    );
  },

  /** A share ends: its sharee's data of the collection's members goes. */
  async forgetShare(db: SqlConn, collectionId: number, userId: number): Promise<void> {
    await db.run(
      'DELETE FROM per_user_data WHERE user_id = ? AND resource_id IN (SELECT id FROM resources WHERE parent_id = ?)',
      [userId, collectionId],
    );
  },
};
