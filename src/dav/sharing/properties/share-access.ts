import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isShareable } from './shared-collection.js';

/**
 * DAV:share-access (draft-pot-webdav-resource-sharing §4.4.1): shared-owner on the owner's
 * collection while it has sharees, not-shared before, read or read-write on a sharee's instance.
 */
export const shareAccess: PropertyDef = {
  name: dav('share-access'),
  allprop: false,
  appliesTo: isShareable,
  get: async (ctx, r) => {
    if (r.instance) return [el(dav(r.instance.share.access))];
    const shared = (await ctx.store.sharesOf(r.stored!.id)).length > 0;
    return [el(dav(shared ? 'shared-owner' : 'not-shared'))];
  },
};
