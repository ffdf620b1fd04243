import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 3744 §4.4: groups are not supported yet, so memberships are empty. */
export const groupMembership: PropertyDef = {
  name: dav('group-membership'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal',
  get: () => [],
};
