import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { groupResource } from '../../core/resource.js';

/** RFC 3744 §4.4: the groups a user principal is a direct member of (protected; set with `almanac group`). */
export const groupMembership: PropertyDef = {
  name: dav('group-membership'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal',
  get: async (ctx, r) =>
    r.principal
      ? (await ctx.store.groupsOf(r.principal.id)).map((g) => el(dav('href'), {}, hrefOf(groupResource(g).path, true)))
      : [],
};
