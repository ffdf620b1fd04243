import { el, type XmlElement } from '../../xml/element.js';
import { cs } from '../../xml/names.js';
import { canBeShared } from '../../domain/sharing/sharees.js';
import type { DavContext } from '../core/context.js';
import type { DavResource } from '../core/resource.js';
import { isSharedByOwner } from './request-memo.js';

/**
 * The DAV:resourcetype elements sharing adds (caldav-sharing §5.2.1): CS:shared on a sharee's
 * instance, CS:shared-owner on the owner's collection while it has sharees (iOS counts a
 * calendar as shared by the owner only with it: sabre-io/Baikal#1090).
 */
export async function sharingResourceTypes(ctx: DavContext, r: DavResource): Promise<XmlElement[]> {
  if (r.instance) return [el(cs('shared'))];
  const s = r.stored;
  // Shown to the owner only: a sharee who reaches the collection by its own path does not own it.
  if (!s || !canBeShared(s) || s.ownerId !== ctx.user.id) return [];
  return (await isSharedByOwner(ctx, s.id)) ? [el(cs('shared-owner'))] : [];
}
