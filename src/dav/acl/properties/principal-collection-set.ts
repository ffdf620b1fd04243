import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 3744 §5.8. */
export const principalCollectionSet: PropertyDef = {
  name: dav('principal-collection-set'),
  allprop: false,
  appliesTo: () => true,
  get: () => [el(dav('href'), {}, hrefOf('/principals/users', true))],
};
