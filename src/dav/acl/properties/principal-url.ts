import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 3744 §4.2. */
export const principalUrl: PropertyDef = {
  name: dav('principal-URL'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal',
  get: (_ctx, r) => [el(dav('href'), {}, hrefOf(r.path, true))],
};
