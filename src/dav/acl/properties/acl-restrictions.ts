import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 3744 §5.6: grant-only ACEs, no inversion. */
export const aclRestrictions: PropertyDef = {
  name: dav('acl-restrictions'),
  allprop: false,
  appliesTo: () => true,
  get: () => [el(dav('grant-only')), el(dav('no-invert'))],
};
