import type {
  GroupShare,
  NewGroupShare,
  NewShare,
  Share,
  ShareAccess,
  ShareStatus,
  ShareUpdate,
} from '../capabilities/shares.js';
import type { DeadProperty } from '../types.js';
import type { SqlConn } from './driver.js';
import { PER_USER } from './per-user-data.js';

interface ShareRow {
  id: number | string;
  collection_id: number | string;
  collection_path: string;
  owner_id: number | string;
  sharee_id: number | string;
  access: string;
  direct_access: string | null;
  status: string;
  invite_uid: string;
  summary: string | null;
  common_name: string | null;
  instance_path: string | null;
  properties: string;
  created_at: number | string;
}

const SELECT = `SELECT s.id, s.collection_id, r.path AS collection_path, r.owner_id, s.sharee_id, s.access, s.direct_access, s.status,
  s.invite_uid, s.summary, s.common_name, s.instance_path, s.properties, s.created_at
  FROM shares s JOIN resources r ON r.id = s.collection_id`;

function toShare(r: ShareRow): Share {
  return {
    id: Number(r.id),
    collectionId: Number(r.collection_id),
    collectionPath: r.collection_path,
    ownerId: Number(r.owner_id),
    shareeId: Number(r.sharee_id),
    access: r.access as ShareAccess,
    directAccess: r.direct_access as ShareAccess | null,
    status: r.status as ShareStatus,
    inviteUid: r.invite_uid,
    summary: r.summary,
    commonName: r.common_name,
    instancePath: r.instance_path,
    properties: JSON.parse(r.properties) as DeadProperty[],
    createdAt: Number(r.created_at),
  };
}

/** The privilege names an accepted share grants (domain/acl/grants.ts expands them). */
export const SHARE_GRANTED = `CASE s.access WHEN 'read-write' THEN 'read write' ELSE 'read' END`;

/** A share's change moves what cached answers on the collection and its parent hold (resourcetype, CS:invite). */
async function touch(db: SqlConn, collectionId: number): Promise<void> {
  await db.run(
    'UPDATE resources SET meta_seq = meta_seq + 1 WHERE id = ? OR id = (SELECT parent_id FROM resources WHERE id = ?)',
    [collectionId, collectionId],
  );
}

/** The shares queries (migration 13), shared by both dialects. */
export const SHARES = {
  async one(db: SqlConn, column: 'id' | 'instance_path' | 'invite_uid', value: string | number): Promise<Share | null> {
    const r = await db.get<ShareRow>(`${SELECT} WHERE s.${column} = ?`, [value]);
    return r ? toShare(r) : null;
  },

  async of(db: SqlConn, column: 'collection_id' | 'sharee_id', id: number): Promise<Share[]> {
    return (await db.all<ShareRow>(`${SELECT} WHERE s.${column} = ? ORDER BY s.id`, [id])).map(toShare);
  },

  /** The instance paths of a collection's accepted shares. */
  async instancesOf(db: SqlConn, collectionId: number): Promise<string[]> {
    const rows = await db.all<{ instance_path: string }>(
      `SELECT instance_path FROM shares WHERE collection_id = ? AND status = 'accepted' AND instance_path IS NOT NULL`,
      [collectionId],
    );
    return rows.map((r) => r.instance_path);
  },

  async put(db: SqlConn, s: NewShare, now: number): Promise<Share> {
    await db.run(
      `INSERT INTO shares (collection_id, sharee_id, access, direct_access, status, invite_uid, summary, common_name, instance_path, properties, created_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, NULL, '[]', ?)
       ON CONFLICT (collection_id, sharee_id) DO UPDATE SET access = excluded.access,
         direct_access = excluded.direct_access, summary = excluded.summary, common_name = excluded.common_name`,
      [s.collectionId, s.shareeId, s.access, s.directAccess, s.inviteUid, s.summary, s.commonName, now],
    );
    await touch(db, s.collectionId);
    const r = await db.get<ShareRow>(`${SELECT} WHERE s.collection_id = ? AND s.sharee_id = ?`, [
      s.collectionId,
      s.shareeId,
    ]);
    if (!r) throw new Error('upsert returned no row');
    return toShare(r);
  },

  async update(db: SqlConn, id: number, u: ShareUpdate): Promise<Share | null> {
    const cols: Record<string, string | null | undefined> = {
      status: u.status,
      instance_path: u.instancePath,
      properties: u.properties === undefined ? undefined : JSON.stringify(u.properties),
    };
    for (const [col, value] of Object.entries(cols)) {
      if (value !== undefined) await db.run(`UPDATE shares SET ${col} = ? WHERE id = ?`, [value, id]);
    }
    const share = await SHARES.one(db, 'id', id);
    if (!share) return null;
    // A share no longer accepted ends the sharee's per-user data of its members (caldav-sharing §5.5.4).
    if (share.status !== 'accepted') await PER_USER.forgetShare(db, share.collectionId, share.shareeId);
    await touch(db, share.collectionId);
    return share;
  },

  async delete(db: SqlConn, id: number): Promise<void> {
    const share = await SHARES.one(db, 'id', id);
    if (!share) return;
    await db.run('DELETE FROM shares WHERE id = ?', [id]);
    await PER_USER.forgetShare(db, share.collectionId, share.shareeId);
    await touch(db, share.collectionId);
  },
};

