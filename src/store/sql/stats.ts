import type { StoreStats } from '../capabilities/stats.js';
import type { SqlConn } from './driver.js';
import { PEOPLE } from './rows.js';

type Count = { n: number | string };

async function count(db: SqlConn, sql: string, params: readonly (string | number)[] = []): Promise<number> {
  return Number((await db.get<Count>(sql, params))?.n ?? 0);
}

/** The statistics queries, shared by both dialects. */
export const STATS = {
  async store(db: SqlConn): Promise<StoreStats> {
    return {
      users: await count(db, `SELECT COUNT(*) AS n FROM users WHERE ${PEOPLE}`),
      collections: await count(db, 'SELECT COUNT(*) AS n FROM resources WHERE is_collection = 1'),
      objects: await count(db, 'SELECT COUNT(*) AS n FROM resources WHERE is_collection = 0'),
      itipWaiting: await count(db, "SELECT COUNT(*) AS n FROM outbound_itip WHERE state = 'pending'"),
    };
  },

  values(db: SqlConn, namespace: string, now: number): Promise<number> {
    return count(db, 'SELECT COUNT(*) AS n FROM kv WHERE namespace = ? AND (expires_at IS NULL OR expires_at > ?)', [
      namespace,
      now,
    ]);
  },
};
