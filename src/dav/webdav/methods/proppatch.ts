import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { checkWrite } from '../../core/locking.js';
import { multistatus, responseWithPropstats } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import { applyPropertyUpdates, parsePropertyUpdate } from '../../core/property-update.js';
import type { MethodDef } from '../../core/registry.js';
import { areaKeys, readXmlBody } from '../../core/request.js';
import { resolve } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { mustExist } from '../../core/members.js';
import { asDav } from '../../core/object-refusal.js';
import { withinQuota } from '../../../domain/quota/quota.js';

/** RFC 4918 §9.2. */
async function proppatch(ctx: DavContext): Promise<DavResponse> {
  const updates = parsePropertyUpdate(await readXmlBody(ctx));
  const propstats = await ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
    const r = mustExist(await resolve(tx, ctx.path));
    requirePrivilege(ctx.user, r, 'write-properties');
    await checkWrite(ctx, tx, [{ path: ctx.path, bind: false, subtree: false }]);
    const stored = r.stored;
    // A resource without a row (a principal) keeps no dead properties; only live ones its module keeps.
    if (!stored && !updates.every((u) => ctx.registry.properties.get(u.prop.name)?.update))
      throw new DavError(403, 'properties of this resource cannot be changed');
    const result = await applyPropertyUpdates(ctx, r, updates, async (set, remove, live) => {
      // RFC 4331 §6: dead properties count against the owner's quota.
      if (stored && (set.length > 0 || remove.length > 0))
        await asDav(() => withinQuota(tx, stored.ownerId, () => tx.patchProperties(stored.id, set, remove)));
      for (const u of live) await u.def.update?.(ctx, tx, r, u.value);
    });
    return result.propstats;
  });
  return multistatus([responseWithPropstats(hrefOf(ctx.path, ctx.trailingSlash), propstats)]);
}

export const proppatchMethod: MethodDef = {
  name: 'PROPPATCH',
  privilege: 'write-properties',
  allowedOn: (r) => r !== null,
  handle: proppatch,
};
