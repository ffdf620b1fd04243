import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { checkWrite } from '../../core/locking.js';
import { mustExist } from '../../core/members.js';
import type { MethodDef } from '../../core/registry.js';
import { areaKeys, readXmlBody } from '../../core/request.js';
import { resolve } from '../../core/resource.js';
import { parseAclRequest } from '../acl-request.js';
import { validateAcl } from '../acl-validate.js';
import { requirePrivilege } from '../privileges.js';
import { isProxyAce } from '../../../domain/acl/proxies.js';

/**
 * RFC 3744 §8.1: replace the non-protected, non-inherited ACEs of a calendar, address book or
 * file folder. Only its owner holds DAV:write-acl; members inherit the collection's ACEs.
 */
async function aclMethod(ctx: DavContext): Promise<DavResponse> {
  const requested = parseAclRequest(await readXmlBody(ctx));
  await ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
    const r = mustExist(await resolve(tx, ctx.path));
    requirePrivilege(ctx.user, r, 'write-acl');
    const stored = r.stored;
    if (!stored?.isCollection) throw new DavError(403, 'ACLs are set on collections; members inherit them');
    await checkWrite(ctx, tx, [{ path: ctx.path, bind: false, subtree: false }]);
    const owner = await tx.getUserById(stored.ownerId);
    if (!owner) throw new DavError(409, 'the collection has no owner');
    // The grants to the owner's proxy groups are protected (caldav-proxy §5.4): they stay.
    const kept = [];
    for (const ace of await tx.getAces(stored.path)) if (await isProxyAce(tx, ace, owner.id)) kept.push(ace);
    await tx.setAces(stored.id, [...(await validateAcl(tx, requested, owner.name)), ...kept]);
  });
  return { status: 200, headers: {}, body: '' };
}

export const aclMethodDef: MethodDef = {
  name: 'ACL',
  privilege: 'write-acl',
  allowedOn: (r) => r?.kind === 'stored' && r.isCollection,
  handle: aclMethod,
};
