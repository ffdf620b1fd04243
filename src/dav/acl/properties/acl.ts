import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { privilegeName, type Privilege } from '../privileges.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { principalPath } from '../../core/resource.js';

const grant = (principal: ReturnType<typeof el>, ...privileges: Privilege[]) =>
  el(dav('ace'), {}, el(dav('principal'), {}, principal),
    el(dav('grant'), {}, ...privileges.map((p) => el(dav('privilege'), {}, el(privilegeName(p))))), el(dav('protected')));

/** RFC 3744 §5.5: the (fixed, protected) access control list. */
export const acl: PropertyDef = {
  name: dav('acl'),
  allprop: false,
  readPrivilege: 'read-acl',
  appliesTo: () => true,
  get: async (ctx, r) => {
    if (r.kind !== 'stored') {
      return [grant(el(dav('authenticated')), 'read', 'read-current-user-privilege-set')];
    }
    const u = r.ownerId === null ? null : await ctx.store.getUserById(r.ownerId);
    return u ? [grant(el(dav('href'), {}, hrefOf(principalPath(u.name), true)), 'all')] : [];
  },
};
