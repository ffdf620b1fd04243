/**
 * Sharing a calendar or address book with a group (issue #17 items 1, 3, 7). A group share is
 * one row (`group_shares`) and one sharee in CS:invite; what it gives is carried by ordinary
 * per-user shares, so each member has their own instance, per-user properties and alarms, and
 * the grant rule (store/sql/shares.ts `grants`) and revocation work as for any sharee:
 *
 * - A member's share has `access` = the higher of `directAccess` (the sharer named them; null
 *   when not) and the access of every group share naming a group they are in.
 * - A member who gets access only through a group needs no invitation answered: their share is
 *   made accepted, its instance in their home at once — as Nextcloud and sabre/dav's group
 *   shares behave, so DAVx5, Thunderbird and the web app, which have no invitation inbox, see
 *   it. They may still remove it (DELETE on the instance, §5.4.2: declined), and a declined
 *   share stays declined. A pending invitation becomes accepted when a group gives access.
 * - `reconcileShares` brings one collection's shares in line with that rule. It runs in the
 *   transaction of every change that can move it: a share request, a member added to or
 *   removed from a group, a group deleted, a directory login syncing memberships. A member
 *   removed from the group loses their instance and their grant in that transaction, unless
 *   they hold access another way.
 *
 * No notification is written for what a group gives or takes: the group is the sharee the
 * sharer addressed, and a member's instance appearing or going is in their home's sync feed.
 */
import { randomUUID } from 'node:crypto';
import type { ShareAccess } from '../../store/capabilities/shares.js';
import type { ObjectsReader, SharesReader, StoreTx } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { acceptShare } from './replies.js';

/**
 * The lock key every change of group shares or group membership takes (the same key as the
 * groups' own changes, domain/accounts/groups.ts), so that on PostgreSQL two such changes on two
 * nodes cannot interleave their reads of members and shares.
 */
export const GROUP_SHARE_KEY = '/principals/groups';

const RANK: Readonly<Record<ShareAccess, number>> = { read: 1, 'read-write': 2 };

/** The higher of two accesses (read-write over read); null when neither gives any. */
function higherAccess(a: ShareAccess | null, b: ShareAccess | null): ShareAccess | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** Each member's access through the collection's group shares (the owner excluded), and who they are. */
async function accessThroughGroups(
  tx: StoreTx,
  collection: Resource,
): Promise<Map<number, { user: User; access: ShareAccess; summary: string | null }>> {
  const out = new Map<number, { user: User; access: ShareAccess; summary: string | null }>();
  for (const g of await tx.groupSharesOf(collection.id)) {
    for (const user of await tx.groupMembers(g.groupId)) {
      if (user.id === collection.ownerId) continue;
      const had = out.get(user.id);
      out.set(user.id, {
        user,
        access: higherAccess(had?.access ?? null, g.access) ?? g.access,
        summary: had?.summary ?? g.summary,
      });
    }
  }
  return out;
}

/** Bring every share of `collection` in line with its direct shares and its group shares (see above). */
export async function reconcileShares(tx: StoreTx, collection: Resource): Promise<void> {
  const viaGroups = await accessThroughGroups(tx, collection);
  for (const share of await tx.sharesOf(collection.id)) {
    const group = viaGroups.get(share.shareeId);
    viaGroups.delete(share.shareeId);
    const access = higherAccess(share.directAccess, group?.access ?? null);
    if (access === null) {
      await tx.deleteShare(share.id); // only a group gave it, and no longer does
      continue;
    }
    const current =
      access === share.access
        ? share
        : await tx.putShare({
            collectionId: share.collectionId,
            shareeId: share.shareeId,
            access,
            directAccess: share.directAccess,
            inviteUid: share.inviteUid,
            summary: share.summary,
            commonName: share.commonName,
          });
    if (group && current.status === 'pending') await acceptShare(tx, current, group.user);
  }
  for (const { user, access, summary } of viaGroups.values()) {
    const share = await tx.putShare({
      collectionId: collection.id,
      shareeId: user.id,
      access,
      directAccess: null,
      inviteUid: randomUUID(),
      summary,
      commonName: user.displayName ?? user.name,
    });
    await acceptShare(tx, share, user);
  }
}

/** The collections shared with a group, as they are now (for lock keys before a transaction, and after a change). */
export async function collectionsSharedWith(
  reader: SharesReader & ObjectsReader,
  groupIds: readonly number[],
): Promise<Resource[]> {
  const out = new Map<number, Resource>();
  for (const id of groupIds) {
    for (const g of await reader.groupSharesOfGroup(id)) {
      if (out.has(g.collectionId)) continue;
      const r = await reader.getResource(g.collectionPath);
      if (r) out.set(r.id, r);
    }
  }
  return [...out.values()];
}

/** Reconcile every collection shared with one of `groupIds` (a membership of theirs changed). */
export async function reconcileGroups(tx: StoreTx, groupIds: readonly number[]): Promise<void> {
  for (const collection of await collectionsSharedWith(tx, groupIds)) await reconcileShares(tx, collection);
}
