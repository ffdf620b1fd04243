import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { checkWrite } from '../../core/locking.js';
import type { MethodDef } from '../../core/registry.js';
import { areaKeys } from '../../core/request.js';
import { resolve } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { parentCollection } from './shared.js';

/** RFC 4918 §9.3: create a plain collection. A body is refused (415) until extended MKCOL. */
async function mkcol(ctx: DavContext): Promise<DavResponse> {
  const body = await ctx.readBody(ctx.settings.xml.maxBytes);
  if (body.length > 0) throw new DavError(415, 'MKCOL with a request body is not supported here');
  await ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
    if (await resolve(tx, ctx.path)) throw new DavError(405, 'a resource exists at this URL already', undefined, [], { Allow: 'GET, HEAD, OPTIONS, PROPFIND, PROPPATCH, DELETE, MOVE, COPY, LOCK, UNLOCK' });
    const parent = await parentCollection(tx, ctx.path);
    requirePrivilege(ctx.user, parent, 'bind');
    await checkWrite(ctx, tx, [{ path: ctx.path, bind: true, subtree: false }]);
    await tx.createCollection(ctx.path, { ownerId: parent.ownerId ?? ctx.user.id });
  });
  return { status: 201 };
}

export const mkcolMethod: MethodDef = { name: 'MKCOL', allowedOn: (r) => r === null, handle: mkcol };
