import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { principalPath } from '../../core/resource.js';
import { userById } from '../../sharing/request-memo.js';

/** RFC 3744 §5.1. */
export const owner: PropertyDef = {
  name: dav('owner'),
  allprop: false,
  appliesTo: (r) => r.ownerId !== null,
  get: async (ctx, r) => {
    const u = r.principal ?? (r.ownerId === null ? null : await userById(ctx, r.ownerId));
    return u ? [el(dav('href'), {}, hrefOf(principalPath(u.name), true))] : [];
  },
};
