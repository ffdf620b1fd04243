import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { privilegeElements, privilegesOf } from '../privileges.js';

/** RFC 3744 §5.4. */
export const currentUserPrivilegeSet: PropertyDef = {
  name: dav('current-user-privilege-set'),
  allprop: false,
  readPrivilege: 'read-current-user-privilege-set',
  appliesTo: () => true,
  get: (ctx, r) => privilegeElements(privilegesOf(ctx.user, r)),
};
