import { el } from '../../../xml/element.js';
import { carddav, dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 6352 §7.1.1: where the principal's address books live (`/dav/addressbooks/NAME/`). */
export const addressbookHomeSet: PropertyDef = {
  name: carddav('addressbook-home-set'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal' && r.principal !== null,
  get: (_ctx, r) =>
    r.principal ? [el(dav('href'), {}, hrefOf(`/addressbooks/${r.principal.name}`, true))] : undefined,
};
