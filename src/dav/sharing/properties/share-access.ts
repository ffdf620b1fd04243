import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { isShareable } from './shared-collection.js';
import { isSharedByOwner, sharesOfCollection } from '../request-memo.js';

/**
 * DAV:share-access (draft-pot-webdav-resource-sharing §4.4.1): shared-owner on the owner's
 * collection while it has sharees, not-shared before, read or read-write for a sharee (on their
 * instance or the collection's own path).
 */
export const shareAccess: PropertyDef = {
  name: dav('share-access'),
  allprop: false,
  appliesTo: isShareable,
  get: async (ctx, r) => {
    if (r.instance) return [el(dav(r.instance.share.access))];
    const shares = await sharesOfCollection(ctx, r.stored!.id);
    if (r.ownerId !== ctx.user.id) {
      const mine = shares.find((s) => s.shareeId === ctx.user.id && s.status === 'accepted');
      return [el(dav(mine?.access ?? 'not-shared'))];
    }
    const shared = shares.length > 0 || (await isSharedByOwner(ctx, r.stored!.id));
    return [el(dav(shared ? 'shared-owner' : 'not-shared'))];
  },
};
