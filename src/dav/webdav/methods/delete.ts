import { parentPath } from '../../../store/paths.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { checkConditionals } from '../../core/conditional.js';
import { DavError } from '../../core/errors.js';
import { checkWrite } from '../../core/locking.js';
import type { MethodDef } from '../../core/registry.js';
import { areaKeys, depthOf } from '../../core/request.js';
import { resolve } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { mustExist } from '../../core/members.js';

/** RFC 4918 §9.6: delete a resource, a collection with everything in it. */
async function del(ctx: DavContext): Promise<DavResponse> {
  await ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
    const r = mustExist(await resolve(tx, ctx.path));
    if (r.isCollection && depthOf(ctx, 'infinity') !== 'infinity') {
      throw DavError.badRequest('DELETE of a collection must have Depth: infinity');
    }
    const parent = await resolve(tx, parentPath(ctx.path));
    if (r.kind !== 'stored' || !parent || parent.kind !== 'stored') throw new DavError(403, 'this resource cannot be deleted');
    requirePrivilege(ctx.user, parent, 'unbind');
    checkConditionals(ctx, r);
    await checkWrite(ctx, tx, [{ path: ctx.path, bind: true, subtree: true }]);
    await tx.deleteResource(ctx.path);
  });
  return { status: 204 };
}

export const deleteMethod: MethodDef = { name: 'DELETE', privilege: 'unbind', allowedOn: (r) => r !== null, handle: del };
