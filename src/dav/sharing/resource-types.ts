import { el, type XmlElement } from '../../xml/element.js';
import { cs } from '../../xml/names.js';
import { canBeShared } from '../../domain/sharing/sharees.js';
import type { DavContext } from '../core/context.js';
import type { DavResource } from '../core/resource.js';
import { isSharedByOwner, primeSharedByOwner } from './request-memo.js';
import type { Resource } from '../../store/types.js';

/**
 * The DAV:resourcetype elements sharing adds (caldav-sharing §5.2.1): CS:shared on a sharee's
 * instance, CS:shared-owner on the owner's collection while it has sharees (iOS counts a
 * calendar as shared by the owner only with it: sabre-io/Baikal#1090).
 */
export async function sharingResourceTypes(ctx: DavContext, r: DavResource): Promise<XmlElement[]> {
  if (r.instance) return [el(cs('shared'))];
  const s = ownersShareable(ctx, r);
  return s && (await isSharedByOwner(ctx, s.id)) ? [el(cs('shared-owner'))] : [];
}

/** The collections of a listing's page that may be CS:shared-owner, asked at once (PropertyDef.forPage). */
export function sharingResourceTypesOfPage(ctx: DavContext, members: readonly DavResource[]): Promise<void> {
  return primeSharedByOwner(
    ctx,
    members.flatMap((m) => (m.instance ? [] : (ownersShareable(ctx, m)?.id ?? []))),
  );
}

/** The stored collection `r` if it can be shared and the user owns it: only its owner sees CS:shared-owner. */
function ownersShareable(ctx: DavContext, r: DavResource): Resource | null {
  const s = r.stored;
  // Shown to the owner only: a sharee who reaches the collection by its own path does not own it.
  return s && canBeShared(s) && s.ownerId === ctx.user.id ? s : null;
}
