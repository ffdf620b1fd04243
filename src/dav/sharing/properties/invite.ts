import { el, type XmlElement } from '../../../xml/element.js';
import { cs, dav } from '../../../xml/names.js';
import {
  accessXml,
  inviteStateOf,
  organizerXml,
  userAddress,
  type SharingLinks,
} from '../../../domain/sharing/notifications.js';
import type { GroupShare, Share } from '../../../store/capabilities/shares.js';
import { hrefOf } from '../../core/paths.js';
import type { DavContext } from '../../core/context.js';
import type { PropertyDef } from '../../core/registry.js';
import { isShareable } from './shared-collection.js';
import { sharingLinks } from '../links.js';
import { groupSharesOfCollection, sharesOfCollection, userById } from '../request-memo.js';

async function userXml(ctx: DavContext, share: Share, links: SharingLinks): Promise<XmlElement | null> {
  const sharee = await userById(ctx, share.shareeId);
  if (!sharee) return null;
  // Every CS:user has a common name and an access level: macOS refuses a sharee without one
  // ("accessLevel is a required value", sabre-io/Baikal#1034).
  return el(
    cs('user'),
    {},
    el(dav('href'), {}, userAddress(sharee, links)),
    el(cs('common-name'), {}, share.commonName ?? sharee.displayName ?? sharee.name),
    el(cs(inviteStateOf(share))),
    accessXml(share),
    share.summary === null ? null : el(cs('summary'), {}, share.summary),
  );
}

/**
 * A group the collection is shared with, as one sharee (issue #17): its principal URL, its name,
 * accepted (its members need not answer: domain/sharing/group-shares.ts) and its access.
 */
function groupXml(g: GroupShare): XmlElement {
  return el(
    cs('user'),
    {},
    el(dav('href'), {}, hrefOf(`/principals/groups/${g.groupName}`, true)),
    el(cs('common-name'), {}, g.groupName),
    el(cs('invite-accepted')),
    el(cs('access'), {}, el(cs(g.access))),
    g.summary === null ? null : el(cs('summary'), {}, g.summary),
  );
}

/** A share as the owner set it: the access they gave this sharee by name. */
const asNamed = (s: Share): Share => (s.directAccess === null ? s : { ...s, access: s.directAccess });

/**
 * CS:invite (caldav-sharing §5.2.2): the sharer as CS:organizer and each sharee as CS:user. The
 * owner is never listed as a CS:user (iOS shows such an entry as "Shared with Unknown",
 * sabre-io/Baikal#1090), and an unshared collection lists no one. A sharee sees the organizer
 * and themselves only (the §5.2.2 privacy choice).
 */
export const invite: PropertyDef = {
  name: cs('invite'),
  allprop: false,
  appliesTo: isShareable,
  get: async (ctx, r) => {
    const collection = r.stored!;
    // Through their instance a sharee sees the organizer and their own share, which came with it.
    const shares = r.instance ? [r.instance.share] : await sharesOfCollection(ctx, collection.id);
    const byOwner = !r.instance && collection.ownerId === ctx.user.id;
    const groups = byOwner ? await groupSharesOfCollection(ctx, collection.id) : [];
    if (shares.length === 0 && groups.length === 0) return [];
    const owner = await userById(ctx, collection.ownerId);
    const links = sharingLinks();
    // The owner sees whom they named (members who have access only through a group are the group's entry).
    const shown = byOwner
      ? shares.filter((s) => s.directAccess !== null).map(asNamed)
      : shares.filter((s) => s.shareeId === ctx.user.id);
    const users = await Promise.all(shown.map((s) => userXml(ctx, s, links)));
    return [owner ? organizerXml(owner, links) : null, ...users, ...groups.map(groupXml)].filter(
      (x): x is XmlElement => x !== null,
    );
  },
};
