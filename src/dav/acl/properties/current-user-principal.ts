import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { principalPath } from '../../core/resource.js';

/** RFC 5397 §3. */
export const currentUserPrincipal: PropertyDef = {
  name: dav('current-user-principal'),
  allprop: false,
  appliesTo: () => true,
  get: (ctx) => [el(dav('href'), {}, hrefOf(principalPath(ctx.user.name), true))],
};
