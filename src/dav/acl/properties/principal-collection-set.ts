import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { PRINCIPAL_COLLECTIONS } from '../principal-directory.js';

/** RFC 3744 §5.8: the collections holding the principals: users and groups. */
export const principalCollectionSet: PropertyDef = {
  name: dav('principal-collection-set'),
  allprop: false,
  appliesTo: () => true,
  get: () => PRINCIPAL_COLLECTIONS.map((p) => el(dav('href'), {}, hrefOf(p, true))),
};
