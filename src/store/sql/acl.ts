import type { AcePrincipal, Group, StoredAce } from '../capabilities/acl.js';
import type { User } from '../types.js';
import type { SqlConn } from './driver.js';
import { toUser, type UserRow } from './rows.js';

interface AceRow {
  principal: string;
  principal_id: number | string | null;
  privileges: string;
}
interface GroupRow {
  id: number | string;
  name: string;
  created_at: number | string;
  owner_id: number | string | null;
  owner_name: string | null;
  role: string | null;
}

const toGroup = (r: GroupRow): Group => ({
  id: Number(r.id),
  name: r.name,
  createdAt: Number(r.created_at),
  owner: r.owner_id === null || r.owner_name === null ? null : { id: Number(r.owner_id), name: r.owner_name },
  role: r.role,
});

/** A group row with its owner's name (migration 13: owned groups). */
const GROUP_COLUMNS = 'g.id, g.name, g.created_at, g.owner_id, o.name AS owner_name, g.role';
const GROUPS = `SELECT ${GROUP_COLUMNS} FROM principal_groups g LEFT JOIN users o ON o.id = g.owner_id`;

function toPrincipal(r: AceRow): AcePrincipal {
  if (r.principal === 'user' || r.principal === 'group') return { kind: r.principal, id: Number(r.principal_id) };
  return { kind: r.principal === 'all' ? 'all' : 'authenticated' };
}

const toAce = (r: AceRow): StoredAce => ({
  principal: toPrincipal(r),
  privileges: r.privileges.split(' ').filter((p) => p !== ''),
});

/** The aces, principal_groups and group_members queries (migration 11), shared by both dialects. */
export const ACL = {
  async getAces(db: SqlConn, path: string): Promise<StoredAce[]> {
    const rows = await db.all<AceRow>(
      `SELECT a.principal, a.principal_id, a.privileges FROM aces a JOIN resources r ON r.id = a.resource_id
       WHERE r.path = ? ORDER BY a.position`,
      [path],
    );
    return rows.map(toAce);
  },

  async setAces(db: SqlConn, resourceId: number, aces: readonly StoredAce[]): Promise<void> {
    await db.run('DELETE FROM aces WHERE resource_id = ?', [resourceId]);
    // An ACL is metadata the change feed does not record: it moves the state cached answers name.
    await db.run(
      'UPDATE resources SET meta_seq = meta_seq + 1 WHERE id = ? OR id = (SELECT parent_id FROM resources WHERE id = ?)',
      [resourceId, resourceId],
    );
    let position = 0;
    for (const a of aces) {
      const id = a.principal.kind === 'user' || a.principal.kind === 'group' ? a.principal.id : null;
      await db.run(
        'INSERT INTO aces (resource_id, position, principal, principal_id, privileges) VALUES (?, ?, ?, ?, ?)',
        [resourceId, position++, a.principal.kind, id, a.privileges.join(' ')],
      );
    }
  },

  async group(db: SqlConn, column: 'name' | 'id', value: string | number): Promise<Group | null> {
    const unowned = column === 'name' ? ' AND g.owner_id IS NULL' : '';
    const r = await db.get<GroupRow>(`${GROUPS} WHERE g.${column} = ?${unowned}`, [value]);
    return r ? toGroup(r) : null;
  },

  async ownedGroup(db: SqlConn, ownerId: number, role: string): Promise<Group | null> {
    const r = await db.get<GroupRow>(`${GROUPS} WHERE g.owner_id = ? AND g.role = ?`, [ownerId, role]);
    return r ? toGroup(r) : null;
  },

  async listGroups(db: SqlConn): Promise<Group[]> {
    return (await db.all<GroupRow>(`${GROUPS} WHERE g.owner_id IS NULL ORDER BY g.name`)).map(toGroup);
  },

  async groupMembers(db: SqlConn, groupId: number): Promise<User[]> {
    const rows = await db.all<UserRow>(
      'SELECT u.* FROM users u JOIN group_members m ON m.user_id = u.id WHERE m.group_id = ? ORDER BY u.name',
      [groupId],
    );
    return rows.map(toUser);
  },

  async groupsOf(db: SqlConn, userId: number): Promise<Group[]> {
    const rows = await db.all<GroupRow>(
      `${GROUPS} JOIN group_members m ON m.group_id = g.id WHERE m.user_id = ? ORDER BY g.name`,
      [userId],
    );
    return rows.map(toGroup);
  },

  async createGroup(db: SqlConn, name: string, owned?: { ownerId: number; role: string }): Promise<Group> {
    const r = await db.get<{ id: number | string }>(
      'INSERT INTO principal_groups (name, created_at, owner_id, role) VALUES (?, ?, ?, ?) RETURNING id',
      [name, Date.now(), owned?.ownerId ?? null, owned?.role ?? null],
    );
    const group = r ? await ACL.group(db, 'id', Number(r.id)) : null;
    if (!group) throw new Error('insert returned no row');
    return group;
  },

  async deleteGroup(db: SqlConn, id: number): Promise<void> {
    await db.run("DELETE FROM aces WHERE principal = 'group' AND principal_id = ?", [id]);
    await db.run('DELETE FROM group_members WHERE group_id = ?', [id]);
    await db.run('DELETE FROM principal_groups WHERE id = ?', [id]);
  },

  async addGroupMember(db: SqlConn, groupId: number, userId: number): Promise<void> {
    await db.run('INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [
      groupId,
      userId,
    ]);
  },

  async removeGroupMember(db: SqlConn, groupId: number, userId: number): Promise<void> {
    await db.run('DELETE FROM group_members WHERE group_id = ? AND user_id = ?', [groupId, userId]);
  },

  /** What deleting a user leaves behind otherwise: ACEs naming them and their memberships. */
  async forgetUser(db: SqlConn, userId: number): Promise<void> {
    const owned = await db.all<{ id: number | string }>('SELECT id FROM principal_groups WHERE owner_id = ?', [userId]);
    for (const g of owned) await ACL.deleteGroup(db, Number(g.id));
    await db.run("DELETE FROM aces WHERE principal = 'user' AND principal_id = ?", [userId]);
    await db.run('DELETE FROM group_members WHERE user_id = ?', [userId]);
  },
};
