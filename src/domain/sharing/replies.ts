/**
 * The sharee's side of sharing (caldav-sharing §5.4): accept or decline an invitation (an
 * instance appears in, or leaves, their home), remove an accepted share (DELETE on the
 * instance), and keep per-user properties on their instance (§5.5.3).
 */
import type { Store, StoreTx } from '../../store/store.js';
import type { Share } from '../../store/capabilities/shares.js';
import type { DeadProperty, User } from '../../store/types.js';
import { NS } from '../../xml/names.js';
import { areaKeys } from '../objects/lock-keys.js';
import { deliverNotification, replyNotification, type SharingLinks } from './notifications.js';

/** Why a reply cannot be applied. */
export class ShareRefused extends Error {
  constructor(
    readonly code: 'no-such-invite' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'ShareRefused';
  }
}

/** The properties copied from the owner's collection to a new instance: the sharee starts from what the owner sees. */
const COPIED = new Set([
  '{DAV:}displayname',
  `{${NS.APPLE_ICAL}}calendar-color`,
  `{${NS.APPLE_ICAL}}calendar-order`,
  `{${NS.CALDAV}}calendar-description`,
  `{${NS.CARDDAV}}addressbook-description`,
]);

/** §5.5.5: a newly accepted shared calendar does not add to the sharee's busy time until they ask. */
const TRANSPARENT: DeadProperty = {
  name: `{${NS.CALDAV}}schedule-calendar-transp`,
  xml: `<C:schedule-calendar-transp xmlns:C="${NS.CALDAV}"><C:transparent/></C:schedule-calendar-transp>`,
};

interface ReplyContext {
  readonly sharee: User;
  readonly links: SharingLinks;
  readonly now: number;
  readonly maxUploadBytes: number;
}

/** The path of a new instance in the sharee's home: the home of the collection's kind, named by the invitation. */
function instancePathFor(share: Share, sharee: User): string {
  const top = share.collectionPath.split('/')[1] ?? 'calendars';
  return `/${top}/${sharee.name}/${share.inviteUid}`;
}

async function initialProperties(tx: StoreTx, share: Share): Promise<DeadProperty[]> {
  const own = (await tx.getProperties(share.collectionId)).filter((p) => COPIED.has(p.name));
  return share.collectionPath.startsWith('/calendars/') ? [...own, TRANSPARENT] : own;
}

async function notifyOwner(tx: StoreTx, c: ReplyContext, share: Share, accepted: boolean): Promise<void> {
  const owner = await tx.getUserById(share.ownerId);
  if (!owner) return;
  const xml = replyNotification(share, { sharee: c.sharee, accepted, now: c.now }, c.links);
  await deliverNotification(tx, owner, `${share.inviteUid}-reply.xml`, xml, c.maxUploadBytes);
}

/** The share accepted: its instance appears in the sharee's home with the owner's name, colour… to start from. */
export async function acceptShare(tx: StoreTx, share: Share, sharee: User): Promise<Share> {
  return tx.updateShare(share.id, {
    status: 'accepted',
    instancePath: instancePathFor(share, sharee),
    properties: await initialProperties(tx, share),
  });
}

async function setStatus(tx: StoreTx, c: ReplyContext, share: Share, accept: boolean): Promise<Share> {
  if (accept && share.status === 'accepted') return share;
  const updated = accept
    ? await acceptShare(tx, share, c.sharee)
    : await tx.updateShare(share.id, { status: 'declined', instancePath: null, properties: [] });
  await notifyOwner(tx, c, updated, accept);
  return updated;
}

function lockKeysOf(share: Share, sharee: User): string[] {
  return areaKeys(share.collectionPath, `/calendars/${sharee.name}`, `/addressbooks/${sharee.name}`);
}

/**
 * §5.4.1: accept or decline the invitation `inviteUid` of the sharee. Accepting makes the
 * instance (its path is in the answer: CS:shared-as); declining removes it if there was one.
 */
export async function replyToInvite(store: Store, c: ReplyContext, inviteUid: string, accept: boolean): Promise<Share> {
  const found = await store.shareByInvite(inviteUid);
  if (!found || found.shareeId !== c.sharee.id) throw new ShareRefused('no-such-invite', `no invitation ${inviteUid}`);
  return store.transaction(lockKeysOf(found, c.sharee), async (tx) => {
    const share = await tx.shareByInvite(inviteUid);
    if (!share || share.shareeId !== c.sharee.id)
      throw new ShareRefused('no-such-invite', `no invitation ${inviteUid}`);
    return setStatus(tx, c, share, accept);
  });
}

/** §5.4.2: DELETE on an instance removes it from the sharee's home and marks the invitation declined. */
export async function removeInstance(store: Store, c: ReplyContext, instancePath: string): Promise<void> {
  const found = await store.shareByInstance(instancePath);
  if (!found || found.shareeId !== c.sharee.id) throw new ShareRefused('not-found', `no instance at ${instancePath}`);
  await store.transaction(lockKeysOf(found, c.sharee), async (tx) => {
    const share = await tx.shareByInstance(instancePath);
    if (share) await setStatus(tx, c, share, false);
  });
}

/**
 * §5.5.3: the sharee's own dead properties on their instance — set and removed by name, the
 * owner's collection untouched. Every dead property of an instance is per-user.
 */
export async function patchInstanceProperties(
  store: Store,
  sharee: User,
  instancePath: string,
  set: readonly DeadProperty[],
  remove: readonly string[],
): Promise<void> {
  await store.transaction(areaKeys(instancePath), async (tx) => {
    const share = await tx.shareByInstance(instancePath);
    if (!share || share.shareeId !== sharee.id) throw new ShareRefused('not-found', `no instance at ${instancePath}`);
    const names = new Set([...remove, ...set.map((p) => p.name)]);
    const properties = [...share.properties.filter((p) => !names.has(p.name)), ...set];
    await tx.updateShare(share.id, { properties });
  });
}
