/** CS:invite and the invitation states of CalendarServer sharing (caldav-sharing §5.2.2, §6.6–6.11). */
import type { DavResponseEntry } from './multistatus.js';
import { child, children, NS, text } from './xml.js';

export type ShareAccess = 'read' | 'read-write';
/** §6.6–6.9: no answer yet, accepted, declined, withdrawn by the sharer. */
export type InviteStatus = 'pending' | 'accepted' | 'declined' | 'deleted';

/** One sharee of a collection, as CS:invite lists them. */
export interface Sharee {
  /** `mailto:` address or principal URL: what CS:share names them by. */
  readonly href: string;
  readonly name: string;
  readonly status: InviteStatus;
  readonly access: ShareAccess;
}

const CS = NS.CALENDARSERVER;

export function statusOf(el: Element): InviteStatus {
  if (child(el, CS, 'invite-accepted')) return 'accepted';
  if (child(el, CS, 'invite-declined')) return 'declined';
  if (child(el, CS, 'invite-deleted')) return 'deleted';
  return 'pending';
}

export function accessOf(el: Element): ShareAccess {
  const access = child(el, CS, 'access');
  return access && child(access, CS, 'read-write') ? 'read-write' : 'read';
}

/** CS:invite's sharees (§5.2.2); the organizer is not a sharee. */
export function parseInvite(invite: Element | undefined): { sharees: Sharee[]; organizer: string | undefined } {
  if (!invite) return { sharees: [], organizer: undefined };
  const sharees = children(invite, CS, 'user').map((u) => {
    const href = text(child(u, NS.DAV, 'href')) ?? '';
    return {
      href,
      name: text(child(u, CS, 'common-name')) || href.replace(/^mailto:/i, ''),
      status: statusOf(u),
      access: accessOf(u),
    };
  });
  const org = child(invite, CS, 'organizer');
  const organizer = org
    ? text(child(org, CS, 'common-name')) || text(child(org, NS.DAV, 'href'))?.replace(/^mailto:/i, '')
    : undefined;
  return { sharees, organizer };
}

/** What the app shows of a collection's sharing, read with the home's listing. */
export interface CollectionSharing {
  /** §5.2.3 CS:allowed-sharing-modes holds CS:can-be-shared: the user may share it. */
  readonly canShare: boolean;
  /** The collection is someone else's, shared with the user (resourcetype CS:shared): the owner's name. */
  readonly sharedBy?: string | undefined;
  /** How many people it is shared with (the owner's view). */
  readonly sharedWith: number;
}

export function sharingOf(r: DavResponseEntry, type: Element | undefined): CollectionSharing {
  const modes = r.props.get(`{${CS}}allowed-sharing-modes`);
  const { sharees, organizer } = parseInvite(r.props.get(`{${CS}}invite`));
  const instance = !!type && !!child(type, CS, 'shared');
  return {
    canShare: !!modes && !!child(modes, CS, 'can-be-shared'),
    sharedBy: instance ? (organizer ?? '') : undefined,
    sharedWith: instance ? 0 : sharees.filter((s) => s.status !== 'deleted').length,
  };
}
