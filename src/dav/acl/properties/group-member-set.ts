import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { principalPath } from '../../core/resource.js';

/** RFC 3744 §4.3: a group principal's direct members (kept by `almanac group members`, so protected here). */
export const groupMemberSet: PropertyDef = {
  name: dav('group-member-set'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal' && r.group !== undefined,
  get: async (ctx, r) =>
    r.group
      ? (await ctx.store.groupMembers(r.group.id)).map((u) => el(dav('href'), {}, hrefOf(principalPath(u.name), true)))
      : [],
};
