import { availableBytes, quotaOf } from '../../../domain/quota/quota.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * RFC 4331 §3: what the collection's owner may still allocate (their quota minus what they use,
 * never below 0). Without a quota (none set and no server default) it is not defined (404 in the
 * multistatus), which §3 allows: the client then acts as if there were no quota. Protected.
 */
export const quotaAvailableBytes: PropertyDef = {
  name: dav('quota-available-bytes'),
  allprop: false,
  appliesTo: (r) => r.stored !== null && r.isCollection && r.ownerId !== null,
  async get(ctx, r) {
    const q = r.ownerId === null ? null : await quotaOf(ctx.store, r.ownerId);
    const available = q ? availableBytes(q) : null;
    return available === null ? undefined : [String(available)];
  },
};
