/**
 * Every grant that applies to a user, read once per authenticated request (domain/acl/grants.ts):
 * stored ACEs (RFC 3744 §5.5, migration 11) that name the user, one of the user's groups,
 * DAV:authenticated or DAV:all; then what the user's accepted shares grant, on the shared
 * collection's own path and on the instance's path in the sharee's home (migration 19).
 *
 * One statement for both (a UNION), so that on PostgreSQL a request pays one round trip for its
 * grants rather than two (issue #20). ACEs come first, by path and position; shares by
 * collection path and id.
 */
import type { GrantRow } from '../capabilities/acl.js';
import type { SqlConn } from './driver.js';
import { SHARE_GRANTED } from './shares.js';

interface GrantSourceRow {
  src: number | string;
  path: string;
  instance_path: string | null;
  privileges: string;
}

// Each path is read by the resource's primary key (a scalar subquery), so the plan is index
// look-ups for the few matching rows whatever the tables' statistics say: PostgreSQL plans a
// prepared statement once for any user (a generic plan), and a join could become a scan of
// every resource. The two principals everyone has are two equalities, not `IN ('authenticated',
// 'all')`: SQLite ran that list beside the group subquery's in 156 µs, the equalities in 12 µs
// (the same plan of index look-ups; every authenticated request reads its grants).
const GRANTS = `SELECT 0 AS src, (SELECT r.path FROM resources r WHERE r.id = a.resource_id) AS path,
    NULL AS instance_path, a.privileges AS privileges, a.position AS o2
    FROM aces a
    WHERE a.principal = 'authenticated' OR a.principal = 'all' OR (a.principal = 'user' AND a.principal_id = ?)
       OR (a.principal = 'group' AND a.principal_id IN (SELECT group_id FROM group_members WHERE user_id = ?))
  UNION ALL
  SELECT 1, (SELECT r.path FROM resources r WHERE r.id = s.collection_id), s.instance_path, ${SHARE_GRANTED}, s.id
    FROM shares s
    WHERE s.sharee_id = ? AND s.status = 'accepted'
  ORDER BY src, path, o2`;

export async function grantsFor(db: SqlConn, userId: number): Promise<GrantRow[]> {
  const rows = await db.all<GrantSourceRow>(GRANTS, [userId, userId, userId]);
  const out: GrantRow[] = [];
  for (const r of rows) {
    const privileges = r.privileges.split(' ').filter((p) => p !== '');
    out.push({ path: r.path, privileges });
    if (Number(r.src) === 1 && r.instance_path !== null) out.push({ path: r.instance_path, privileges });
  }
  return out;
}
