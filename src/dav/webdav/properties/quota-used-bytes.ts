import { quotaOf } from '../../../domain/quota/quota.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * RFC 4331 §4: the bytes counted against the quota, on every stored collection of a user (homes
 * included). The set of "similar resources" is everything the collection's owner owns (bodies
 * plus dead properties), so every collection of a user shows the same number. Protected.
 */
export const quotaUsedBytes: PropertyDef = {
  name: dav('quota-used-bytes'),
  allprop: false,
  appliesTo: (r) => r.stored !== null && r.isCollection && r.ownerId !== null,
  async get(ctx, r) {
    const q = r.ownerId === null ? null : await quotaOf(ctx.store, r.ownerId);
    return q ? [String(q.used)] : undefined;
  },
};
