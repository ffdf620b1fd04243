/**
 * The sharer's side of sharing (caldav-sharing §5.3): invite, change and remove sharees of a
 * calendar or address book. A share grants its sharee read or read-write on the collection once
 * accepted (store/sql/shares.ts `grants`, read with the stored ACEs on every request), so a
 * removal takes effect on the next request: the share row, its grant and the instance go together.
 */
import { randomUUID } from 'node:crypto';
import type { Store, StoreTx } from '../../store/store.js';
import type { NewShare, Share, ShareAccess } from '../../store/capabilities/shares.js';
import type { Group } from '../../store/capabilities/acl.js';
import type { Resource, User } from '../../store/types.js';
import { areaKeys } from '../objects/lock-keys.js';
import { deliverNotification, inviteNotification, type InviteState, type SharingLinks } from './notifications.js';
import { GROUP_SHARE_KEY, reconcileShares } from './group-shares.js';

/**
 * One instruction of a share request (§5.3.2 CS:set / CS:remove; draft-pot-webdav-resource-sharing
 * §4.4.3), naming a user or a group (group-shares.ts).
 */
export type ShareeChange =
  | {
      readonly kind: 'set';
      readonly sharee: User;
      readonly access: ShareAccess;
      readonly summary: string | null;
      readonly commonName: string | null;
    }
  | { readonly kind: 'remove'; readonly sharee: User }
  | { readonly kind: 'set-group'; readonly group: Group; readonly access: ShareAccess; readonly summary: string | null }
  | { readonly kind: 'remove-group'; readonly group: Group };

type UserChange = Extract<ShareeChange, { kind: 'set' | 'remove' }>;
type GroupChange = Extract<ShareeChange, { kind: 'set-group' | 'remove-group' }>;

/** Collections that can be shared (§5.5.2 CS:can-be-shared): the owner's own calendars and address books. */
export function canBeShared(r: Resource): boolean {
  return (r.collectionType === 'calendar' || r.collectionType === 'addressbook') && r.derived === null;
}

/** The value of `shared-type` in notifications: what kind of collection is shared. */
function sharedType(r: Resource): string {
  return r.collectionType === 'addressbook' ? 'addressbook' : 'calendar';
}

interface Context {
  readonly owner: User;
  readonly collection: Resource;
  readonly links: SharingLinks;
  readonly now: number;
  readonly maxUploadBytes: number;
}

async function notifySharee(tx: StoreTx, c: Context, share: Share, sharee: User, state: InviteState): Promise<void> {
  const xml = inviteNotification(
    share,
    { owner: c.owner, sharee, sharedType: sharedType(c.collection), state, now: c.now },
    c.links,
  );
  await deliverNotification(tx, sharee, `${share.inviteUid}.xml`, xml, c.maxUploadBytes);
}

async function applyChange(tx: StoreTx, c: Context, change: UserChange, existing: Share | undefined): Promise<void> {
  if (change.kind === 'remove') {
    if (!existing?.directAccess) return;
    // Named no more; what a group gives them stays (reconcileShares settles it).
    if (await throughGroups(tx, c.collection, change.sharee)) {
      await tx.putShare({ ...shareFields(existing), directAccess: null });
      return;
    }
    await tx.deleteShare(existing.id);
    await notifySharee(tx, c, existing, change.sharee, 'invite-deleted');
    return;
  }
  const share = await tx.putShare({
    collectionId: c.collection.id,
    shareeId: change.sharee.id,
    access: change.access,
    directAccess: change.access,
    inviteUid: existing?.inviteUid ?? randomUUID(),
    summary: change.summary,
    commonName: change.commonName,
  });
  // §5.3.2: notify sharees whose status changed (added or modified), not the unchanged ones.
  const unchanged =
    existing &&
    existing.directAccess === share.directAccess &&
    existing.summary === share.summary &&
    existing.status !== 'declined';
  if (unchanged) return;
  if (existing?.status === 'declined') await tx.updateShare(share.id, { status: 'pending' });
  await notifySharee(
    tx,
    c,
    share,
    change.sharee,
    share.status === 'accepted' ? 'invite-accepted' : 'invite-noresponse',
  );
}

/** The fields of a stored share, to write it again with one of them changed. */
function shareFields(s: Share): NewShare {
  return {
    collectionId: s.collectionId,
    shareeId: s.shareeId,
    access: s.access,
    directAccess: s.directAccess,
    inviteUid: s.inviteUid,
    summary: s.summary,
    commonName: s.commonName,
  };
}

/** Whether a group share of the collection names a group the user is in. */
async function throughGroups(tx: StoreTx, collection: Resource, user: User): Promise<boolean> {
  const groups = new Set((await tx.groupsOf(user.id)).map((g) => g.id));
  return (await tx.groupSharesOf(collection.id)).some((g) => groups.has(g.groupId));
}

async function applyGroupChange(tx: StoreTx, c: Context, change: GroupChange): Promise<void> {
  const existing = (await tx.groupSharesOf(c.collection.id)).find((g) => g.groupId === change.group.id);
  if (change.kind === 'remove-group') {
    if (existing) await tx.deleteGroupShare(existing.id);
    return;
  }
  await tx.putGroupShare({
    collectionId: c.collection.id,
    groupId: change.group.id,
    access: change.access,
    inviteUid: existing?.inviteUid ?? randomUUID(),
    summary: change.summary,
  });
}

/**
 * Apply a share request of the collection's owner in one transaction (locked on the owner's
 * area, every named sharee's, whose notification collections are written, and the groups'),
 * then bring every member's share in line with the group shares (group-shares.ts). Sharing
 * oneself is ignored.
 */
export async function changeSharees(store: Store, c: Context, changes: readonly ShareeChange[]): Promise<void> {
  const users = changes.filter((ch): ch is UserChange => 'sharee' in ch && ch.sharee.id !== c.owner.id);
  const groups = changes.filter((ch): ch is GroupChange => 'group' in ch);
  const members = await membersOf(store, groups);
  const keys = areaKeys(
    c.collection.path,
    ...[...users.map((ch) => ch.sharee.name), ...members].map((name) => `/calendars/${name}`),
    ...members.map((name) => `/addressbooks/${name}`),
  );
  await store.transaction([...keys, GROUP_SHARE_KEY], async (tx) => {
    const current = new Map((await tx.sharesOf(c.collection.id)).map((s) => [s.shareeId, s]));
    for (const change of users) {
      await applyChange(tx, c, change, current.get(change.sharee.id));
      current.delete(change.sharee.id);
    }
    for (const change of groups) await applyGroupChange(tx, c, change);
    await reconcileShares(tx, c.collection);
  });
}

/** The names of the members of the groups a request names (their homes are locked: instances come and go). */
async function membersOf(store: Store, groups: readonly GroupChange[]): Promise<string[]> {
  const names = new Set<string>();
  for (const g of groups) for (const u of await store.groupMembers(g.group.id)) names.add(u.name);
  return [...names];
}
