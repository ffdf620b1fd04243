import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 3744 §4.1: a mailto: URI when the user has an e-mail address. */
export const alternateUriSet: PropertyDef = {
  name: dav('alternate-URI-set'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal',
  get: (_ctx, r) => (r.principal?.email ? [el(dav('href'), {}, `mailto:${r.principal.email}`)] : []),
};
