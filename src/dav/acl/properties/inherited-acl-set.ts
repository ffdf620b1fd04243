import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 3744 §5.7: ACLs are not inherited. */
export const inheritedAclSet: PropertyDef = {
  name: dav('inherited-acl-set'),
  allprop: false,
  appliesTo: () => true,
  get: () => [],
};
