import { el } from '../../../xml/element.js';
import { cs, dav } from '../../../xml/names.js';
import { changeSharees, type ShareeChange } from '../../../domain/sharing/sharees.js';
import { replyToInvite, ShareRefused } from '../../../domain/sharing/replies.js';
import type { User } from '../../../store/types.js';
import type { Group } from '../../../store/capabilities/acl.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { xmlResponse } from '../../core/multistatus.js';
import { hrefOf, storePathOfUri } from '../../core/paths.js';
import type { MethodDef } from '../../core/registry.js';
import { readXmlBody } from '../../core/request.js';
import type { DavResource } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { sharingLinks } from '../links.js';
import { parseSharingPost, type InviteReply, type ShareInstruction } from '../share-request.js';
import { isShareable } from '../properties/shared-collection.js';

/** A user's calendar or address book home: where invitations are answered (§5.4.1). */
const isOwnHome = (r: DavResource): boolean =>
  r.stored !== null && r.stored.parentId === null && /^\/(calendars|addressbooks)\/[^/]+$/.test(r.path);

/**
 * The user or group a sharee href names: a `mailto:` address of a user, a user's principal URL
 * (§5.3.2), or a group's principal URL (`/principals/groups/NAME`: sharing with a group, issue #17).
 */
async function shareeOf(ctx: DavContext, href: string): Promise<{ user: User } | { group: Group } | null> {
  if (/^mailto:/i.test(href)) {
    const user = (await ctx.store.getUsersByEmails([href.slice(7)]))[0];
    return user ? { user } : null;
  }
  let path: string | null;
  try {
    path = storePathOfUri(href);
  } catch {
    return null;
  }
  const m = /^\/principals\/(users|groups)\/([^/]+)$/.exec(path ?? '');
  if (!m) return null;
  if (m[1] === 'groups') {
    const group = await ctx.store.getGroupByName(m[2]!);
    return group ? { group } : null;
  }
  const user = await ctx.store.getUserByName(m[2]!);
  return user ? { user } : null;
}

/** The instructions as domain changes; a sharee who is no user or group of this server is left out (§5.3.2: out of scope). */
async function changesOf(ctx: DavContext, instructions: readonly ShareInstruction[]): Promise<ShareeChange[]> {
  const out: ShareeChange[] = [];
  for (const i of instructions) {
    const found = await shareeOf(ctx, i.href);
    if (!found) continue;
    if ('group' in found) {
      const { group } = found;
      out.push(
        i.kind === 'remove'
          ? { kind: 'remove-group', group }
          : { kind: 'set-group', group, access: i.access, summary: i.summary },
      );
    } else out.push(i.kind === 'remove' ? { kind: 'remove', sharee: found.user } : { ...i, sharee: found.user });
  }
  return out;
}

const NO_CACHE = { 'Cache-Control': 'no-cache' };

/** §5.3.2 (and draft-pot §5.4): the owner changes who shares the collection. Only the owner holds DAV:write-acl. */
async function share(ctx: DavContext, r: DavResource, instructions: readonly ShareInstruction[]): Promise<DavResponse> {
  if (r.instance) throw new DavError(403, 'a shared collection is shared on by its owner only');
  requirePrivilege(ctx.user, r, 'write-acl');
  await changeSharees(
    ctx.store,
    {
      owner: ctx.user,
      collection: r.stored!,
      links: sharingLinks(),
      now: ctx.now,
      maxUploadBytes: ctx.settings.maxUploadBytes,
    },
    await changesOf(ctx, instructions),
  );
  return { status: 200, headers: NO_CACHE };
}

/** §5.4.1: accept (answered with CS:shared-as, the instance's href) or decline an invitation. */
async function reply(ctx: DavContext, r: DavResource, answer: InviteReply): Promise<DavResponse> {
  if (r.ownerId !== ctx.user.id) throw new DavError(403, 'invitations are answered in one’s own home');
  try {
    const c = { sharee: ctx.user, links: sharingLinks(), now: ctx.now, maxUploadBytes: ctx.settings.maxUploadBytes };
    const result = await replyToInvite(ctx.store, c, answer.inviteUid, answer.accept);
    if (!answer.accept || result.instancePath === null) return { status: 200, headers: NO_CACHE };
    const body = el(cs('shared-as'), {}, el(dav('href'), {}, hrefOf(result.instancePath, true)));
    return xmlResponse(200, body, NO_CACHE);
  } catch (err) {
    if (err instanceof ShareRefused) throw new DavError(403, err.message);
    throw err;
  }
}

async function post(ctx: DavContext, found: DavResource | null): Promise<DavResponse> {
  const r = found!;
  const request = parseSharingPost(await readXmlBody(ctx));
  if (request.kind === 'share') {
    if (!isShareable(r)) throw new DavError(403, 'only calendars and address books are shared');
    return share(ctx, r, request.instructions);
  }
  if (!isOwnHome(r)) throw new DavError(403, 'invitations are answered on the calendar home');
  return reply(ctx, r, request.reply);
}

/**
 * POST on a calendar or address book (CS:share, DAV:share-resource) or on a home (CS:invite-reply):
 * caldav-sharing §5.3.2 and §5.4.1.
 */
export const postSharingMethod: MethodDef = {
  name: 'POST',
  privilege: 'read',
  allowedOn: (r) =>
    r !== null &&
    r.stored !== null &&
    r.stored.isCollection &&
    (isShareable(r) || (r.stored.parentId === null && /^\/(calendars|addressbooks)\//.test(r.stored.path))),
  bodyRoots: [cs('share'), dav('share-resource'), cs('invite-reply')],
  handle: post,
};
