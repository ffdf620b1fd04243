/**
 * The sharer's side of sharing (caldav-sharing §5.3): invite, change and remove sharees of a
 * calendar or address book. A share grants its sharee read or read-write on the collection once
 * accepted (store/sql/shares.ts `grants`, read with the stored ACEs on every request), so a
 * removal takes effect on the next request: the share row, its grant and the instance go together.
 */
import { randomUUID } from 'node:crypto';
import type { Store, StoreTx } from '../../store/store.js';
import type { Share, ShareAccess } from '../../store/capabilities/shares.js';
import type { Resource, User } from '../../store/types.js';
import { areaKeys } from '../objects/lock-keys.js';
import { deliverNotification, inviteNotification, type InviteState, type SharingLinks } from './notifications.js';

/** One instruction of a share request (§5.3.2 CS:set / CS:remove; draft-pot-webdav-resource-sharing §4.4.3). */
export type ShareeChange =
  | {
      readonly kind: 'set';
      readonly sharee: User;
      readonly access: ShareAccess;
      readonly summary: string | null;
      readonly commonName: string | null;
    }
  | { readonly kind: 'remove'; readonly sharee: User };

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

async function applyChange(tx: StoreTx, c: Context, change: ShareeChange, existing: Share | undefined): Promise<void> {
  if (change.kind === 'remove') {
    if (!existing) return;
    await tx.deleteShare(existing.id);
    await notifySharee(tx, c, existing, change.sharee, 'invite-deleted');
    return;
  }
  const share = await tx.putShare({
    collectionId: c.collection.id,
    shareeId: change.sharee.id,
    access: change.access,
    inviteUid: existing?.inviteUid ?? randomUUID(),
    summary: change.summary,
    commonName: change.commonName,
  });
  // §5.3.2: notify sharees whose status changed (added or modified), not the unchanged ones.
  const unchanged =
    existing &&
    existing.access === share.access &&
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

/**
 * Apply a share request of the collection's owner in one transaction (locked on the owner's
 * area and every sharee's, whose notification collections are written). Sharing oneself is ignored.
 */
export async function changeSharees(store: Store, c: Context, changes: readonly ShareeChange[]): Promise<void> {
  const relevant = changes.filter((ch) => ch.sharee.id !== c.owner.id);
  const keys = areaKeys(c.collection.path, ...relevant.map((ch) => `/calendars/${ch.sharee.name}`));
  await store.transaction(keys, async (tx) => {
    const current = new Map((await tx.sharesOf(c.collection.id)).map((s) => [s.shareeId, s]));
    for (const change of relevant) {
      await applyChange(tx, c, change, current.get(change.sharee.id));
      current.delete(change.sharee.id);
    }
  });
}