interface GroupShareRow {
  id: number | string;
  collection_id: number | string;
  collection_path: string;
  owner_id: number | string;
  group_id: number | string;
  group_name: string;
  access: string;
  invite_uid: string;
  summary: string | null;
  created_at: number | string;
}

const SELECT_GROUP = `SELECT g.id, g.collection_id, r.path AS collection_path, r.owner_id, g.group_id, p.name AS group_name,
  g.access, g.invite_uid, g.summary, g.created_at
  FROM group_shares g JOIN resources r ON r.id = g.collection_id JOIN principal_groups p ON p.id = g.group_id`;

function toGroupShare(r: GroupShareRow): GroupShare {
  return {
    id: Number(r.id),
    collectionId: Number(r.collection_id),
    collectionPath: r.collection_path,
    ownerId: Number(r.owner_id),
    groupId: Number(r.group_id),
    groupName: r.group_name,
    access: r.access as ShareAccess,
    inviteUid: r.invite_uid,
    summary: r.summary,
    createdAt: Number(r.created_at),
  };
}

/** The group_shares queries (migration 22), shared by both dialects. */
export const GROUP_SHARES = {
  async of(db: SqlConn, column: 'collection_id' | 'group_id', id: number): Promise<GroupShare[]> {
    return (await db.all<GroupShareRow>(`${SELECT_GROUP} WHERE g.${column} = ? ORDER BY g.id`, [id])).map(toGroupShare);
  },

  async put(db: SqlConn, s: NewGroupShare, now: number): Promise<GroupShare> {
    await db.run(
      `INSERT INTO group_shares (collection_id, group_id, access, invite_uid, summary, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (collection_id, group_id) DO UPDATE SET access = excluded.access, summary = excluded.summary`,
      [s.collectionId, s.groupId, s.access, s.inviteUid, s.summary, now],
    );
    await touch(db, s.collectionId);
    const r = await db.get<GroupShareRow>(`${SELECT_GROUP} WHERE g.collection_id = ? AND g.group_id = ?`, [
      s.collectionId,
      s.groupId,
    ]);
    if (!r) throw new Error('upsert returned no row');
    return toGroupShare(r);
  },

  async delete(db: SqlConn, id: number): Promise<void> {
    const r = await db.get<{ collection_id: number | string }>('SELECT collection_id FROM group_shares WHERE id = ?', [
      id,
    ]);
    if (!r) return;
    await db.run('DELETE FROM group_shares WHERE id = ?', [id]);
    await touch(db, Number(r.collection_id));
  },
};
