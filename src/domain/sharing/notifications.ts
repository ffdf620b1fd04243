/**
 * Sharing notifications (caldav-sharing §4, caldav-notifications): XML documents the server
 * writes into a user's notification collection (`/calendars/NAME/notification`, resourcetype
 * CS:notification), through the one write path in the transaction of the change they announce.
 */
import { el, type XmlElement } from '../../xml/element.js';
import { cs, dav } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';
import type { StoreTx } from '../../store/store.js';
import type { Share } from '../../store/capabilities/shares.js';
import type { User } from '../../store/types.js';
import { writeObjectIn } from '../objects/write-object.js';

/** The hrefs a notification names; the DAV layer knows where things are mounted. */
export interface SharingLinks {
  /** The href of a stored collection (`/calendars/alice/work` → `/dav/calendars/alice/work/`). */
  collectionHref(path: string): string;
  /** The href of a user's principal. */
  principalHref(user: User): string;
}

/** The store path of a user's notification collection (§4.1.1 CS:notification-URL). */
export function notificationCollectionPath(userName: string): string {
  return `/calendars/${userName}/notification`;
}

/** How a user is named to others in CS:invite and notifications: their email address, else their principal. */
export function userAddress(user: User, links: SharingLinks): string {
  return user.email ? `mailto:${user.email}` : links.principalHref(user);
}

/** CS:invite-noresponse / -accepted / -declined / -deleted (§6.6–6.9). */
export type InviteState = 'invite-noresponse' | 'invite-accepted' | 'invite-declined' | 'invite-deleted';

export function inviteStateOf(share: Share): InviteState {
  if (share.status === 'accepted') return 'invite-accepted';
  return share.status === 'declined' ? 'invite-declined' : 'invite-noresponse';
}

/** CS:access (§6.11). */
export function accessXml(share: Share): XmlElement {
  return el(cs('access'), {}, el(cs(share.access)));
}

/** CS:organizer (§6.18): the sharer's address and name. */
export function organizerXml(owner: User, links: SharingLinks): XmlElement {
  return el(
    cs('organizer'),
    {},
    el(dav('href'), {}, userAddress(owner, links)),
    el(cs('common-name'), {}, owner.displayName ?? owner.name),
  );
}

/** A notification document (§6.24): CS:dtstamp, then the element saying what happened. */
function notification(now: number, kind: XmlElement): XmlElement {
  const dtstamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return el(cs('notification'), {}, el(cs('dtstamp'), {}, dtstamp), kind);
}

/** CS:hosturl (§6.17) and, when there is one, CS:summary (§6.14) of a share. */
function hostAndSummary(share: Share, links: SharingLinks): [XmlElement, XmlElement | null] {
  return [
    el(cs('hosturl'), {}, el(dav('href'), {}, links.collectionHref(share.collectionPath))),
    share.summary === null ? null : el(cs('summary'), {}, share.summary),
  ];
}

/** CS:invite-notification (§6.15), sent to a sharee whose status changed. */
export function inviteNotification(
  share: Share,
  parts: { owner: User; sharee: User; sharedType: string; state: InviteState; now: number },
  links: SharingLinks,
): XmlElement {
  const [hosturl, summary] = hostAndSummary(share, links);
  return notification(
    parts.now,
    el(
      cs('invite-notification'),
      { 'shared-type': parts.sharedType },
      el(cs('uid'), {}, share.inviteUid),
      el(dav('href'), {}, userAddress(parts.sharee, links)),
      el(cs(parts.state)),
      accessXml(share),
      hosturl,
      organizerXml(parts.owner, links),
      summary,
    ),
  );
}

/** CS:invite-reply (§6.22), sent to the sharer when a sharee answers or removes the share. */
export function replyNotification(
  share: Share,
  parts: { sharee: User; accepted: boolean; now: number },
  links: SharingLinks,
): XmlElement {
  const [hosturl, summary] = hostAndSummary(share, links);
  return notification(
    parts.now,
    el(
      cs('invite-reply'),
      {},
      el(dav('href'), {}, userAddress(parts.sharee, links)),
      el(cs(parts.accepted ? 'invite-accepted' : 'invite-declined')),
      hosturl,
      el(cs('in-reply-to'), {}, share.inviteUid),
      summary,
    ),
  );
}

/**
 * Store a notification as `name` in the user's notification collection, creating the collection
 * the first time; through the domain write path (`writeObjectIn`), so the change is in its feed.
 */
export async function deliverNotification(
  tx: StoreTx,
  to: User,
  name: string,
  notification: XmlElement,
  maxUploadBytes: number,
): Promise<void> {
  const collection = notificationCollectionPath(to.name);
  const existing = await tx.getResource(collection);
  if (existing && existing.collectionType !== 'notification') return; // the name is taken by the user's own data
  if (!existing) {
    if (!(await tx.getResource(`/calendars/${to.name}`))) return;
    await tx.createCollection(collection, { ownerId: to.id, collectionType: 'notification' });
  }
  await writeObjectIn(tx, {
    principal: to,
    path: `${collection}/${name}`,
    body: new TextEncoder().encode(serializeXml(notification)),
    contentType: 'application/xml; charset=utf-8',
    origin: { via: 'dav', feed: null },
    limits: { maxUploadBytes },
  });
}
